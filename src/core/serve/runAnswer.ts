/**
 * A run as a model reads it (execute_code, run_skill): the result, what the program printed, and on failure the
 * error's code, message, the line in the program and the program's own frames of the traceback. Everything that goes
 * back is capped, so one chatty program cannot flood the model's context.
 */
import type { JsonObject } from "../../contracts/json.js";
import type { RunError, RunResult } from "../../contracts/run.js";
import { programFrames } from "../run/programFrames.js";

/** The most characters of logs, stderr or a traceback an answer carries (the end is kept: that is where errors are). */
export const MAX_TEXT = 16_000;

export interface RunAnswer extends JsonObject {
  ok: boolean;
  duration_ms: number;
}

export interface AnswerOptions {
  session_id?: string;
  /** Notes from the server (a session that was replaced, a setting that was ignored). */
  warnings?: string[];
}

export function runAnswer(run: RunResult, options: AnswerOptions = {}): RunAnswer {
  const answer: RunAnswer = { ok: run.ok, duration_ms: Math.round(run.durationMs * 10) / 10 };
  if (run.ok && run.result !== undefined) answer.result = run.result;
  if (run.logs) answer.logs = tail(run.logs);
  if (run.stderr) answer.stderr = tail(run.stderr);
  if (!run.ok) answer.error = errorOf(run);
  if (options.session_id) answer.session_id = options.session_id;
  const calls = countCalls(run);
  if (calls) answer.tool_calls = calls;
  const warnings = [...(options.warnings ?? []), ...(run.warnings ?? [])];
  if (run.truncated) {
    for (const [part, notice] of Object.entries(run.truncated)) if (notice) warnings.push(`${part}: ${notice}`);
  }
  if (warnings.length > 0) answer.warnings = warnings;
  return answer;
}

function errorOf(run: RunResult): JsonObject {
  const error: RunError = run.error ?? {
    code: run.killedBy ? "KILLED" : "RUN_FAILED",
    message: run.killedBy ? `the run was stopped (${run.killedBy})` : "the run failed",
  };
  const out: JsonObject = { code: error.code, message: error.message };
  const line = errorLine(error);
  if (line !== undefined) out.line = line;
  if (error.pointer !== undefined) out.pointer = error.pointer;
  if (error.stack) out.traceback = tail(programFrames(error.stack).text);
  if (error.hint) out.hint = error.hint;
  if (run.killedBy) out.killed_by = run.killedBy;
  return out;
}

/** Calls per tool (`{"filesystem/read_text_file": 3}`), failed ones counted apart as `<tool> (failed)`. */
function countCalls(run: RunResult): Record<string, number> | undefined {
  if (run.toolCalls.length === 0) return undefined;
  const counts: Record<string, number> = {};
  for (const call of run.toolCalls) {
    const key = call.ok ? call.tool : `${call.tool} (failed)`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * The line of the program the error points at, where the error says so in the program's own terms: the last
 * traceback frame in the program (Python: `<program>`, `<cell N>`, /skill/...), a Python SyntaxError's line, or an
 * esbuild compile error (`program.ts:3:7: ...`). A JavaScript runtime error names a line of the bundle, not of the
 * program, and gets none.
 */
export function errorLine(error: Pick<RunError, "message" | "stack">): number | undefined {
  const compile = /^[\w.-]+\.(?:ts|tsx|js|mjs|mts):(\d+):\d+: /.exec(error.message);
  if (compile) return Number(compile[1]);
  let line: number | undefined;
  for (const match of (error.stack ?? "").matchAll(/File "(<program>|<cell \d+>|\/skill\/[^"]+)", line (\d+)/g)) {
    line = Number(match[2]);
  }
  if (line !== undefined) return line;
  const syntax = /\((?:<program>|<cell \d+>|[^,()]+\.py), line (\d+)\)\s*$/.exec(error.message);
  return syntax ? Number(syntax[1]) : undefined;
}

function tail(text: string): string {
  if (text.length <= MAX_TEXT) return text;
  const dropped = text.length - MAX_TEXT;
  return `[… ${dropped} characters cut; the last ${MAX_TEXT} follow]\n${text.slice(-MAX_TEXT)}`;
}
