/**
 * `skills lock [skills..] [--check]`: pins each skill's tool dependencies in its tools.lock.json
 * (src/commands/shared/lock.ts does the locking); `--check` writes nothing and fails when a lock is missing or stale.
 */
import { type ErrorKind, ERROR_CODES, type ErrorCode } from "../errors.js";
import { type LockOptions, lockSkillFolders, type SkillLockResult, type SkillLockStatus } from "./shared/lock.js";

export type { LockOptions, SkillLockResult, SkillLockStatus } from "./shared/lock.js";

export interface LockResult {
  ok: boolean;
  check: boolean;
  skills: SkillLockResult[];
  summary: Record<SkillLockStatus, number>;
}

export async function lockSkills(options: LockOptions): Promise<LockResult> {
  const skills = await lockSkillFolders(options);
  const summary: Record<SkillLockStatus, number> = {
    written: 0,
    unchanged: 0,
    stale: 0,
    missing: 0,
    "no-tools": 0,
    error: 0,
  };
  for (const skill of skills) summary[skill.status]++;
  return { ok: summary.error + summary.stale + summary.missing === 0, check: options.check ?? false, skills, summary };
}

/** The kind of the worst error in a result (for the exit code): input problems are 2, the rest 1. */
export function lockErrorKind(result: LockResult): ErrorKind | undefined {
  let kind: ErrorKind | undefined;
  for (const skill of result.skills) {
    for (const error of skill.errors) {
      const k = (ERROR_CODES as Record<string, ErrorKind>)[error.code as ErrorCode] ?? "check";
      if (k === "input" || k === "usage") return "input";
      kind ??= k;
    }
  }
  return kind;
}
