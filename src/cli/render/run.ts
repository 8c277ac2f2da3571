/**
 * Human rendering of a sandbox run, shared by `skills run`, `skills exec` and `skills repl`: outcome line, result
 * pretty-printed, logs and stderr, a table of tool calls, timings, isolation, warnings, and errors with a hint.
 * Everything the program produced (result, logs, stderr, error text, tool names, warnings quoting it) goes through
 * terminalSafe: a program must not be able to drive the terminal or fake the outcome line.
 */
import type { CellRun, RunCommandResult } from "../../commands/run.js";
import type { ExecResult } from "../../commands/exec.js";
import { callsWallMs } from "../../core/metrics/callsWall.js";
import { terminalSafe as safe } from "../../core/text/terminal.js";
import { tokenPrefix } from "../../core/pii/index.js";
import { programFrames } from "../../core/run/programFrames.js";
import type { RunResult, ToolCallRecord } from "../../contracts/run.js";
import type { CliContext } from "../context.js";
import type { Style } from "../style.js";

export interface RenderRunOptions {
  /** Title of the outcome line (skill name and version, or "exec python"). */
  title: string;
  /** Print the result as JSON (default true). */
  showResult?: boolean;
  /** Show every stack frame, the toolkit's own included (--debug). */
  debug?: boolean;
  warnings?: string[];
}

export function renderRun(result: RunCommandResult, ctx: CliContext): string {
  const title = `${result.skill.name} ${result.skill.version}`;
  const text = result.cells
    ? renderCells(result.cells, title, result.warnings, ctx.style, ctx.debug)
    : renderRunResult(result.run, ctx.style, { title, warnings: result.warnings, debug: ctx.debug });
  return withNotes(text, result.notes, ctx.style);
}

export function renderExec(result: ExecResult, ctx: CliContext): string {
  let text = renderRunResult(result.run, ctx.style, {
    title: `exec ${result.language}`,
    warnings: result.warnings,
    debug: ctx.debug,
  });
  // Where the run went in the run log, and how it becomes a skill.
  if (result.runId && result.run.ok) {
    text = `${text}\n${ctx.style.dim(`logged as ${result.runId} · save it as a skill: skills new <name> --from-run ${result.runId}`)}`;
  }
  return withNotes(text, result.notes, ctx.style);
}

/** Notes shown once (the toolkit's own words, not the program's). */
function withNotes(text: string, notes: string[] | undefined, style: Style): string {
  if (!notes || notes.length === 0) return text;
  return [text, ...notes.map((note) => style.cyan(`note: ${note}`))].join("\n");
}

/** What of a truncated result a terminal shows: the preview's start (--json has all the budget allows). */
export const TERMINAL_PREVIEW_CHARS = 600;

export function renderRunResult(run: RunResult, style: Style, options: RenderRunOptions): string {
  const out: string[] = [outcomeLine(run, style, options.title)];
  const cut = run.ok ? truncatedPreview(run) : undefined;
  if (cut !== undefined && options.showResult !== false) {
    const more = cut.length > TERMINAL_PREVIEW_CHARS ? `… (${cut.length} characters kept; --json prints them)` : "";
    out.push(style.bold("result (truncated)"), indent(safe(cut.slice(0, TERMINAL_PREVIEW_CHARS) + more)));
  } else if (run.ok && options.showResult !== false && run.result !== undefined) {
    out.push(style.bold("result"), indent(safe(prettyJson(run.result))));
  }
  if (run.truncated?.result) out.push(style.yellow(`  ! ${safe(run.truncated.result)}`));
  // A flood's notice ends the logs themselves (the result keeps it there for --json): it is printed once, there.
  if (run.logs) out.push(style.bold("logs"), indent(safe(run.logs.replace(/\n$/, "")), "  │ "));
  if (run.stderr) out.push(style.bold("stderr"), indent(safe(run.stderr.replace(/\n$/, "")), "  │ "));
  if (run.toolCalls.length > 0) out.push(...toolTable(run.toolCalls, style));
  const pii = piiLine(run.pii);
  if (pii) out.push(style.dim(pii));
  if (!run.ok && run.error) out.push(...errorBlock(run, style, options.debug ?? false));
  const warnings = [...(options.warnings ?? []), ...runWarnings(run)].filter(
    (warning) => warning !== run.truncated?.result,
  );
  for (const warning of warnings) out.push(style.yellow(`warning: ${safe(warning)}`));
  return out.join("\n");
}

/** The kept start of a result over its budget (the run's `result` is then `{ truncated, notice, preview }`). */
function truncatedPreview(run: RunResult): string | undefined {
  if (!run.truncated?.result) return undefined;
  const preview = (run.result as { preview?: unknown } | undefined)?.preview;
  return typeof preview === "string" ? preview : undefined;
}

