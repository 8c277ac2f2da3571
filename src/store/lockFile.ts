/** Reading and writing a skill's tools.lock.json. Writes are atomic and skipped when nothing would change. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ToolsLock } from "../contracts/compat.js";
import type { Problem } from "../contracts/problem.js";
import { LOCK_FILE, parseLock, serializeLock } from "../core/compat/lockfile.js";
import { writeFileAtomic } from "./atomicWrite.js";

export type LockRead =
  | { status: "missing"; file: string }
  | { status: "invalid"; file: string; errors: Problem[] }
  | { status: "ok"; file: string; lock: ToolsLock; text: string; warnings: Problem[] };

/** `shown`: how problems name the file (relative to the user's working directory). */
export async function readLockFile(dir: string, shown = join(dir, LOCK_FILE), verify = true): Promise<LockRead> {
  let text: string;
  try {
    text = await readFile(join(dir, LOCK_FILE), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { status: "missing", file: shown };
    return {
      status: "invalid",
      file: shown,
      errors: [
        {
          severity: "error",
          code: "LOCK_INVALID",
          message: `cannot read ${LOCK_FILE}: ${code ?? String(error)}`,
          file: shown,
          line: 1,
          column: 1,
          pointer: "",
        },
      ],
    };
  }
  return lockFromText(text, shown, verify);
}

export function lockFromText(text: string, shown: string, verify = true): LockRead {
  const parsed = parseLock(text, shown, verify);
  if (!parsed.ok) return { status: "invalid", file: shown, errors: parsed.errors };
  return { status: "ok", file: shown, lock: parsed.value, text, warnings: parsed.warnings };
}

/** Writes the lock unless the file already holds exactly this text; says whether it wrote. */
export async function writeLockFile(dir: string, lock: ToolsLock): Promise<boolean> {
  const text = serializeLock(lock);
  const path = join(dir, LOCK_FILE);
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current === text) return false;
  await writeFileAtomic(path, text);
  return true;
}
