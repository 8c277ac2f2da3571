/**
 * One line of the run log (`.skills/runs/runs.jsonl`): what happened in one run, exec, test case, repl cell or served
 * call. Sizes, counts, durations and hashes only: never arguments, results, logs or personal data. Field names follow
 * the OpenTelemetry MCP and GenAI semantic conventions where one fits (`gen_ai.tool.name`, `mcp.method.name`,
 * `error.type`); the rest are snake_case like them.
 */

import type { RunError, RunResult } from "./run.js";
import type { SkillLanguage } from "./skill.js";

/** Bumped when a field changes meaning; readers skip records of a version they do not know. */
export const RUN_RECORD_VERSION = 1;

export type RunKind = "run" | "exec" | "test" | "repl" | "serve";
export type RunOutcome = "ok" | "error";

/** One tool's calls in a run, summed. */
export interface RunToolRecord {
  "gen_ai.tool.name": string;
  calls: number;
  failed: number;
  ms: number;
  /** Bytes of the arguments the program sent / of the results it got back (after PII tokenization). */
  bytes_in: number;
  bytes_out: number;
  /** error.type of the failed calls (codes such as TOOL_ERROR, TOOL_ARGS_INVALID), counted. */
  errors?: Record<string, number>;
}

export interface RunRecord {
  v: typeof RUN_RECORD_VERSION;
  /** `r_` + 16 hex characters; `skills new --from-run <id>` takes it. */
  id: string;
  /** ISO 8601 UTC time the run ended. */
  time: string;
  kind: RunKind;
  /** Who asked: `cli`, or the MCP client's name for served calls. */
  client: string;
  /** The skill's name and version (run, test); absent for exec and repl. */
  skill?: string;
  version?: string;
  /** Test case name (kind test). */
  case?: string;
  /** sha256 of the program text (exec, repl): the code is kept beside the log as runs/code/<sha256>.py|ts. */
  code_sha256?: string;
  language: string;
  isolation: string;
  /** cold: a worker was started for the run; warm: a pre-spawned or live session worker took it. */
  start: "cold" | "warm";
  "mcp.method.name": "tools/call";
  duration_ms: number;
  /** From the start of the run to the hand-off to a ready worker (program preparation and interpreter start). */
  startup_ms: number;
  /** Time inside tool calls (summed; calls may overlap). */
  tool_ms: number;
  cpu_ms: number;
  /** The run's peak memory where the host reports it (a cgroup); absent otherwise. */
  memory_peak_bytes?: number;
  outcome: RunOutcome;
  /** The error code (TIMEOUT, PROGRAM_ERROR, ...) of a failed run. */
  "error.type"?: string;
  /** The error message with values replaced by placeholders (quoted text, numbers, paths, personal data). */
  error_message?: string;
  tool_calls: number;
  tools: RunToolRecord[];
  /** Tools in the order they were called (capped; exec and repl only), for repeated-sequence insights. */
  sequence?: string[];
  /** o200k_base tokens of the tool results that reached the program (after PII tokenization), and of its result. */
  tokens_in: number;
  tokens_out: number;
  /** Bytes of the result's JSON (the tool results' bytes are the tools' bytes_out). */
  result_bytes: number;
  /** JSON type of the result (object, array, string, number, boolean, null) of a run that succeeded. */
  result_type?: string;
  /** Bytes of the input's JSON, when the run had an input (the input itself is never kept). */
  input_bytes?: number;
  /** PII values tokenized per type (counts only). */
  pii?: Record<string, number>;
}

/** The figures of a served call's search that `skills insights` reads once `skills serve` logs them. */
export interface SearchRecord {
  v: typeof RUN_RECORD_VERSION;
  id: string;
  time: string;
  kind: "search";
  client: string;
  /** The query with values replaced by placeholders, as error messages are. */
  query: string;
  results: number;
}

export type LogRecord = RunRecord | SearchRecord;

/** What `openExecution` knows about a run when it ends; the run log makes its RunRecord from it. */
interface ExecutionFacts {
  /** The run's id (`r_` + 16 hex digits); the record in the run log has it. */
  id: string;
  kind: RunKind;
  /** Who asked: `cli`, or the MCP client's name for served calls. */
  client: string;
  language: SkillLanguage;
  /** The skill that ran, when it was one. */
  skill?: { name: string; version: string };
  /** The test case, for `skills test`. */
  case?: string;
  /** The program text of an exec or a cell (the run log hashes it, and keeps the code of exec runs). */
  code?: string;
  /** Bytes of the input's JSON, when the run had an input (the input itself goes nowhere). */
  inputBytes?: number;
  /** Epoch milliseconds when the run was handed to the sandbox. */
  startedAt: number;
}

/**
 * One finished run (or session cell), as the run log and other observers see it: with its result (timings, tool
 * calls, isolation, PII counts), or — for a run refused or broken before its program started (no bwrap under
 * requireIsolation, a missing interpreter) — with the error that stopped it.
 */
export type ExecutionRecord = ExecutionFacts &
  ({ result: RunResult; error?: undefined } | { result?: undefined; error: Pick<RunError, "code" | "message"> });
