/**
 * Reads a small text file for validation: refuses files over the size cap without reading them, and reports binary
 * content (NUL bytes, invalid UTF-8) at the position of the first bad byte.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from "node:fs";
import { makeProblem } from "../core/validate/codes.js";
import { noteFailure, noteRead } from "./observedFiles.js";
import type { Problem } from "../contracts/problem.js";

export const MAX_TEXT_FILE_BYTES = 1024 * 1024;

export type ReadTextResult =
  | { ok: true; text: string }
  | { ok: false; missing: boolean; problem?: Problem; reason?: string };

export async function readTextFile(path: string, file: string, strict: boolean): Promise<ReadTextResult> {
  return readTextFileSync(path, file, strict);
}

/**
 * The synchronous core: skill files are small and local, and a thousand of them read ~3x faster without a promise
 * and a thread-pool hop per open/stat/read/close. The size is checked on the open descriptor, so a huge file is
 * never read.
 */
export function readTextFileSync(path: string, file: string, strict: boolean): ReadTextResult {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, and this open is synchronous
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    noteFailure(path, error);
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, missing: true, reason: code === "ENOENT" ? "does not exist" : `cannot be read (${code})` };
  }
  let buffer: Buffer;
  // What an early start went by (observedFiles.ts): the file this descriptor reads, and its text when it was read.
  let info: Stats | undefined;
  try {
    info = fstatSync(fd);
    if (!info.isFile()) {
      noteRead(path, info, undefined);
      return { ok: false, missing: true, reason: "is not a regular file" };
    }
    if (info.size > MAX_TEXT_FILE_BYTES) {
      noteRead(path, info, undefined);
      const problem = makeProblem(
        {
          code: "FILE_TOO_LARGE",
          message: `file is ${(info.size / 1024 / 1024).toFixed(1)} MiB; the limit is 1 MiB, so it was not parsed`,
          file,
          line: 1,
          column: 1,
        },
        strict,
      );
      return { ok: false, missing: false, problem };
    }
    buffer = readFileSync(fd);
  } catch (error) {
    if (info === undefined) noteFailure(path, error);
    else noteRead(path, info, undefined);
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      missing: true,
      reason: code === "EISDIR" ? "is not a regular file" : `cannot be read (${code})`,
    };
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString("utf8");
  noteRead(path, info, text);
  const bad = firstBinaryByte(buffer);
  if (bad !== undefined) {
    const { line, column } = bytePosition(buffer, bad.offset);
    const problem = makeProblem(
      {
        code: "FILE_BINARY",
        message: `file is not UTF-8 text: ${bad.reason} at byte ${bad.offset}`,
        file,
        line,
        column,
      },
      strict,
    );
    return { ok: false, missing: false, problem };
  }
  return { ok: true, text };
}

function firstBinaryByte(buffer: Buffer): { offset: number; reason: string } | undefined {
  const nul = buffer.indexOf(0);
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(nul === -1 ? buffer : buffer.subarray(0, nul));
  } catch {
    return { offset: invalidUtf8Offset(buffer), reason: "invalid UTF-8" };
  }
  return nul === -1 ? undefined : { offset: nul, reason: "NUL byte" };
}

/** Finds the first invalid UTF-8 byte by halving: a streaming decode of a prefix fails once it contains it. */
function invalidUtf8Offset(buffer: Buffer): number {
  let lo = 0;
  let hi = buffer.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  // `lo` may sit inside a multi-byte sequence whose lead byte is the real culprit: step back to a character boundary.
  for (let start = lo; start >= Math.max(0, lo - 3); start--) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, start));
      return start;
    } catch {
      // not a boundary yet
    }
  }
  return lo;
}

function bytePosition(buffer: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (buffer[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
