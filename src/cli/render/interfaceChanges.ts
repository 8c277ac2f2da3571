/** Interface changes of a skill as lines: the bump each needs, what changed, the rule. */
import type { Bump, InterfaceChange } from "../../contracts/versioning.js";
import type { Style } from "../style.js";

export function bumpText(bump: Bump, style: Style): string {
  if (bump === "major") return style.red("major");
  if (bump === "minor") return style.yellow("minor");
  if (bump === "patch") return style.green("patch");
  return style.dim("none");
}

export function changeLines(changes: InterfaceChange[], style: Style, indent = "  "): string[] {
  return changes.map(
    (change) =>
      `${indent}${bumpText(change.bump, style).padEnd(style.enabled ? 14 : 5)} ${change.message} ${style.dim(`[${change.rule}]`)}`,
  );
}
