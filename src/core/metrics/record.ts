/**
 * Shapes one run into its run-log record. Pure: the caller measured the times, counted the tokens and hashed the code.
 * What goes in is chosen field by field: codes, counts, sizes, durations, names of tools and skills; a run's error
 * message only with its values taken out (normaliseMessage). Nothing else of the run result is read.
 */
import type { PiiAudit } from "../../contracts/privacy.js";
import type { RunResult, ToolCallRecord } from "../../contracts/run.js";
import { RUN_RECORD_VERSION, type RunKind, type RunRecord, type RunToolRecord } from "../../contracts/runRecord.js";
import { normaliseMessage } from "./normalise.js";

/** Longest tool-call sequence kept per record (the insight looks for short repeated chains). */
export const MAX_SEQUENCE = 64;
/** Code that is not a skill yet: its call sequences are what a new skill could be made of. */
const SEQUENCE_KINDS = new Set<RunKind>(["exec", "repl", "serve"]);

export interface RecordFacts {
  id: string;
  /** When the run ended. */
  time: Date;
  kind: RunKind;
  client: string;
  language: string;
  skill?: string;
  version?: string;
  case?: string;
  codeSha256?: string;
  /** Whether a ready worker took the run. */
  warm: boolean;
  /** Start of the run to hand-off. */
  startupMs: number;
  tokensIn: number;
  tokensOut: number;
  resultBytes: number;
  /** Bytes of the input's JSON (absent: the run had no input). */
  inputBytes?: number;
}

/**
 * What the record reads of a run result. `isolation: "none"`: the run was refused or broke before its program started
 * (no bwrap under requireIsolation, a missing interpreter), so it has an error and nothing else.
 */
export type RunFigures = Pick<
  RunResult,
  "ok" | "result" | "error" | "durationMs" | "cpuMs" | "toolCalls" | "pii" | "memoryPeakBytes" | "warm" | "startupMs"
> & { isolation: RunResult["isolation"] | "none" };

const round = (ms: number): number => Math.round(ms * 100) / 100;

export function buildRunRecord(run: RunFigures, facts: RecordFacts): RunRecord {
  const tools = summariseTools(run.toolCalls);
  const record: RunRecord = {
    v: RUN_RECORD_VERSION,
    id: facts.id,
    time: facts.time.toISOString(),
    kind: facts.kind,
    client: facts.client,
    ...(facts.skill !== undefined ? { skill: facts.skill } : {}),
    ...(facts.version !== undefined ? { version: facts.version } : {}),
    ...(facts.case !== undefined ? { case: facts.case } : {}),
    ...(facts.codeSha256 !== undefined ? { code_sha256: facts.codeSha256 } : {}),
    language: facts.language,
    isolation: run.isolation,
    start: facts.warm ? "warm" : "cold",
    "mcp.method.name": "tools/call",
    duration_ms: round(run.durationMs),
    startup_ms: round(Math.max(0, facts.startupMs)),
    tool_ms: round(tools.reduce((sum, tool) => sum + tool.ms, 0)),
    cpu_ms: round(run.cpuMs),
    ...(typeof run.memoryPeakBytes === "number" ? { memory_peak_bytes: run.memoryPeakBytes } : {}),
    outcome: run.ok ? "ok" : "error",
    ...(run.ok || !run.error ? {} : errorFields(run.error.code, run.error.message)),
    tool_calls: run.toolCalls.length,
    tools,
    ...(SEQUENCE_KINDS.has(facts.kind)
      ? { sequence: run.toolCalls.slice(0, MAX_SEQUENCE).map((call) => call.tool) }
      : {}),
    tokens_in: facts.tokensIn,
    tokens_out: facts.tokensOut,
    result_bytes: facts.resultBytes,
    ...(run.ok ? { result_type: jsonType(run.result) } : {}),
    ...(facts.inputBytes !== undefined ? { input_bytes: facts.inputBytes } : {}),
  };
  const pii = piiCounts(run.pii);
  if (pii) record.pii = pii;
  return record;
}

export function jsonType(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  const type = typeof value;
  return type === "object" || type === "string" || type === "number" || type === "boolean" ? type : "null";
}

function errorFields(code: string, message: string): Pick<RunRecord, "error.type" | "error_message"> {
  const type = /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : "UNKNOWN";
  return { "error.type": type, error_message: normaliseMessage(message) };
}

/** Calls grouped per tool, in the order each tool was first called. */
export function summariseTools(calls: readonly ToolCallRecord[]): RunToolRecord[] {
  const byTool = new Map<string, RunToolRecord>();
  for (const call of calls) {
    let entry = byTool.get(call.tool);
    if (!entry) {
      entry = { "gen_ai.tool.name": call.tool, calls: 0, failed: 0, ms: 0, bytes_in: 0, bytes_out: 0 };
      byTool.set(call.tool, entry);
    }
    entry.calls += 1;
    entry.ms += call.ms;
    entry.bytes_in += call.bytesIn;
    entry.bytes_out += call.bytesOut;
    if (!call.ok) {
      entry.failed += 1;
      const code = call.error && /^[A-Z][A-Z0-9_]{0,63}$/.test(call.error) ? call.error : "TOOL_CALL_FAILED";
      entry.errors ??= {};
      entry.errors[code] = (entry.errors[code] ?? 0) + 1;
    }
  }
  for (const entry of byTool.values()) entry.ms = round(entry.ms);
  return [...byTool.values()];
}

/** Occurrences tokenized per PII type, from the interceptor's audit; undefined when there were none. */
function piiCounts(audit: PiiAudit | undefined): Record<string, number> | undefined {
  if (!audit) return undefined;
  const out: Record<string, number> = {};
  for (const [type, counts] of Object.entries(audit.types)) {
    const n = (counts.tokenized ?? 0) + (counts.scrubbed ?? 0);
    // Type names are detector or manifest pattern names; anything else is not a name and is left out.
    if (n > 0 && /^[a-z][a-z0-9_]{0,63}$/.test(type)) out[type] = n;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Cells of one `skills run --cells` as one run: times and calls added up, the first failure is the run's, the last
 * cell's result is the skill's. Printed output is not part of a record, so it is left out.
 */
export function combineRuns(runs: readonly RunResult[]): RunResult {
  const first = runs[0];
  const last = runs[runs.length - 1];
  const failed = runs.find((run) => !run.ok);
  const peaks = runs.map((run) => run.memoryPeakBytes).filter((n): n is number => typeof n === "number");
  return {
    ok: failed === undefined,
    ...(failed === undefined && last ? { result: last.result } : {}),
    ...(failed?.error ? { error: failed.error } : {}),
    logs: "",
    stderr: "",
    timedOut: failed?.timedOut ?? false,
    killedBy: failed?.killedBy ?? null,
    durationMs: runs.reduce((sum, run) => sum + run.durationMs, 0),
    cpuMs: runs.reduce((sum, run) => sum + run.cpuMs, 0),
    isolation: first?.isolation ?? "process",
    toolCalls: runs.flatMap((run) => run.toolCalls),
    // The session's interceptor counts across cells: the last audit has them all.
    ...(last?.pii !== undefined ? { pii: last.pii } : {}),
    ...(peaks.length > 0 ? { memoryPeakBytes: Math.max(...peaks) } : {}),
    warm: first?.warm === true,
    startupMs: first?.startupMs ?? 0,
  };
}
