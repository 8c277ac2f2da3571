/**
 * Reading run-log text back into records. A line that is not a record of a version we know (torn by a full disk,
 * written by something else, hand-edited) is skipped and counted, so the caller can warn once. A torn line glues onto
 * the next record (its newline never made it): that record is recovered from where it starts.
 */
import { type LogRecord, RUN_RECORD_VERSION } from "../../contracts/runRecord.js";

export interface SkippedLines {
  count: number;
  /** Where the first one is: file and 1-based line. */
  first?: { file: string; line: number };
}

const KINDS = new Set(["run", "exec", "test", "repl", "serve", "search"]);
const RECORD_START = `{"v":${RUN_RECORD_VERSION},`;

/** Receives each record as it is read (records need not be kept: a summary can fold them in and drop them). */
export type RecordSink = (record: LogRecord) => void;

export function parseLogText(text: string, file: string, sink: RecordSink, skipped: SkippedLines): void {
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    // A last line without its newline is a write that was cut short (or is still under way): not a record yet.
    const complete = end !== -1;
    if (!complete) end = text.length;
    line += 1;
    const raw = text.slice(start, end);
    start = end + 1;
    // Records start with "{"; only other lines need the (allocating) blank check.
    if (raw.charCodeAt(0) !== 123 && raw.trim() === "") continue;
    const record = complete ? parseLine(raw) : undefined;
    if (record) sink(record);
    else {
      skipped.count += 1;
      skipped.first ??= { file, line };
    }
  }
}

function parseLine(raw: string): LogRecord | undefined {
  const record = tryParse(raw);
  if (record) return record;
  // A torn record followed by a whole one on the same line: the whole one starts at its own `{"v":N,`.
  const at = raw.lastIndexOf(RECORD_START);
  return at > 0 ? tryParse(raw.slice(at)) : undefined;
}

function tryParse(raw: string): LogRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  return isRecord(value) ? value : undefined;
}

function isRecord(value: unknown): value is LogRecord {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.v !== RUN_RECORD_VERSION || typeof v.id !== "string" || typeof v.time !== "string") return false;
  if (typeof v.kind !== "string" || !KINDS.has(v.kind)) return false;
  if (v.kind === "search") return typeof v.query === "string" && typeof v.results === "number";
  return (
    typeof v.duration_ms === "number" &&
    typeof v.language === "string" &&
    (v.outcome === "ok" || v.outcome === "error") &&
    Array.isArray(v.tools)
  );
}
