/** Human output of `skills release`: the tag, the versions and bumps, the changes, tests, compat, warnings. */
import type { ReleaseResult } from "../../commands/release.js";
import type { CliContext } from "../context.js";
import { bumpText, changeLines } from "./interfaceChanges.js";

export function renderRelease(result: ReleaseResult, ctx: CliContext): string {
  const { style } = ctx;
  const lines: string[] = [];
  const where = result.commit ? ` on ${result.commit.slice(0, 12)}` : "";
  lines.push(
    result.dryRun
      ? `${style.green("✓")} ${result.name} ${result.version} can be released ${style.dim("(--dry-run: nothing written)")}`
      : `${style.green("✓")} released ${style.bold(`${result.name} ${result.version}`)}: tag ${result.tag}${where}`,
  );
  if (result.committed) lines.push(`  ${style.dim("committed")} the version in ${result.dir}/manifest.yaml`);
  if (result.previous) {
    lines.push(
      `  ${result.previous.version} -> ${result.version}: ${bumpText(result.actualBump, style)} ${style.dim(`(the changes need ${result.requiredBump})`)}`,
    );
    if (result.changes.length === 0) lines.push(`  ${style.dim("no interface changes")}`);
    else lines.push(...changeLines(result.changes, style, "    "));
  } else lines.push(`  ${style.dim("first release")}`);
  lines.push(`  tests: ${result.tests.passed} passed · compat: ${result.compat}`);
  for (const warning of result.warnings) lines.push(`  ${style.yellow("warning")} ${warning}`);
  if (!result.dryRun) lines.push(style.dim(`push it: git push origin ${result.tag}${result.committed ? " HEAD" : ""}`));
  return lines.join("\n");
}
