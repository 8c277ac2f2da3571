/** Human output of `skills diff`: the two sides, the interface changes, the bump they need and the one made. */
import type { DiffResult } from "../../commands/diff.js";
import { bumpRank } from "../../core/versioning/bump.js";
import type { CliContext } from "../context.js";
import { bumpText, changeLines } from "./interfaceChanges.js";

export function renderDiff(result: DiffResult, ctx: CliContext): string {
  const { style } = ctx;
  const side = (s: DiffResult["from"]) => `${s.label}${s.version ? ` (${s.version})` : ""}`;
  const lines = [`${style.bold(result.name)}: ${side(result.from)} -> ${side(result.to)}`];
  if (result.changes.length === 0) {
    lines.push(`  ${style.dim("no interface changes")}`);
  } else lines.push(...changeLines(result.changes, style));
  if (result.files.length > 0) {
    const shown = result.files.slice(0, 12).join(", ");
    lines.push(`  ${style.dim(`files: ${shown}${result.files.length > 12 ? `, … (${result.files.length})` : ""}`)}`);
  }
  for (const problem of result.problems) lines.push(`  ${style.yellow("warning")} ${problem}`);
  const short = result.from.version && result.to.version && bumpRank(result.actualBump) < bumpRank(result.requiredBump);
  lines.push(
    `required bump: ${bumpText(result.requiredBump, style)} · version bump: ${bumpText(result.actualBump, style)}${short ? ` ${style.red("(too small)")}` : ""}`,
  );
  return lines.join("\n");
}
