/** Builds the one RunResult of a run from the worker's answer, its exit, its logs and the run's limits. */
import { isSkillsError } from "../errors.js";
import type { JsonObject } from "../mcp/types.js";
import type { ExecuteResult } from "./protocol.js";
import { checkSchema } from "./schemaCache.js";
import type {
  Isolation,
  KilledBy,
  RunError,
  RunLimits,
  RunResult,
  ToolCallInterceptor,
  ToolCallRecord,
} from "./types.js";
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
  const warnings = [...ctx.warnings];
  const truncated: NonNullable<RunResult["truncated"]> = {};
  let logs = ctx.logs.text;
  let stderr = ctx.stderr.text;
  if (ctx.logs.dropped > 0) {
    truncated.logs = dropNotice("stdout", ctx.logs.dropped, limits.maxLogBytes);
    logs += `\n${truncated.logs}\n`;
  }
  if (ctx.stderr.dropped > 0) {
    truncated.stderr = dropNotice("stderr", ctx.stderr.dropped, limits.maxLogBytes);
    stderr += `\n${truncated.stderr}\n`;
  }
  let ok = false;
  let result: unknown;
  let error: RunError | undefined;
  let killedBy: KilledBy = ctx.killedBy;
  // The worker measures and cuts the result; the host checks again, since a program can write its own "answer".
  if (reply?.ok && !reply.truncated) {
    const json = JSON.stringify(reply.value ?? null) ?? "null";
    const bytes = Buffer.byteLength(json);
    if (bytes > limits.maxOutputBytes) reply.truncated = { bytes, preview: json.slice(0, limits.maxOutputBytes) };
  }
  if (reply?.ok && reply.truncated) {
    reply.truncated.preview = String(reply.truncated.preview).slice(0, limits.maxOutputBytes);
    ok = true;
    const notice = `the result is ${reply.truncated.bytes} bytes of JSON, over the ${limits.maxOutputBytes}-byte limit (max_output_bytes); only a preview is kept`;
    truncated.result = notice;
    result = { truncated: true, notice, preview: reply.truncated.preview };
    warnings.push(notice);
    if (ctx.outputSchema) warnings.push("the output schema was not checked because the result was truncated");
  } else if (reply?.ok) {
    ok = true;
    result = reply.value ?? null;
    if (ctx.outputSchema) {
      const check = checkSchema(ctx.outputSchema, result);
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
    logs,
    stderr,
    timedOut: killedBy === "timeout",
    killedBy,
    durationMs: round(ctx.durationMs),
    cpuMs: round(reply?.cpuMs ?? ctx.hostCpuMs ?? 0),
    isolation: ctx.isolation,
    toolCalls: ctx.toolCalls,
    ...(Object.keys(truncated).length > 0 ? { truncated } : {}),
    warnings,
  };
  return applyInterceptor(out, ctx.interceptor);
}

/** Lets the PII interceptor scrub or refuse what leaves the run. */
function applyInterceptor(result: RunResult, interceptor?: ToolCallInterceptor): RunResult {
  if (!interceptor) return result;
  try {
    if (interceptor.checkOutput) {
      if (result.result !== undefined) result.result = interceptor.checkOutput(result.result);
      result.logs = interceptor.checkOutput(result.logs) as string;
      result.stderr = interceptor.checkOutput(result.stderr) as string;
      if (result.error) result.error = interceptor.checkOutput(result.error) as RunError;
    }
  } catch (error) {
    result.ok = false;
    result.result = undefined;
    result.logs = "";
    result.stderr = "";
    result.error = {
      code: isSkillsError(error) ? error.code : "PII_LEAK",
      message: error instanceof Error ? error.message : String(error),
    };
  }
  if (interceptor.audit) result.pii = interceptor.audit();
  return result;
}
