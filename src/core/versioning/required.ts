/** The bump a set of changes needs: the largest of the interface changes, else patch for any change that ships. Pure. */
import type { Bump, InterfaceChange } from "../../contracts/versioning.js";
import { maxBump } from "./bump.js";

/** Folders of a skill that do not ship behaviour: a change only there needs no new version. */
const NOT_SHIPPED = ["tests/", "cassettes/"];

/** Whether a file (relative to the skill folder) changes what the skill does when it runs. */
export function shipsWithSkill(file: string): boolean {
  return !NOT_SHIPPED.some((folder) => file.startsWith(folder));
}

/**
 * `changes`: the interface diff; `changedFiles`: every file (relative to the skill folder) that differs. A change to
 * the interface needs its own bump; any other change to what ships (code, SKILL.md's body, the lock) needs a patch;
 * tests and cassettes alone need none.
 */
export function requiredBump(changes: InterfaceChange[], changedFiles: string[]): Bump {
  const fromInterface = maxBump(changes.map((change) => change.bump));
  if (fromInterface !== "none") return fromInterface;
  return changedFiles.some(shipsWithSkill) ? "patch" : "none";
}
