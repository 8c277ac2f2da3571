/**
 * The host end of the bridge: NDJSON JSON-RPC 2.0 over the worker's extra fd (a UNIX socketpair). Enforces the
 * per-message size limit and well-formedness; a violation is reported once and the caller kills the worker.
 */
import type { Socket } from "node:net";
import type { JsonRpcResponse } from "./protocol.js";

export interface BridgeHandlers {
  /** A request from the worker; the returned value or JSON-RPC error object is sent back. */
  onRequest(
    method: string,
    params: unknown,
  ): Promise<{ result?: unknown; resultJson?: string; error?: JsonRpcResponse["error"] }>;
  onNotification(method: string, params: unknown): void;
  onViolation(reason: string): void;
}

export class BridgeConnection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private nextId = 0;
  private readonly pending = new Map<number, (response: JsonRpcResponse) => void>();
  private violated = false;
  private corked = false;
  private closed = false;
  handlers: BridgeHandlers | null = null;
  /** Messages that arrived before handlers were attached (e.g. "ready"). */
  private early: unknown[] = [];

  constructor(
    private readonly socket: Socket,
    readonly maxMessageBytes: number,
  ) {
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => this.close());
    socket.on("close", () => this.close());
  }

  attach(handlers: BridgeHandlers): void {
    this.handlers = handlers;
    const early = this.early;
    this.early = [];
    for (const message of early) this.dispatch(message);
  }

  request(method: string, params: unknown): Promise<JsonRpcResponse> {
    this.nextId += 1;
    const id = this.nextId;
    return new Promise((resolve) => {
      if (this.closed) {
        resolve({ jsonrpc: "2.0", id, error: { code: -32600, message: "bridge closed" } });
        return;
      }
      this.pending.set(id, resolve);
      this.send({ jsonrpc: "2.0", id, method, params });
    });
  }

  send(message: unknown): void {
    this.sendRaw(`${JSON.stringify(message)}\n`);
  }

  /** One already-serialized line (ending in "\n"). */
  sendRaw(line: string): void {
    if (this.closed || this.socket.destroyed) return;
    // Answers produced in the same tick leave in one writev (many concurrent calls finish together).
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        if (!this.socket.destroyed) this.socket.uncork();
      });
    }
    this.socket.write(line);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const [id, settle] of this.pending) {
      settle({ jsonrpc: "2.0", id, error: { code: -32600, message: "bridge closed" } });
    }
    this.pending.clear();
    this.socket.destroy();
  }

  private violation(reason: string): void {
    if (this.violated) return;
    this.violated = true;
    this.chunks = [];
    this.buffered = 0;
    this.handlers?.onViolation(reason);
    this.close();
  }

  private receive(chunk: Buffer): void {
    if (this.violated) return;
    let start = 0;
    let newline = chunk.indexOf(10, start);
    while (newline >= 0) {
      const part = chunk.subarray(start, newline);
      const line = this.chunks.length > 0 ? Buffer.concat([...this.chunks, part]) : part;
      this.chunks = [];
      this.buffered = 0;
      if (line.length > this.maxMessageBytes) {
        this.violation(`a bridge message of ${line.length} bytes is over the ${this.maxMessageBytes}-byte limit`);
        return;
      }
      if (line.length > 0) this.parse(line);
      if (this.violated) return;
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.chunks.push(rest);
      this.buffered += rest.length;
      if (this.buffered > this.maxMessageBytes) {
        this.violation(`a bridge message is over the ${this.maxMessageBytes}-byte limit`);
      }
    }
  }

  private parse(line: Buffer): void {
    let message: unknown;
    try {
      message = JSON.parse(line.toString("utf8"));
    } catch {
      this.violation("a bridge message is not valid JSON");
      return;
    }
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      this.violation("a bridge message is not a JSON-RPC object");
      return;
    }
    if (!this.handlers) {
      this.early.push(message);
      return;
    }
    this.dispatch(message);
  }

  private dispatch(raw: unknown): void {
    const message = raw as { id?: unknown; method?: unknown; params?: unknown };
    if (typeof message.method === "string") {
      const method = message.method;
      if (message.id === undefined) {
        this.handlers?.onNotification(method, message.params);
        return;
      }
      const id = message.id;
      if (typeof id !== "number" && typeof id !== "string") {
        this.violation("a bridge request has an invalid id");
        return;
      }
      void this.handlers?.onRequest(method, message.params).then(
        (answer) => {
          if (answer.resultJson !== undefined && !answer.error) {
            this.sendRaw(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${answer.resultJson}}\n`);
          } else {
            this.send({ jsonrpc: "2.0", id, ...(answer.error ? { error: answer.error } : { result: answer.result }) });
          }
        },
        (error: unknown) =>
          this.send({ jsonrpc: "2.0", id, error: { code: -32603, message: (error as Error)?.message ?? "internal" } }),
      );
      return;
    }
    if (typeof message.id === "number") {
      const settle = this.pending.get(message.id);
      if (settle) {
        this.pending.delete(message.id);
        settle(message as JsonRpcResponse);
      }
    }
  }
}
