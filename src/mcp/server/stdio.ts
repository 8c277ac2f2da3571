/**
 * The served app over stdio: one client, JSON-RPC lines on stdin and stdout. The SDK's transport does not notice
 * stdin ending, so this does: a client that goes away (closes our stdin) ends the server.
 */
import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createProtocolServer } from "./protocol.js";
import type { ServedApp } from "./types.js";

export const STDIO_CONNECTION = "stdio";

export interface StdioServer {
  /** Settles when the client went away or close() was called. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export async function serveStdio(
  app: ServedApp,
  streams: { stdin?: Readable; stdout?: Writable } = {},
): Promise<StdioServer> {
  const stdin = streams.stdin ?? process.stdin;
  const stdout = streams.stdout ?? process.stdout;
  const transport = new StdioServerTransport(stdin, stdout);
  const server = createProtocolServer(app, { connection: STDIO_CONNECTION });
  let done!: () => void;
  const closed = new Promise<void>((resolve) => {
    done = resolve;
  });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stdin.off("end", onEnd);
      stdin.off("close", onEnd);
      // Closing the server aborts the handlers still running (their signal), so their sandboxes end too.
      await server.close().catch(() => undefined);
      app.onConnectionClosed?.(STDIO_CONNECTION);
      done();
    })();
    return closing;
  };
  const onEnd = (): void => void close();
  server.onclose = () => void close();
  stdin.once("end", onEnd);
  stdin.once("close", onEnd);
  // A write to a client that is gone (EPIPE) ends the server instead of crashing the process.
  stdout.on("error", onEnd);
  await server.connect(transport);
  return { closed, close };
}
