/**
 * save_skill pins the saved skill's tool dependencies (tools.lock.json) with the shared lock function of `skills
 * lock`, from the tools the server keeps warm: no server starts and no cache is read. The lock is written into the
 * staged folder, so the skill and its lock appear together. A lock that cannot be made leaves the skill saved without
 * one (and without the lock of the version it replaced, which pins other tools), and says why.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { LOCK_FILE } from "../../core/compat/lockfile.js";
import { lockSkillFolders } from "../shared/lock.js";
import type { ServeState } from "./state.js";

/** written / unchanged: tools.lock.json pins the tools; no-tools: the skill calls none; error: not locked. */
export type SavedLockStatus = "written" | "unchanged" | "no-tools" | "error";

export interface SavedLock {
  status: SavedLockStatus;
  /** Why it could not be locked, and what to do. */
  warning?: string;
}

export async function lockSavedSkill(state: ServeState, stagedDir: string): Promise<SavedLock> {
  let why: string;
  try {
    const [skill] = await lockSkillFolders({ cwd: state.cwd, paths: [stagedDir], catalog: state.live.asCatalog() });
    if (skill && skill.status !== "error" && skill.status !== "stale" && skill.status !== "missing") {
      return { status: skill.status };
    }
    const first = skill?.errors[0];
    why = first
      ? `${first.tool ? `${first.tool}: ` : ""}${first.code}: ${first.message}${first.hint ? ` (${first.hint})` : ""}`
      : "the lock function reported nothing for it";
  } catch (error) {
    why = error instanceof Error ? error.message : String(error);
  }
  await rm(join(stagedDir, LOCK_FILE), { force: true });
  return { status: "error", warning: `saved, but not locked (no ${LOCK_FILE}): ${why}` };
}
