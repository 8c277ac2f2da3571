/** Builds the one RunResult of a run from the worker's answer, its exit, its logs and the run's limits. */
import { isSkillsError } from "../errors.js";
import type { JsonObject } from "../contracts/json.js";
import { type ExecuteResult, MAX_MESSAGE_BYTES } from "./protocol.js";
import { checkSchema } from "./schemaCache.js";
import type {
  Isolation,
  KilledBy,
  OutputPart,
  RunError,
  RunLimits,
  RunResult,
  ToolCallInterceptor,
  ToolCallRecord,
} from "../contracts/run.js";
import type { ExitInfo } from "./worker.js";

export interface ResultContext {
  reply: ExecuteResult | null;
  limits: RunLimits;
  isolation: Isolation;
  toolCalls: ToolCallRecord[];
  durationMs: number;
  /** CPU measured by the host (cgroup) when the worker did not report it. */
  hostCpuMs: number | null;
  logs: { text: string; dropped: number };
  stderr: { text: string; dropped: number };
  killedBy: KilledBy;
  violation: string | null;
  exit: ExitInfo | null;
  oomKilled: boolean;
  outputSchema?: JsonObject;
  interceptor?: ToolCallInterceptor;
  warnings: string[];
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

function dropNotice(stream: string, dropped: number, limit: number): string {
  return `[skills: ${dropped} more bytes of ${stream} were dropped: over the ${limit}-byte log limit]`;
}

/** Why a worker that gave no answer ended. */
function inferKill(ctx: ResultContext): KilledBy {
  if (ctx.killedBy) return ctx.killedBy;
  if (ctx.oomKilled || /heap out of memory|MemoryError/.test(ctx.stderr.text)) return "memory";
  const signal = ctx.exit?.signal;
  const code = ctx.exit?.code;
  if (signal === "SIGXCPU" || code === 128 + 24) return "cpu";
  // The rlimit also counts the interpreter's start, which the cgroup figure (taken from hand-off) does not.
  if (ctx.hostCpuMs !== null && ctx.hostCpuMs >= ctx.limits.cpuMs * 0.8) return "cpu";
  if (signal || (code !== null && code !== undefined && code > 128)) return "signal";
  return null;
}

function failureFor(killedBy: KilledBy, ctx: ResultContext): RunError {
  const { limits } = ctx;
  switch (killedBy) {
    case "timeout":
      return {
        code: "TIMEOUT",
        message: `the program ran longer than ${limits.timeoutMs} ms and was killed (timeout_ms)`,
      };
    case "cpu":
      return {
        code: "CPU_LIMIT",
        message: `the program used more than ${limits.cpuMs} ms of CPU and was killed (cpu_ms)`,
      };
    case "memory":
      return {
        code: "MEMORY_LIMIT",
        message: `the program used more than ${limits.memoryMb} MiB of memory and was killed (memory_mb)`,
      };
    case "bridge":
      return {
        code: "BRIDGE_PROTOCOL",
        message: `the program broke the bridge protocol and was killed: ${ctx.violation ?? "invalid message"}`,
      };
    case "signal":
      if (ctx.violation) return { code: "CANCELLED", message: ctx.violation };
      return {
        code: "SANDBOX_FAILED",
        message: `the program was killed by ${ctx.exit?.signal ?? `exit status ${ctx.exit?.code}`}`,
      };
    default: {
      const last = ctx.stderr.text.trim().split("\n").slice(-3).join("\n");
      return {
        code: "SANDBOX_FAILED",
        message: `the program's process exited (code ${ctx.exit?.code ?? "?"}) before returning a result${last ? `: ${last}` : ""}`,
      };
    }
  }
}

export function buildResult(ctx: ResultContext): RunResult {
  const { reply, limits } = ctx;
  const checking = checksOutput(ctx.interceptor);
  const warnings = [...ctx.warnings];
  // A cut stream may end in half a value (`ada.lovelace@e`) that no detector sees: under PII its cut line goes too.
  const logs = checking ? wholeLines(ctx.logs) : { ...ctx.logs };
  const stderr = checking ? wholeLines(ctx.stderr) : { ...ctx.stderr };
  let ok = false;
  let result: unknown;
  let error: RunError | undefined;
  let killedBy: KilledBy = ctx.killedBy;
  // The worker cut the result (over what it may send): only this prefix of the JSON reached the host.
  let cut: { bytes: number; preview: string } | undefined;
  // The worker measures and cuts the result; the host checks again, since a program can write its own "answer".
  let schemaChecked = false;
  if (reply?.ok && reply.truncated) {
    ok = true;
    cut = { bytes: reply.truncated.bytes, preview: String(reply.truncated.preview) };
  } else if (reply?.ok) {
    ok = true;
    result = reply.value ?? null;
    if (ctx.outputSchema && jsonBytes(result) <= limits.maxOutputBytes) {
      schemaChecked = true;
      const check = checkSchema("skillOutput", ctx.outputSchema, result);
      if (!check.ok) {
        ok = false;
        error = {
          code: "OUTPUT_INVALID",
          message: `the result does not match the output schema at ${check.pointer || "/"}: ${check.message}`,
          pointer: check.pointer ?? "",
        };
      }
    }
  } else if (reply && !reply.ok && reply.error && !ctx.killedBy) {
    error = { ...reply.error };
  } else {
    killedBy = inferKill(ctx);
    error = failureFor(killedBy, ctx);
  }
  const out: RunResult = {
    ok,
    ...(ok || result !== undefined ? { result } : {}),
    ...(error ? { error } : {}),
    logs: logs.text,
    stderr: stderr.text,
    timedOut: killedBy === "timeout",
    killedBy,
    durationMs: round(ctx.durationMs),
    // The host's measure (the cgroup) when it has one: it counts every process of the run, and a program cannot
    // forge it the way it could forge its worker's answer.
    cpuMs: round(Math.max(0, ctx.hostCpuMs ?? reply?.cpuMs ?? 0)),
    isolation: ctx.isolation,
    toolCalls: ctx.toolCalls,
    warnings,
  };
  // Checked whole, then cut: a value split by the cut would slip past the detectors (and strict mode must refuse
  // a value wherever it is in the result, not only in the part that is kept).
  if (ctx.interceptor && !applyInterceptor(out, cut, ctx.interceptor, checking, warnings)) return out;
  const truncated: NonNullable<RunResult["truncated"]> = {};
  if (out.ok) {
    const json = cut ? cut.preview : (JSON.stringify(out.result ?? null) ?? "null");
    const bytes = cut ? cut.bytes : Buffer.byteLength(json);
    if (cut || bytes > limits.maxOutputBytes) {
      // Under max_output_bytes and still cut: the worker's reply could not carry it (one bridge message).
      const over =
        bytes > limits.maxOutputBytes
          ? `over the ${limits.maxOutputBytes}-byte limit (max_output_bytes)`
          : `more than one ${MAX_MESSAGE_BYTES}-byte bridge message can carry`;
      const notice = `the result is ${bytes} bytes of JSON, ${over}; only a preview is kept`;
      truncated.result = notice;
      let preview = cutBytes(json, limits.maxOutputBytes);
      // A preview that reaches the worker's own cut would end in a token the check saw only in part: it goes.
      if (cut && checking && preview === json) preview = wholeJsonTokens(preview);
      out.result = { truncated: true, notice, preview };
      warnings.push(notice);
      if (ctx.outputSchema && !schemaChecked)
        warnings.push("the output schema was not checked because the result was truncated");
    }
  }
  if (logs.dropped > 0) {
    truncated.logs = dropNotice("stdout", logs.dropped, limits.maxLogBytes);
    out.logs += `${out.logs === "" || out.logs.endsWith("\n") ? "" : "\n"}${truncated.logs}\n`;
  }
  if (stderr.dropped > 0) {
    truncated.stderr = dropNotice("stderr", stderr.dropped, limits.maxLogBytes);
    out.stderr += `${out.stderr === "" || out.stderr.endsWith("\n") ? "" : "\n"}${truncated.stderr}\n`;
  }
  if (Object.keys(truncated).length > 0) out.truncated = truncated;
  return out;
}

/**
 * What the worker may send back as the result. Under PII the host must see the whole result to check it before it
 * cuts it to max_output_bytes, so the worker sends up to what fits in one bridge message (less room for a session's
 * logs, which travel in the same message); only a result larger than that is cut by the worker.
 */
export function workerOutputBytes(limits: RunLimits, interceptor?: ToolCallInterceptor, session = false): number {
  if (!checksOutput(interceptor)) return limits.maxOutputBytes;
  return Math.max(limits.maxOutputBytes, workerReplyBytes(limits, session));
}

/**
 * What one bridge message can carry for the result: the worker's reply (the result's JSON, or a preview's JSON
 * string) must fit in MAX_MESSAGE_BYTES with its envelope and, for a session, the logs that travel with it.
 */
export function workerReplyBytes(limits: RunLimits, session = false): number {
  const room = MAX_MESSAGE_BYTES - ENVELOPE_BYTES - (session ? 2 * limits.maxLogBytes : 0);
  return Math.max(room, MIN_REPLY_BYTES);
}

/** Room left in a bridge message for its JSON-RPC envelope and the reply's other fields. */
const ENVELOPE_BYTES = 256 * 1024;
/** A session whose log limit leaves (almost) no room still gets a short preview of its result. */
const MIN_REPLY_BYTES = 4 * 1024;

/** An interceptor that checks output, and is not one of PII mode off (which passes everything through). */
function checksOutput(interceptor?: ToolCallInterceptor): boolean {
  if (!interceptor?.checkOutput) return false;
  return (interceptor as { policy?: { mode?: unknown } }).policy?.mode !== "off";
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null) ?? "null");
}

