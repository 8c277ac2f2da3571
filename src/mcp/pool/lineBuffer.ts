/**
 * Newline-delimited JSON-RPC from a server's stdout, as the MCP stdio transport frames it. The SDK's own buffer
 * checks each message with its zod schemas, which would load the SDK before a server can be spawned; the client's
 * protocol layer checks every message it handles anyway, so this one only frames and parses.
 */
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/** What one server may leave unanswered in the buffer (the SDK's limit). */
export const MAX_BUFFER_BYTES = 10 * 1024 * 1024;

export class LineBuffer {
  private buffer: Buffer | undefined;

  append(chunk: Buffer): void {
    const size = (this.buffer?.length ?? 0) + chunk.length;
    if (size > MAX_BUFFER_BYTES) {
      this.clear();
      throw new Error(`a message from the server is over ${MAX_BUFFER_BYTES} bytes`);
    }
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
  }

  /** The next whole message, or null when none is complete. Throws for a line that is not a JSON-RPC message. */
  readMessage(): JSONRPCMessage | null {
    if (!this.buffer) return null;
    const end = this.buffer.indexOf("\n");
    if (end === -1) return null;
    const line = this.buffer.toString("utf8", 0, end).replace(/\r$/, "");
    this.buffer = this.buffer.subarray(end + 1);
    const message = JSON.parse(line) as unknown;
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      throw new Error(`the server sent a line that is not a JSON-RPC message: ${line.slice(0, 200)}`);
    }
    if ((message as { jsonrpc?: unknown }).jsonrpc !== "2.0") {
      throw new Error(`the server sent a message without "jsonrpc": "2.0": ${line.slice(0, 200)}`);
    }
    return message as JSONRPCMessage;
  }

  clear(): void {
    this.buffer = undefined;
  }
}

/** The variables a server inherits from our environment (the SDK's list, after sudo's): nothing secret. */
const INHERITED = ["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"];

export function defaultEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED) {
    const value = process.env[key];
    // a shell function exported in the environment is never passed on
    if (value !== undefined && !value.startsWith("()")) env[key] = value;
  }
  return env;
}
