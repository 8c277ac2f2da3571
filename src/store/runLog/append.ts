/**
 * Appending to the run log. Each record is one `write` on a file opened with O_APPEND: the kernel places every write
 * at the end of the file as a whole, so runs that finish at the same moment (20 CLI processes, a test pool) neither
 * lose nor interleave lines. Synchronous on purpose: open + write + fstat + close costs tens of microseconds, and a
 * record is never half-sent when the process exits right after the run.
 */
import { closeSync, fstatSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { AppendSettings } from "./files.js";
import { rotateIfDue } from "./rotate.js";

export type { AppendSettings };

/**
 * A record's JSON with every character outside ASCII written as a \u escape: the log stays pure ASCII, so a reader
 * decodes it as one-byte text (several times faster than UTF-8, and half the memory for 100,000 records).
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Appends one line (its newline added here). Throws the file system's error (ENOSPC, EACCES, EROFS, ...). */
export function appendRecordLine(settings: AppendSettings, line: string): void {
  const data = Buffer.from(`${line}\n`, "utf8");
  let fd: number;
  try {
    fd = openSync(settings.path, "a", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(dirname(settings.path), { recursive: true, mode: 0o700 });
    fd = openSync(settings.path, "a", 0o600);
  }
  let size: number;
  try {
    const written = writeSync(fd, data, 0, data.length);
    if (written !== data.length) {
      // Only a full disk or a quota cuts a write to a regular file short; the reader skips the torn line.
      throw Object.assign(new Error(`only ${written} of ${data.length} bytes were written`), { code: "ENOSPC" });
    }
    size = fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
  if (size >= settings.maxFileBytes) rotateIfDue(settings);
}
