/**
 * Rotation by size. The writer that sees the file past its limit takes a lock file (O_EXCL), checks again, and renames
 * the current file to the next number; writers that still hold the old file open keep appending to it under its new
 * name, whole lines as before. The oldest rotated files go past `maxFiles`. A lock left by a killed process is
 * taken over after STALE_LOCK_MS.
 */
import { closeSync, openSync, renameSync, statSync, unlinkSync } from "node:fs";
import { type AppendSettings, listLogFiles, rotatedPath } from "./files.js";

const STALE_LOCK_MS = 10_000;

export function rotateIfDue(settings: AppendSettings): void {
  const lock = `${settings.path}.lock`;
  if (!takeLock(lock)) return;
  try {
    let size: number;
    try {
      size = statSync(settings.path).size;
    } catch {
      return;
    }
    // Another writer rotated between our write and our lock.
    if (size < settings.maxFileBytes) return;
    const files = listLogFiles(settings.path);
    const rotated = files.filter((file) => file.number > 0);
    const next = (rotated[rotated.length - 1]?.number ?? 0) + 1;
    renameSync(settings.path, rotatedPath(settings.path, next));
    const excess = rotated.length + 1 - settings.maxFiles;
    for (const file of rotated.slice(0, Math.max(0, excess))) {
      try {
        unlinkSync(file.path);
      } catch {
        // already gone
      }
    }
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // taken over as stale
    }
  }
}

function takeLock(lock: string): boolean {
  try {
    closeSync(openSync(lock, "wx", 0o600));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") return false;
  }
  try {
    if (Date.now() - statSync(lock).mtimeMs < STALE_LOCK_MS) return false;
    unlinkSync(lock);
    closeSync(openSync(lock, "wx", 0o600));
    return true;
  } catch {
    return false;
  }
}
