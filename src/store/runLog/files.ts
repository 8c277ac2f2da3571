/**
 * The run log's files: the current file (`runs.jsonl`), rotated files beside it (`runs.1.jsonl`, `runs.2.jsonl`, ...;
 * a higher number is newer), and the code of exec runs (`code/<sha256>.py|ts|js`).
 */
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Where the log is and when it rotates (the project config's `runLog`). */
export interface AppendSettings {
  path: string;
  maxFileBytes: number;
  maxFiles: number;
}

export interface LogFile {
  path: string;
  /** 0 for the current file; rotated files have their number. */
  number: number;
}

/** `runs` for `/x/runs.jsonl`. */
export function logStem(path: string): string {
  return basename(path).replace(/\.jsonl$/, "");
}

export function rotatedPath(path: string, number: number): string {
  return join(dirname(path), `${logStem(path)}.${number}.jsonl`);
}

export function codeDir(path: string): string {
  return join(dirname(path), "code");
}

/** Rotated files, oldest first, then the current file (whether or not it exists). */
export function listLogFiles(path: string): LogFile[] {
  const stem = logStem(path);
  const pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(\\d+)\\.jsonl$`);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    names = [];
  }
  const rotated: LogFile[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (match) rotated.push({ path: join(dirname(path), name), number: Number(match[1]) });
  }
  rotated.sort((a, b) => a.number - b.number);
  return [...rotated, { path, number: 0 }];
}
