/**
 * The served app over stdio: one client, JSON-RPC lines on stdin and stdout. The SDK's transport does not notice
 * stdin ending, so this does: a client that goes away (closes our stdin) ends the server.
 */
import { type Readable, Transform, type Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createProtocolServer } from "./protocol.js";
import type { ServedApp } from "./types.js";

export const STDIO_CONNECTION = "stdio";
/**
 * The longest message line a client may send. Past 10 MiB the SDK's reader drops what it holds and reports an error
 * that goes nowhere, and the server reads on; below that, this cap stops the server and says why. HTTP bodies stop
 * at 4 MiB: this leaves room for the JSON escaping of as much code.
 */
export const MAX_STDIO_LINE_BYTES = 8 * 1024 * 1024;

export interface StdioServer {
  /** Settles when the client went away or close() was called. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export async function serveStdio(
  app: ServedApp,
  streams: { stdin?: Readable; stdout?: Writable; maxLineBytes?: number } = {},
): Promise<StdioServer> {
  const input = capLines(streams.stdin ?? process.stdin, streams.maxLineBytes ?? MAX_STDIO_LINE_BYTES, (error) =>
    app.onInternalError?.(error),
  );
  const stdin = input.stream;
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
      input.release();
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

/**
 * `input` passed through unchanged until a line grows past `max` bytes: then the stream ends (the server stops as if
 * the client had gone) and `onOverflow` says why. `release()` lets go of `input` (a piped stdin would keep node
 * running after the server stopped).
 */
function capLines(
  input: Readable,
  max: number,
  onOverflow: (error: Error) => void,
): { stream: Readable; release(): void } {
  let pending = 0;
  let stopped = false;
  const release = (): void => {
    input.unpipe(capped);
    input.pause();
  };
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (stopped) return done();
      const first = chunk.indexOf(0x0a);
      const longest = first === -1 ? pending + chunk.length : pending + first;
      if (longest > max) {
        stopped = true;
        release();
        const error = new Error(`the client sent a message line over ${max / 1024 / 1024} MiB without ending it: stopping`);
        error.name = "ClientError"; // the client's doing, not a bug of the server
        onOverflow(error);
        this.push(null);
        return done();
      }
      pending = first === -1 ? longest : chunk.length - chunk.lastIndexOf(0x0a) - 1;
      done(null, chunk);
    },
  });
  const end = (): void => {
    if (!stopped) capped.end();
  };
  input.once("end", end);
  input.once("close", end);
  input.pipe(capped, { end: false });
  return { stream: capped, release };
}
