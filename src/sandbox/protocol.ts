/**
 * The bridge protocol between the host and a program in the sandbox.
 *
 * Transport: one UNIX stream socket (a socketpair made by the host) on the fd named by the env variable
 * SKILLS_BRIDGE_FD (default 3). Each message is one line of UTF-8 JSON-RPC 2.0 ending in "\n". stdout and stderr
 * stay free for the program's own prints. Both sides may have many requests in flight (ids are unique per sender).
 *
 * Program -> host:
 *   request  "tools/call"  params { server, tool, arguments }  -> result: the MCP CallToolResult as the server
 *            returned it ({ content, structuredContent?, isError? }); the runtime in the sandbox unwraps it.
 *            A call the host refuses is a JSON-RPC error whose data.code is one of BRIDGE_ERROR_CODES' keys.
 *   notification "log"     params { level, message }   (optional structured logs)
 *
 * Host -> worker (owned by src/sandbox):
 *   request  "execute"     params ExecuteParams -> result ExecuteResult (the program's result travels here,
 *            never through stdout).
 *
 * A message over MAX_MESSAGE_BYTES is refused by the receiver (the host kills a worker that sends one).
 *
 * What the host allows a program on the bridge per run (BRIDGE_LIMITS): messages nested at most MAX_DEPTH deep (a
 * deeper one is refused before it is parsed: it could overflow the host's stack), at most maxRefused refused or
 * unknown messages (requests for unknown methods, unknown notifications, answers to requests the host never sent,
 * refused tool calls), at most maxInFlight requests (maxInFlightBytes of them) being answered at once and
 * maxUnreadBytes of answers the program has not read yet (past any, the host stops reading until it catches up:
 * back-pressure), maxInboundBytes in all, and maxHostMs of the host's CPU spent reading and checking them. Past a limit the worker is killed
 * (killedBy "bridge"). The host's requests carry random string ids, so no program can answer them by guessing.
 */

export const PROTOCOL_VERSION = 1;
export const BRIDGE_FD_ENV = "SKILLS_BRIDGE_FD";
export const DEFAULT_BRIDGE_FD = 3;
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export interface BridgeLimits {
  maxMessageBytes: number;
  maxDepth: number;
  maxRefused: number;
  maxInFlight: number;
  maxInFlightBytes: number;
  maxUnreadBytes: number;
  maxInboundBytes: number;
  maxHostMs: number;
}

export const BRIDGE_LIMITS: Readonly<BridgeLimits> = Object.freeze({
  maxMessageBytes: MAX_MESSAGE_BYTES,
  maxDepth: 64,
  maxRefused: 1000,
  maxInFlight: 64,
  maxInFlightBytes: 16 * 1024 * 1024,
  maxUnreadBytes: 16 * 1024 * 1024,
  maxInboundBytes: 64 * 1024 * 1024,
  maxHostMs: 5000,
});

/**
 * True when the JSON text nests arrays/objects deeper than `max` (strings are skipped). A byte scan that stops at
 * the first level past `max`: it costs the host at most the message's length, never a parse or a recursion.
 */
export function nestedDeeperThan(line: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The worker's answer to "execute", checked field by field; null when it is not one. */
export function asExecuteResult(value: unknown): ExecuteResult | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const optional = (key: string, type: string) => v[key] === undefined || typeof v[key] === type;
  if (typeof v.ok !== "boolean") return null;
  if (!optional("bytes", "number") || !optional("cpuMs", "number")) return null;
  if (!optional("logs", "string") || !optional("stderr", "string")) return null;
  if (!optional("logsDropped", "number") || !optional("stderrDropped", "number")) return null;
  const cut = v.truncated as { bytes?: unknown; preview?: unknown } | undefined;
  if (cut !== undefined && (typeof cut !== "object" || cut === null || typeof cut.bytes !== "number" || typeof cut.preview !== "string"))
    return null;
  const error = v.error as { code?: unknown; message?: unknown; stack?: unknown } | undefined;
  if (
    error !== undefined &&
    (typeof error !== "object" ||
      error === null ||
      typeof error.code !== "string" ||
      typeof error.message !== "string" ||
      (error.stack !== undefined && typeof error.stack !== "string"))
  )
    return null;
  return value as ExecuteResult;
}

/** JSON-RPC error codes the host uses for refused tool calls; data.code carries the string code. */
export const BRIDGE_ERROR_CODES = {
  TOOL_NOT_DECLARED: -32001,
  TOOL_ARGS_INVALID: -32002,
  TOOL_CALL_LIMIT: -32003,
  TOOL_CALL_FAILED: -32004,
  BRIDGE_PROTOCOL: -32600,
} as const;

export type BridgeErrorCode = keyof typeof BRIDGE_ERROR_CODES;

export interface ToolCallParams {
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
}

export interface JsonRpcRequest<P = unknown> {
  jsonrpc: "2.0";
  id?: number | string;
  method: string;
  params?: P;
}

export interface JsonRpcError {
  code: number;
  message: string;
  data?: { code: string; [key: string]: unknown };
}

export interface JsonRpcResponse<R = unknown> {
  jsonrpc: "2.0";
  id: number | string;
  result?: R;
  error?: JsonRpcError;
}

/** Host -> worker "execute" params. `code` is Python source, or for TS/JS one bundled ES module. */
export interface ExecuteParams {
  code: string;
  /** File name shown in tracebacks (e.g. /skill/main.py). */
  filename?: string;
  input?: unknown;
  /** Folder inside the sandbox holding the generated `servers` package (Python). */
  sdk?: string;
  /** Extra import paths inside the sandbox (Python), e.g. /skill. */
  paths?: string[];
  cwd?: string;
  /** Keep the namespace and capture logs in the worker (sessions). */
  session?: boolean;
  /** Over this many bytes of JSON the worker sends a preview (its first maxOutputBytes characters) instead. */
  maxOutputBytes?: number;
  /**
   * What the reply may spend on the result: a value whose JSON is larger comes as a preview too, and a preview is
   * cut until its JSON-string encoding fits (so the reply stays under MAX_MESSAGE_BYTES).
   */
  maxReplyBytes?: number;
  maxLogBytes?: number;
  /** Written to stdout and stderr after the program's last output, so the host knows the logs are complete. */
  logMarker?: string;
  /** Limits a Python worker applies to itself before running (lowering only). */
  rlimits?: { cpuSeconds?: number; fileBytes?: number; openFiles?: number; processes?: number };
}

/** Worker -> host answer to "execute". */
export interface ExecuteResult {
  ok: boolean;
  /** The program's result (absent when truncated or failed). */
  value?: unknown;
  /** Size of the JSON-encoded result. */
  bytes?: number;
  /** Set instead of value when the result is over maxOutputBytes or maxReplyBytes. */
  truncated?: { bytes: number; preview: string };
  error?: { code: string; message: string; stack?: string };
  cpuMs?: number;
  /** Session executions capture their logs in the worker. */
  logs?: string;
  stderr?: string;
  logsDropped?: number;
  stderrDropped?: number;
}

/** Worker -> host notification once the runtime is loaded and it waits for "execute". */
export interface ReadyParams {
  pid: number;
  language: string;
}
