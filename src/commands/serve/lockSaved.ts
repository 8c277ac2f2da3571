/**
 * Where save_skill pins a saved skill's tool dependencies (tools.lock.json, `skills lock`). The lock command is not
 * part of this build yet: until it is, a saved skill is not locked and nothing is reported. When it lands, this calls
 * its library function for the one folder (the catalog is warm, so no server starts) and returns its warning, if any.
 */
import type { ServeState } from "./state.js";

export interface LockOutcome {
  locked: boolean;
  warning?: string;
}

export async function lockSavedSkill(_state: ServeState, _dir: string): Promise<LockOutcome> {
  return { locked: false };
}