/** The first `max` bytes of the text in UTF-8, never ending in part of a character. */
export function cutBytes(text: string, max: number): string {
  if (text.length <= max / 3 || Buffer.byteLength(text) <= max) return text;
  const buffer = Buffer.from(text);
  let end = max;
  // Back off to the lead byte of a character the cut would split (continuation bytes are 10xxxxxx).
  while (end > 0 && ((buffer[end] ?? 0) & 0xc0) === 0x80) end--;
  return buffer.subarray(0, end).toString("utf8");
}

/** A capped stream without its last, cut line (no newline kept: back to the last whitespace, else nothing). */
export function wholeLines(stream: { text: string; dropped: number }): { text: string; dropped: number } {
  if (stream.dropped === 0 || stream.text === "" || stream.text.endsWith("\n")) return { ...stream };
  const newline = stream.text.lastIndexOf("\n");
  const end = newline >= 0 ? newline + 1 : lastWhitespace(stream.text) + 1;
  const tail = stream.text.slice(end);
  return { text: stream.text.slice(0, end), dropped: stream.dropped + Buffer.byteLength(tail) };
}

function lastWhitespace(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (/\s/.test(text[i] as string)) return i;
  return -1;
}

/**
 * A prefix of a JSON text without its last, cut token: an unterminated string goes from its opening quote, a
 * number or literal at the very end goes whole (it may be longer in the full text).
 */
