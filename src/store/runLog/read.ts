/** Reads every file of the run log (rotated ones first, oldest first) into records. */
import { isAscii } from "node:buffer";
import { readFile } from "node:fs/promises";
import type { LogRecord } from "../../contracts/runRecord.js";
import { parseLogText, type RecordSink, type SkippedLines } from "../../core/metrics/parseLog.js";
import { listLogFiles } from "./files.js";

export interface ReadRunLogResult {
  /** Every record, unless a sink took them. */
  records: LogRecord[];
  files: string[];
  skipped: SkippedLines;
}

/**
 * With a sink, records are handed over one by one and not kept: a summary of a large log then makes no long-lived
 * objects (which is most of the time garbage collection would otherwise take).
 */
export async function readRunLog(path: string, sink?: RecordSink): Promise<ReadRunLogResult> {
  const files = listLogFiles(path);
  const texts = await Promise.all(
    files.map((file) =>
      readFile(file.path)
        // The writer keeps the log ASCII (asciiJson): one-byte text decodes fast and parses faster.
        .then((buffer) => buffer.toString(isAscii(buffer) ? "latin1" : "utf8"))
        .catch((error: NodeJS.ErrnoException) => {
          // Rotated away or pruned between listing and reading, or no log yet.
          if (error.code === "ENOENT") return undefined;
          throw error;
        }),
    ),
  );
  const records: LogRecord[] = [];
  const skipped: SkippedLines = { count: 0 };
  const read: string[] = [];
  files.forEach((file, index) => {
    const text = texts[index];
    if (text === undefined) return;
    read.push(file.path);
    parseLogText(text, file.path, sink ?? ((record) => records.push(record)), skipped);
  });
  return { records, files: read, skipped };
}