export function renderCells(cells: CellRun[], title: string, warnings: string[], style: Style, debug = false): string {
  const out: string[] = [];
  for (const cell of cells) {
    const where = cell.line > 0 ? `cell ${cell.index} (line ${cell.line})` : cell.index === 0 ? "input" : "finish";
    out.push(
      renderRunResult(cell.run, style, {
        title: `${title} · ${where}`,
        debug,
        showResult: cell.run.result !== undefined && cell.run.result !== null,
      }),
    );
  }
  const total = cells.reduce((sum, cell) => sum + cell.run.durationMs, 0);
  const ok = cells.every((cell) => cell.run.ok);
  out.push(`${ok ? style.green("✓") : style.red("✗")} ${cells.length} cells in ${formatMs(total)}`);
  for (const warning of warnings) out.push(style.yellow(`warning: ${safe(warning)}`));
  return out.join("\n");
}

function outcomeLine(run: RunResult, style: Style, title: string): string {
  // A result over its budget came back in part: not a plain ok.
  const status = run.ok
    ? run.truncated?.result
      ? style.yellow("! ok, result truncated")
      : style.green("✓ ok")
    : style.red(`✗ failed${run.killedBy ? ` (killed: ${run.killedBy})` : ""}`);
  const isolation =
    run.isolation === "bwrap" ? style.dim("isolation bwrap") : style.yellow(`isolation ${run.isolation}`);
  const calls =
    run.toolCalls.length > 0 ? `, ${run.toolCalls.length} tool call${run.toolCalls.length === 1 ? "" : "s"}` : "";
  // durationMs is the whole run; its two parts apart: sandbox start and program preparation, then the program.
  const parts =
    run.startupMs !== undefined && run.programMs !== undefined
      ? `start-up ${formatMs(run.startupMs)}, program ${formatMs(run.programMs)}, `
      : "";
  return `${status} ${style.bold(safe(title))}  ${formatMs(run.durationMs)} ${style.dim(`(${parts}cpu ${formatMs(run.cpuMs)}${calls})`)}  ${isolation}`;
}

/**
 * One row per tool: calls, failures, wall time (calls made in parallel count once: the union of their intervals),
 * slowest call, bytes in and out; under several tools, a row for all calls together.
 */
function toolTable(calls: ToolCallRecord[], style: Style): string[] {
  const rows = new Map<
    string,
    { calls: ToolCallRecord[]; failed: number; max: number; bytesIn: number; bytesOut: number; error?: string }
  >();
  for (const call of calls) {
    const row = rows.get(call.tool) ?? { calls: [], failed: 0, max: 0, bytesIn: 0, bytesOut: 0 };
    row.calls.push(call);
    if (!call.ok) {
      row.failed++;
      row.error ??= call.error;
    }
    row.max = Math.max(row.max, call.ms);
    row.bytesIn += call.bytesIn;
    row.bytesOut += call.bytesOut;
    rows.set(call.tool, row);
  }
  // Tool names come from the program (a refused call names whatever it asked for).
  const width = Math.max(4, ...[...rows.keys()].map((tool) => safe(tool).length));
  const header = `  ${"tool".padEnd(width)}  ${"calls".padStart(5)}  ${"failed".padStart(6)}  ${"wall".padStart(8)}  ${"max".padStart(8)}  ${"in".padStart(8)}  ${"out".padStart(8)}`;
  const lines = [style.bold("tool calls"), style.dim(header)];
  const line = (name: string, count: number, failed: number, wall: number, max: number, bytesIn: number, bytesOut: number) =>
    `  ${name.padEnd(width)}  ${String(count).padStart(5)}  ${failed > 0 ? style.red(String(failed).padStart(6)) : "0".padStart(6)}  ${formatMs(wall).padStart(8)}  ${formatMs(max).padStart(8)}  ${formatBytes(bytesIn).padStart(8)}  ${formatBytes(bytesOut).padStart(8)}`;
  for (const [tool, row] of rows) {
    lines.push(line(safe(tool), row.calls.length, row.failed, callsWallMs(row.calls), row.max, row.bytesIn, row.bytesOut));
    if (row.error) lines.push(style.dim(`    first error: ${oneLine(safe(row.error))}`));
  }
  if (rows.size > 1) {
    const all = [...rows.values()];
    const sum = (pick: (row: (typeof all)[number]) => number) => all.reduce((total, row) => total + pick(row), 0);
    lines.push(
      style.dim(
        line(
          "all",
          calls.length,
          sum((row) => row.failed),
          callsWallMs(calls),
          Math.max(...all.map((row) => row.max)),
          sum((row) => row.bytesIn),
          sum((row) => row.bytesOut),
        ),
      ),
    );
  }
  // Calls made while their server was still starting: part of their time is the server's start-up, not the tool's.
  const waits = calls.filter((call) => call.waitMs !== undefined);
  if (waits.length > 0) {
    const waited = callsWallMs(waits.map((call) => ({ ...call, ms: call.waitMs ?? 0 })));
    const what = waits.length === 1 ? "1 call" : `${waits.length} calls`;
    lines.push(style.dim(`  ${what} waited ${formatMs(waited)} for a server to start (included above)`));
  }
  return lines;
}