export function wholeJsonTokens(prefix: string): string {
  let inString = false;
  let start = -1;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
      start = i;
    }
  }
  if (inString) return prefix.slice(0, start);
  const bare = /[0-9A-Za-z.+-]+$/.exec(prefix);
  return bare ? prefix.slice(0, bare.index) : prefix;
}

/**
 * Lets the PII interceptor scrub or refuse what leaves the run: the whole result (or, when the worker cut it, the
 * prefix it sent), logs, stderr and error, in that order. Returns false when it refused: the run then failed with
 * its code, the part that held the value, the JSON pointer, the counts per type and the hint.
 */
function applyInterceptor(
  out: RunResult,
  cut: { bytes: number; preview: string } | undefined,
  interceptor: ToolCallInterceptor,
  checking: boolean,
  warnings: string[],
): boolean {
  const check = interceptor.checkOutput;
  let refused = false;
  if (check && checking) {
    let part: OutputPart = "result";
    const checkedBytes = cut ? Buffer.byteLength(cut.preview) : 0;
    try {
      if (cut) cut.preview = check(cut.preview) as string;
      else if (out.result !== undefined) out.result = check(out.result);
      part = "logs";
      out.logs = check(out.logs) as string;
      part = "stderr";
      out.stderr = check(out.stderr) as string;
      part = "error";
      if (out.error) out.error = check(out.error) as RunError;
    } catch (error) {
      refused = true;
      out.ok = false;
      out.result = undefined;
      out.logs = "";
      out.stderr = "";
      out.error = refusal(error, part);
    }
    if (cut && !refused) {
      warnings.push(
        `the result (${cut.bytes} bytes) was too large to reach the host whole: only its first ${checkedBytes} bytes were checked for personal data`,
      );
    }
  }
  if (interceptor.audit) out.pii = interceptor.audit();
  return !refused;
}

function refusal(error: unknown, part: OutputPart): RunError {
  const data = isSkillsError(error) ? error.data : {};
  const code = isSkillsError(error) ? error.code : "PII_LEAK";
  const types = isCounts(data.types) ? data.types : undefined;
  const pointer =
    typeof data.pointer === "string" && data.pointer !== "" && (part === "result" || part === "error")
      ? data.pointer
      : undefined;
  const verb = part === "logs" ? "contain" : "contains";
  const what = types
    ? ` (${Object.entries(types)
        .map(([type, n]) => `${n} ${type}`)
        .join(", ")})`
    : "";
  const leak = isSkillsError(error) && error.code === "PII_LEAK";
  const message = leak
    ? `the run's ${part} still ${verb} personal data${what}${pointer !== undefined ? ` at ${pointer}` : ""}`
    : `the run's ${part} could not be checked for personal data: ${error instanceof Error ? error.message : String(error)}`;
  return {
    code,
    message,
    part,
    ...(pointer !== undefined ? { pointer } : {}),
    ...(types ? { types } : {}),
    ...(typeof data.hint === "string" ? { hint: data.hint } : {}),
  };
}

function isCounts(value: unknown): value is Record<string, number> {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.values(value).every((n) => typeof n === "number" && Number.isFinite(n))
  );
}
