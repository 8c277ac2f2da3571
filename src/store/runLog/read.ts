/** Reads every file of the run log (rotated ones first, oldest first) into records. */
import { readFile } from "node:fs/promises";
import type { LogRecord } from "../../contracts/runRecord.js";
import { parseLogText, type SkippedLines } from "../../core/metrics/parseLog.js";
import { listLogFiles } from "./files.js";

export interface ReadRunLogResult {
  records: LogRecord[];
  files: string[];
  skipped: SkippedLines;
}

export async function readRunLog(path: string): Promise<ReadRunLogResult> {
  const files = listLogFiles(path);
  const texts = await Promise.all(
    files.map((file) =>
      readFile(file.path, "utf8").catch((error: NodeJS.ErrnoException) => {
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
    parseLogText(text, file.path, records, skipped);
  });
  return { records, files: read, skipped };
}
