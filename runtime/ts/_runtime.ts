/**
 * Runtime of the generated SDK: calls MCP tools through the host's bridge.
 *
 * The host hands the sandboxed program one UNIX socket on the fd named by SKILLS_BRIDGE_FD (default 3); each message
 * is one line of UTF-8 JSON-RPC 2.0. Calls are concurrent (Promise.all works); responses are matched by id. Inside
 * the sandbox the worker has already opened the bridge and shares it through a global symbol, so every copy of this
 * file talks through one reader.
 */
import { fstatSync } from "node:fs";
import { Socket } from "node:net";

export class ToolError extends Error {
  /** TOOL_ERROR when the tool reported the error; otherwise the host's code (TOOL_NOT_DECLARED, ...). */
  readonly code: string;
  readonly server: string;
  readonly tool: string;
  readonly data: unknown;

  constructor(message: string, code: string, server: string, tool: string, data?: unknown) {
    super(message);
    this.name = "ToolError";
    this.code = code;
    this.server = server;
    this.tool = tool;
    this.data = data;
  }
}

interface RpcError {
  code: number;
  message: string;
  data?: { code?: string; [key: string]: unknown };
}

interface RpcResponse {
  id?: number | string;
  result?: unknown;
  error?: RpcError;
}

/** What the worker (or this file, outside a worker) registers under BRIDGE_KEY. */
export interface SkillsBridge {
  request(method: string, params: unknown): Promise<RpcResponse>;
}

const BRIDGE_KEY = Symbol.for("skills.bridge");

function openBridge(fd: number): SkillsBridge {
  const socket = new Socket({ fd, readable: true, writable: true });
  const pending = new Map<number, (response: RpcResponse) => void>();
  let nextId = 0;
  let buffer = "";
  socket.setEncoding("utf8");
  socket.unref();
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    let end = buffer.indexOf("\n");
    while (end >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      if (line.trim() !== "") {
        const message = JSON.parse(line) as RpcResponse;
        const settle = typeof message.id === "number" ? pending.get(message.id) : undefined;
        if (settle) {
          pending.delete(message.id as number);
          settle(message);
        }
      }
      end = buffer.indexOf("\n");
    }
    if (pending.size === 0) socket.unref();
  });
  const closed = (): void => {
    for (const settle of pending.values()) {
      settle({ error: { code: -32600, message: "the bridge to the host is closed", data: { code: "BRIDGE_CLOSED" } } });
    }
    pending.clear();
  };
  socket.on("close", closed);
  socket.on("error", closed);
  return {
    request(method, params) {
      nextId += 1;
      const id = nextId;
      return new Promise<RpcResponse>((resolve) => {
        pending.set(id, resolve);
        socket.ref();
        socket.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
      });
    },
  };
}

function isSocket(fd: number): boolean {
  try {
    return fstatSync(fd).isSocket();
  } catch {
    return false;
  }
}

function bridge(server: string, tool: string): SkillsBridge {
  const store = globalThis as unknown as Record<symbol, SkillsBridge | undefined>;
  let current = store[BRIDGE_KEY];
  if (!current) {
    const fd = Number(process.env.SKILLS_BRIDGE_FD ?? 3);
    if (!isSocket(fd)) {
      throw new ToolError(
        `no tool bridge on fd ${fd}: the generated SDK calls tools only inside a sandbox started by \`skills run\`, \`skills exec\` or \`skills test\``,
        "BRIDGE_UNAVAILABLE",
        server,
        tool,
      );
    }
    current = openBridge(fd);
    store[BRIDGE_KEY] = current;
  }
  return current;
}

function textOf(content: unknown[]): string {
  return content
    .filter((item): item is { type: "text"; text: string } => (item as { type?: unknown })?.type === "text")
    .map((item) => item.text)
    .join("\n");
}

/** Host refusal or isError -> ToolError; structuredContent; all-text content parsed as JSON (one item -> the value,
 * several -> an array); else the content list. */
export function unwrapToolResult(server: string, tool: string, response: RpcResponse): unknown {
  if (response.error) {
    const code = typeof response.error.data?.code === "string" ? response.error.data.code : "TOOL_CALL_FAILED";
    throw new ToolError(response.error.message, code, server, tool, response.error.data);
  }
  const result = (response.result ?? {}) as { content?: unknown[]; structuredContent?: unknown; isError?: boolean };
  const content = Array.isArray(result.content) ? result.content : [];
  if (result.isError) {
    throw new ToolError(textOf(content) || "the tool reported an error", "TOOL_ERROR", server, tool);
  }
  if (result.structuredContent !== undefined && result.structuredContent !== null) return result.structuredContent;
  if (content.length > 0 && content.every((item) => (item as { type?: unknown })?.type === "text")) {
    try {
      const values = content.map((item) => JSON.parse((item as { text: string }).text) as unknown);
      return values.length === 1 ? values[0] : values;
    } catch {
      return content;
    }
  }
  return content;
}

/** Call `tool` of `server` with `args` and return the unwrapped result; rejects with ToolError. */
export async function callTool(server: string, tool: string, args: Record<string, unknown> = {}): Promise<unknown> {
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new ToolError("arguments must be an object", "TOOL_ARGS_INVALID", server, tool);
  }
  const response = await bridge(server, tool).request("tools/call", { server, tool, arguments: args });
  return unwrapToolResult(server, tool, response);
}
