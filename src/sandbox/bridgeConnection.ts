/**
 * The host end of the bridge: NDJSON JSON-RPC 2.0 over the worker's extra fd (a UNIX socketpair). It enforces what
 * a program may cost the host (protocol.ts BRIDGE_LIMITS): message size and nesting, refused and unknown messages,
 * requests in flight, answers the program has not read (back-pressure: the host stops reading), bytes in all and
 * the host's own time. A violation is reported once and the caller kills the worker. The host's own requests get
 * random ids: an answer is taken only for an id the host sent and is still waiting for.
 */
import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { BRIDGE_LIMITS, type BridgeLimits, type JsonRpcResponse, nestedDeeperThan } from "./protocol.js";

export interface BridgeAnswer {
  result?: unknown;
  resultJson?: string;
  error?: JsonRpcResponse["error"];
  /** Set when the request was refused (undeclared tool, bad arguments, unknown method): it counts as one. */
  refused?: string;
}

export interface BridgeHandlers {
  /** A request from the worker; the returned value or JSON-RPC error object is sent back. */
  onRequest(method: string, params: unknown): Promise<BridgeAnswer>;
  onNotification(method: string, params: unknown): void;
  onViolation(reason: string): void;
}

/** Notifications a worker may send (any other counts as a refused message). */
const NOTIFICATIONS = new Set(["ready", "log"]);

