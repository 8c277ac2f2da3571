/**
 * Run records as columns: what `skills metrics` reads of each record, one typed array per field, names as indexes into
 * one string table. A summary folds columns in plain loops (no objects per record), and the index beside a rotated log
 * file (columnCodec.ts) stores them, so a file that cannot change is never parsed twice. Pure.
 */
import type { LogRecord, RunRecord } from "../../contracts/runRecord.js";

/** Bits of `flags`. */
export const OK = 1;
export const WARM = 2;
/** The run was refused before its program started (isolation "none"): it failed and has no durations. */
export const NOT_STARTED = 4;

export interface RunColumns {
  /** Run records (search records are only counted). */
  count: number;
  /** Search records, which are not runs. */
  searches: number;
  /** Every name the columns point at: skill labels, kinds, languages, versions, tools, PII types. */
  strings: string[];
  /** Epoch ms of `time`. */
  time: Float64Array;
  /** `skill`, or `(kind)` for a program that is not a skill. */
  label: Uint32Array;
  kind: Uint32Array;
  language: Uint32Array;
  /** Index of `version`, or NONE. */
  version: Uint32Array;
  flags: Uint8Array;
  duration: Float64Array;
  startup: Float64Array;
  toolCalls: Float64Array;
  tokensIn: Float64Array;
  tokensOut: Float64Array;
  /** Record i's tools are entries toolStart[i] .. toolStart[i + 1] - 1. */
  toolStart: Uint32Array;
  toolName: Uint32Array;
  toolCallCount: Float64Array;
  toolFailed: Float64Array;
  toolMs: Float64Array;
  toolBytesIn: Float64Array;
  toolBytesOut: Float64Array;
  /** Record i's PII counts are entries piiStart[i] .. piiStart[i + 1] - 1. */
  piiStart: Uint32Array;
  piiType: Uint32Array;
  piiCount: Float64Array;
}

/** `version` of a record without one. */
export const NONE = 0xffffffff;

export function skillLabel(record: RunRecord): string {
  return record.skill ?? `(${record.kind})`;
}

/** A number field of a hand-edited record may be missing or wrong: it counts as 0. */
const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);

export interface ColumnBuilder {
  add(record: LogRecord): void;
  finish(): RunColumns;
}

/** Columns filled record by record (records are not kept). */
export function createColumnBuilder(): ColumnBuilder {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const id = (text: string): number => {
    let found = ids.get(text);
    if (found === undefined) {
      found = strings.length;
      strings.push(text);
      ids.set(text, found);
    }
    return found;
  };
  const run = {
    time: [] as number[],
    label: [] as number[],
    kind: [] as number[],
    language: [] as number[],
    version: [] as number[],
    flags: [] as number[],
    duration: [] as number[],
    startup: [] as number[],
    toolCalls: [] as number[],
    tokensIn: [] as number[],
    tokensOut: [] as number[],
  };
  const toolStart: number[] = [0];
  const tool = {
    name: [] as number[],
    calls: [] as number[],
    failed: [] as number[],
    ms: [] as number[],
    bytesIn: [] as number[],
    bytesOut: [] as number[],
  };
  const piiStart: number[] = [0];
  const piiType: number[] = [];
  const piiCount: number[] = [];
  let searches = 0;
  return {
    add(record) {
      if (record.kind === "search") {
        searches += 1;
        return;
      }
      run.time.push(Date.parse(record.time));
      run.label.push(id(skillLabel(record)));
      run.kind.push(id(record.kind));
      run.language.push(id(record.language));
      run.version.push(typeof record.version === "string" ? id(record.version) : NONE);
      const notStarted = record.isolation === "none";
      run.flags.push(
        (record.outcome === "ok" && !notStarted ? OK : 0) |
          (record.start === "warm" ? WARM : 0) |
          (notStarted ? NOT_STARTED : 0),
      );
      run.duration.push(num(record.duration_ms));
      run.startup.push(num(record.startup_ms));
      run.toolCalls.push(num(record.tool_calls));
      run.tokensIn.push(num(record.tokens_in));
      run.tokensOut.push(num(record.tokens_out));
      for (const call of record.tools) {
        const name = call?.["gen_ai.tool.name"];
        if (typeof name !== "string") continue;
        tool.name.push(id(name));
        tool.calls.push(num(call.calls));
        tool.failed.push(num(call.failed));
        tool.ms.push(num(call.ms));
        tool.bytesIn.push(num(call.bytes_in));
        tool.bytesOut.push(num(call.bytes_out));
      }
      toolStart.push(tool.name.length);
      if (record.pii && typeof record.pii === "object") {
        for (const type in record.pii) {
          piiType.push(id(type));
          piiCount.push(num(record.pii[type]));
        }
      }
      piiStart.push(piiType.length);
    },
    finish() {
      return {
        count: run.time.length,
        searches,
        strings,
        time: Float64Array.from(run.time),
        label: Uint32Array.from(run.label),
        kind: Uint32Array.from(run.kind),
        language: Uint32Array.from(run.language),
        version: Uint32Array.from(run.version),
        flags: Uint8Array.from(run.flags),
        duration: Float64Array.from(run.duration),
        startup: Float64Array.from(run.startup),
        toolCalls: Float64Array.from(run.toolCalls),
        tokensIn: Float64Array.from(run.tokensIn),
        tokensOut: Float64Array.from(run.tokensOut),
        toolStart: Uint32Array.from(toolStart),
        toolName: Uint32Array.from(tool.name),
        toolCallCount: Float64Array.from(tool.calls),
        toolFailed: Float64Array.from(tool.failed),
        toolMs: Float64Array.from(tool.ms),
        toolBytesIn: Float64Array.from(tool.bytesIn),
        toolBytesOut: Float64Array.from(tool.bytesOut),
        piiStart: Uint32Array.from(piiStart),
        piiType: Uint32Array.from(piiType),
        piiCount: Float64Array.from(piiCount),
      };
    },
  };
}

/** Columns of records (tests, and callers that have records in hand). */
export function columnsOf(records: Iterable<LogRecord>): RunColumns {
  const builder = createColumnBuilder();
  for (const record of records) builder.add(record);
  return builder.finish();
}

/** The skill labels the columns' runs have (for "no runs of X; the log has: ..."). */
export function labelsOf(columns: RunColumns): string[] {
  const seen = new Uint8Array(columns.strings.length);
  const { label } = columns;
  for (let i = 0; i < label.length; i++) seen[label[i] as number] = 1;
  const out: string[] = [];
  for (let id = 0; id < seen.length; id++) if (seen[id]) out.push(columns.strings[id] as string);
  return out;
}

/** Runs in the filter's window (since, skill). */
export function countRuns(columns: RunColumns, filter: { since?: number; skill?: string }): number {
  const { time, label, strings } = columns;
  let n = 0;
  for (let i = 0; i < columns.count; i++) {
    if (filter.since !== undefined && (time[i] as number) < filter.since) continue;
    if (filter.skill !== undefined && strings[label[i] as number] !== filter.skill) continue;
    n += 1;
  }
  return n;
}