const HINTS: Record<string, string> = {
  TIMEOUT: "the run took longer than its timeout: raise --timeout or limits.timeout_ms in manifest.yaml",
  OUTPUT_INVALID:
    "the result does not match the manifest's `output` schema at the pointer: fix the program or the schema",
  TOOL_NOT_DECLARED:
    "the program called a tool it may not use: add it to `tools` in manifest.yaml (or --tools for exec)",
  TOOL_ARGS_INVALID: "the arguments break the tool's input schema: `skills tools show <server/tool>` prints it",
  TOOL_CALL_LIMIT: "the program made more tool calls than allowed: raise limits.max_tool_calls or batch the work",
  TOOL_CALL_FAILED: "the server reported an error: see its message above",
  SANDBOX_UNAVAILABLE: "`skills doctor` shows what isolation this machine offers and why",
  BRIDGE_PROTOCOL: "the program broke the bridge protocol (fd 3): use the generated SDK instead of writing to it",
  PROGRAM_ERROR: "the program raised: the traceback above points at the line",
};

const KILLED_HINTS: Record<string, string> = {
  memory: "the program ran out of memory: raise limits.memory_mb or process the data in pieces",
  cpu: "the program used up its CPU time: raise limits.cpu_ms or do less work per run",
  pids: "the program started too many processes or threads: raise limits.max_processes",
  output: "the program printed too much: print less, return data as the result instead",
  bridge: "the program sent a malformed or oversized bridge message",
  timeout: "the run took longer than its timeout: raise --timeout or limits.timeout_ms in manifest.yaml",
};

function errorBlock(run: RunResult, style: Style, debug: boolean): string[] {
  const error = run.error;
  if (!error) return [];
  const lines = [`${style.red("error")} ${safe(error.code)}  ${safe(error.message)}`];
  const at = `at ${error.pointer || "/"}`;
  if (error.pointer !== undefined && !error.message.endsWith(at)) lines.push(`  ${safe(at)}`);
  // Where in the user's code, with the line, unless the traceback below shows it already (Python's does).
  if (error.file && error.line && !error.message.startsWith(`${error.file}:`)) {
    const shown = error.source !== undefined && error.stack?.includes(error.source);
    if (!shown) {
      lines.push(`  at ${safe(`${error.file}:${error.line}:${error.column ?? 1}`)}`);
      if (error.source) lines.push(`    ${safe(error.source)}`);
    }
  }
  if (error.stack) {
    const stack = debug ? error.stack : shownFrames(error.stack);
    lines.push(style.dim(indent(safe(stack.replace(/\n$/, "")), "  ")));
  }
  const hint = error.hint ?? (run.killedBy && KILLED_HINTS[run.killedBy]) ?? HINTS[error.code];
  if (hint) lines.push(`  ${style.dim("hint:")} ${safe(hint)}`);
  return lines;
}

/** The program's frames of a traceback, with a note on what was left out (--debug prints the whole stack). */
export function shownFrames(stack: string): string {
  const { text, hidden } = programFrames(stack);
  if (hidden === 0) return text;
  return `${text}\n(${hidden} frame${hidden === 1 ? "" : "s"} of the runtime and libraries hidden; --debug shows them)`;
}

/**
 * "pii (default): the program saw 3 values of tool results as tokens ([EMAIL_1], ...), 1 restored in tool arguments
 * (email 2, phone 1)": printed whenever tokenization changed what the program saw.
 */
export function piiLine(audit: unknown): string | undefined {
  if (!audit || typeof audit !== "object") return undefined;
  const { mode, types } = audit as { mode?: string; types?: Record<string, Partial<Record<string, number>>> };
  if (!types) return undefined;
  let tokenized = 0;
  let restored = 0;
  let scrubbed = 0;
  const perType: string[] = [];
  for (const [type, counts] of Object.entries(types)) {
    tokenized += counts.tokenized ?? 0;
    restored += counts.restored ?? 0;
    scrubbed += counts.scrubbed ?? 0;
    const total = (counts.tokenized ?? 0) + (counts.scrubbed ?? 0);
    if (total > 0) perType.push(`${type} ${total}`);
  }
  if (tokenized + restored + scrubbed === 0) return undefined;
  const first = Object.entries(types).find(([, counts]) => (counts.tokenized ?? 0) > 0)?.[0];
  const parts = [
    tokenized > 0
      ? `the program saw ${tokenized} value${tokenized === 1 ? "" : "s"} of tool results as ${tokenized === 1 ? "a token" : "tokens"}${first ? ` ([${tokenPrefix(first)}_1]…)` : ""}`
      : "0 tokenized in tool results",
  ];
  if (restored > 0) parts.push(`${restored} restored in tool arguments`);
  if (scrubbed > 0) parts.push(`${scrubbed} scrubbed from the output`);
  return `pii (${mode ?? "default"}): ${parts.join(", ")}${perType.length ? ` (${perType.join(", ")})` : ""}`;
}

function runWarnings(run: RunResult): string[] {
  const extra = (run as { warnings?: unknown }).warnings;
  return Array.isArray(extra) ? extra.map(String) : [];
}

export function prettyJson(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function indent(text: string, prefix = "  "): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
