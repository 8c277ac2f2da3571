/**
 * The run log as columns for `skills metrics`, with an index beside each rotated file so that a file that cannot
 * change is parsed once, not on every call.
 *
 * The rule: rotated files (`runs.N.jsonl`) are not written again once a writer that still had the file open has
 * finished its line, so each gets an index, `index/runs.N.idx`, holding its columns and the key of the file it was
 * made from — device, inode, size, modification and change time in nanoseconds. An index is used only when its format
 * is the current one and that key equals the file's key now; anything else (an append after rotation, a hand edit, a
 * file replaced or restored under the same name, a damaged index) makes it be rebuilt from the file. It is written
 * only from a read during which the file's key did not change. The current file is always parsed. Indexes of rotated
 * files that are gone are deleted. An index that cannot be written (a read-only folder) is not an error: the file is
 * parsed next time too.
 */
import { isAscii } from "node:buffer";
import { randomBytes } from "node:crypto";
import type { BigIntStats } from "node:fs";
import { mkdir, open, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { decodeIndex, encodeIndex } from "../../core/metrics/columnCodec.js";
import { createColumnBuilder, type RunColumns } from "../../core/metrics/columns.js";
import { parseLogText, type SkippedLines } from "../../core/metrics/parseLog.js";
import { type LogFile, listLogFiles, logStem } from "./files.js";

export interface LogColumns {
  /** One entry per file read, oldest first. */
  columns: RunColumns[];
  /** The files read. */
  files: string[];
  /** Records read (runs and searches). */
  records: number;
  skipped: SkippedLines;
  /** Rotated files read from their index, and indexes written by this call. */
  index: { used: number; written: number };
}

export function indexDir(logPath: string): string {
  return join(dirname(logPath), "index");
}

export function indexPath(logPath: string, number: number): string {
  return join(indexDir(logPath), `${logStem(logPath)}.${number}.idx`);
}

export async function readLogColumns(logPath: string): Promise<LogColumns> {
  const files = listLogFiles(logPath);
  const read: LogColumns = { columns: [], files: [], records: 0, skipped: { count: 0 }, index: { used: 0, written: 0 } };
  await pruneIndexes(logPath, files);
  for (const file of files) {
    const got = file.number === 0 ? await parseCurrent(file.path) : await readRotated(logPath, file, read.index);
    if (!got) continue;
    read.files.push(file.path);
    read.columns.push(got.columns);
    read.records += got.columns.count + got.columns.searches;
    if (got.skipped.count > 0) {
      read.skipped.count += got.skipped.count;
      read.skipped.first ??= { file: file.path, line: got.skipped.firstLine ?? 0 };
    }
  }
  return read;
}

interface FileColumns {
  columns: RunColumns;
  skipped: { count: number; firstLine?: number };
}

function parse(buffer: Buffer, file: string): FileColumns {
  // The writer keeps the log ASCII: one-byte text decodes fast and parses faster.
  const text = buffer.toString(isAscii(buffer) ? "latin1" : "utf8");
  const builder = createColumnBuilder();
  const skipped: SkippedLines = { count: 0 };
  parseLogText(text, file, builder.add, skipped);
  return {
    columns: builder.finish(),
    skipped: { count: skipped.count, ...(skipped.first ? { firstLine: skipped.first.line } : {}) },
  };
}

async function parseCurrent(path: string): Promise<FileColumns | undefined> {
  try {
    return parse(await readFile(path), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function keyOf(stats: BigIntStats): Record<string, string> {
  return {
    dev: String(stats.dev),
    ino: String(stats.ino),
    size: String(stats.size),
    mtimeNs: String(stats.mtimeNs),
    ctimeNs: String(stats.ctimeNs),
  };
}

function sameKey(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(b);
  return keys.length === Object.keys(a).length && keys.every((key) => a[key] === b[key]);
}

async function readRotated(
  logPath: string,
  file: LogFile,
  counts: LogColumns["index"],
): Promise<FileColumns | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file.path, "r");
  } catch (error) {
    // Pruned by a writer's rotation between listing and reading.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const key = keyOf(await handle.stat({ bigint: true }));
    const index = indexPath(logPath, file.number);
    const stored = decodeIndex(await readFile(index).catch(() => new Uint8Array(0)));
    if (stored && sameKey(stored.key, key)) {
      counts.used += 1;
      return { columns: stored.columns, skipped: stored.skipped };
    }
    const parsed = parse(await handle.readFile(), file.path);
    // Only a read of a file that stood still makes an index.
    if (sameKey(keyOf(await handle.stat({ bigint: true })), key)) {
      const bytes = encodeIndex(parsed.columns, { key, skipped: parsed.skipped });
      if (bytes && (await writeIndex(index, bytes))) counts.written += 1;
    }
    return parsed;
  } finally {
    await handle.close();
  }
}

/** Temp + rename, owner-only like the log; false when it cannot be written (the index is only a cache). */
async function writeIndex(path: string, bytes: Uint8Array): Promise<boolean> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(temp, bytes, { mode: 0o600 });
    await rename(temp, path);
    return true;
  } catch {
    await unlink(temp).catch(() => undefined);
    return false;
  }
}

/** Deletes the indexes of rotated files that are gone (rotation drops the oldest past maxFiles). */
async function pruneIndexes(logPath: string, files: LogFile[]): Promise<void> {
  const stem = logStem(logPath);
  const live = new Set(files.filter((file) => file.number > 0).map((file) => basename(indexPath(logPath, file.number))));
  let names: string[];
  try {
    names = await readdir(indexDir(logPath));
  } catch {
    return;
  }
  const ours = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.\\d+\\.idx$`);
  await Promise.all(
    names
      .filter((name) => ours.test(name) && !live.has(name))
      .map((name) => unlink(join(indexDir(logPath), name)).catch(() => undefined)),
  );
}
