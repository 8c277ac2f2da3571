/** One value the run gave a token, as the vault and its watch index see it. */
import type { PiiType } from "../types.js";

export interface VaultEntry {
  value: string;
  type: PiiType;
  token: string;
  /** Restored into a tool's arguments: a tool may hand it back inside anything (a file name, an echo, a URL). */
  restored: boolean;
  /** Found only thanks to its field name or a label (`{"phone": "5550100"}`): no detector sees it on its own. */
  weak: boolean;
}

/** Why an entry is watched: it is looked for wherever it turns up again, not only where a detector fires. */
export type WatchReason = "restored" | "weak";