export class BridgeConnection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly pending = new Map<string, (response: JsonRpcResponse) => void>();
  private violated = false;
  private corked = false;
  private closed = false;
  readonly limits: BridgeLimits;
  handlers: BridgeHandlers | null = null;
  /** Messages that arrived before handlers were attached (e.g. "ready"). */
  private early: unknown[] = [];
  /** Refused or unknown messages over the worker's life. */
  refused = 0;
  /** Requests handed to the handlers and not answered yet, and their size. */
  private inFlight = 0;
  private inFlightBytes = 0;
  /** Bytes read and host time spent since the current run began (startRun). */
  private inbound = 0;
  private hostMs = 0;
  /** Unprocessed bytes of a chunk, kept while reading is paused. */
  private backlog: Buffer | null = null;
  private paused = false;

  constructor(
    private readonly socket: Socket,
    limits: Partial<BridgeLimits> | number = {},
  ) {
    this.limits = { ...BRIDGE_LIMITS, ...(typeof limits === "number" ? { maxMessageBytes: limits } : limits) };
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("drain", () => this.maybeResume());
    socket.on("error", () => this.close());
    socket.on("close", () => this.close());
  }

  get maxMessageBytes(): number {
    return this.limits.maxMessageBytes;
  }

  attach(handlers: BridgeHandlers): void {
    this.handlers = handlers;
    const early = this.early;
    this.early = [];
    for (const message of early) this.dispatch(message);
  }

  /** A run begins (hand-off): the byte and time budgets are per run. */
  startRun(): void {
    this.inbound = 0;
    this.hostMs = 0;
  }

  /** Host CPU spent reading and checking this run's messages so far (ms). */
  get hostTimeMs(): number {
    return this.hostMs;
  }

  request(method: string, params: unknown): Promise<JsonRpcResponse> {
    // Unguessable: a program writing answers on fd 3 cannot match a request it has not seen.
    const id = `h${randomBytes(16).toString("hex")}`;
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
    this.backlog = null;
    this.socket.destroy();
  }

  /** Counts one refused or unknown message; past maxRefused the worker is killed. */
  noteRefusal(reason: string): void {
    this.refused += 1;
    if (this.refused > this.limits.maxRefused) {
      this.violation(`the program kept sending refused messages (${this.limits.maxRefused} refused; last: ${reason})`);
    }
  }

  private violation(reason: string): void {
    if (this.violated) return;
    this.violated = true;
    this.chunks = [];
    this.buffered = 0;
    this.handlers?.onViolation(reason);
    this.close();
  }

  /** Over a budget of answers in preparation or not yet read by the program: stop reading for now. */
  private mustPause(): boolean {
    return (
      this.inFlight >= this.limits.maxInFlight ||
      this.inFlightBytes > this.limits.maxInFlightBytes ||
      this.socket.writableLength > this.limits.maxUnreadBytes
    );
  }

  private maybeResume(): void {
    if (!this.paused || this.closed || this.mustPause()) return;
    this.paused = false;
    const backlog = this.backlog;
    this.backlog = null;
    if (backlog) this.process(backlog);
    if (!this.paused && !this.closed) this.socket.resume();
  }

  private receive(chunk: Buffer): void {
    if (this.violated) return;
    this.inbound += chunk.length;
    if (this.inbound > this.limits.maxInboundBytes) {
      this.violation(`the program sent more than ${this.limits.maxInboundBytes} bytes over the bridge in one run`);
      return;
    }
    this.process(chunk);
  }

  private process(chunk: Buffer): void {
    // CPU, not wall-clock time: a busy machine must not make a legal run look abusive.
    const started = process.cpuUsage();
    try {
      let start = 0;
      for (;;) {
        if (this.violated) return;
        if (this.mustPause()) {
          if (start < chunk.length) this.backlog = chunk.subarray(start);
          this.paused = true;
          this.socket.pause();
          return;
        }
        const newline = chunk.indexOf(10, start);
        if (newline < 0) break;
        const part = chunk.subarray(start, newline);
        const line = this.chunks.length > 0 ? Buffer.concat([...this.chunks, part]) : part;
        this.chunks = [];
        this.buffered = 0;
        start = newline + 1;
        if (line.length > this.limits.maxMessageBytes) {
          this.violation(`a bridge message of ${line.length} bytes is over the ${this.limits.maxMessageBytes}-byte limit`);
          return;
        }
        if (line.length > 0) this.parse(line, line.length);
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        this.chunks.push(rest);
        this.buffered += rest.length;
        if (this.buffered > this.limits.maxMessageBytes) {
          this.violation(`a bridge message is over the ${this.limits.maxMessageBytes}-byte limit`);
        }
      }
    } finally {
      const used = process.cpuUsage(started);
      this.hostMs += (used.user + used.system) / 1000;
      if (this.hostMs > this.limits.maxHostMs) {
        this.violation(`the program's bridge messages took the host more than ${this.limits.maxHostMs} ms of CPU`);
      }
    }
  }

  private parse(line: Buffer, bytes: number): void {
    // Refused before parsing: deep nesting is what overflows the host's stack later (stringify, schema checks).
    if (nestedDeeperThan(line, this.limits.maxDepth)) {
      const id = /^\s*\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*(\d{1,15}|"[^"\\]{1,64}")/.exec(
        line.subarray(0, 256).toString("utf8"),
      )?.[1];
      const reason = `a bridge message is nested deeper than ${this.limits.maxDepth} levels`;
      if (id !== undefined) {
        this.sendRaw(
          `${JSON.stringify({ jsonrpc: "2.0", id: JSON.parse(id), error: { code: -32600, message: reason, data: { code: "BRIDGE_PROTOCOL" } } })}\n`,
        );
      }
      this.noteRefusal(reason);
      return;
    }
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
    this.dispatch(message, bytes);
  }

  private dispatch(raw: unknown, bytes = 0): void {
    const message = raw as { id?: unknown; method?: unknown; params?: unknown };
    if (typeof message.method === "string") {
      const method = message.method;
      if (message.id === undefined) {
        if (!NOTIFICATIONS.has(method)) this.noteRefusal(`an unknown notification "${method.slice(0, 64)}"`);
        else this.handlers?.onNotification(method, message.params);
        return;
      }
      const id = message.id;
      if (typeof id !== "number" && typeof id !== "string") {
        this.violation("a bridge request has an invalid id");
        return;
      }
      const handlers = this.handlers;
      if (!handlers) return;
      this.inFlight += 1;
      this.inFlightBytes += bytes;
      const answered = (): void => {
        this.inFlight -= 1;
        this.inFlightBytes -= bytes;
        this.maybeResume();
      };
      void handlers.onRequest(method, message.params).then(
        (answer) => {
          if (answer.refused !== undefined) this.noteRefusal(answer.refused);
          if (answer.resultJson !== undefined && !answer.error) {
            this.sendRaw(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${answer.resultJson}}\n`);
          } else {
            this.send({ jsonrpc: "2.0", id, ...(answer.error ? { error: answer.error } : { result: answer.result }) });
          }
          answered();
        },
        (error: unknown) => {
          // A handler that throws (e.g. a stack overflow in a check) refused the request as well.
          this.noteRefusal(`a request the host could not handle (${(error as Error)?.message ?? "internal"})`);
          this.send({ jsonrpc: "2.0", id, error: { code: -32603, message: (error as Error)?.message ?? "internal" } });
          answered();
        },
      );
      return;
    }
    const id = message.id;
    const settle = typeof id === "string" ? this.pending.get(id) : undefined;
    if (settle) {
      this.pending.delete(id as string);
      settle(message as JsonRpcResponse);
      return;
    }
    this.noteRefusal("an answer to a request the host never sent");
  }
}
