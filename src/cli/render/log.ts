/** Human output of `skills log`: what is not released yet, then each release with its date and changes. */
import type { LogResult } from "../../commands/log.js";
import type { CliContext } from "../context.js";
import { bumpText, changeLines } from "./interfaceChanges.js";

export function renderLog(result: LogResult, ctx: CliContext): string {
  const { style } = ctx;
  const lines: string[] = [];
  const where = result.dir
    ? style.dim(` (${result.dir}${result.version ? `, work tree at ${result.version}` : ""})`)
    : "";
  lines.push(`${style.bold(result.name)}${where}`);
  const { unreleased } = result;
  if (unreleased.commits.length > 0 || unreleased.uncommitted.length > 0) {
    lines.push("", `Unreleased${unreleased.since ? ` since ${unreleased.since}` : ""}:`);
    for (const commit of unreleased.commits) {
      lines.push(
        `  ${style.yellow(commit.hash.slice(0, 10))} ${commit.date.slice(0, 10)} ${commit.subject} ${style.dim(commit.author)}`,
      );
    }
    if (unreleased.uncommitted.length > 0)
      lines.push(`  ${style.dim(`${unreleased.uncommitted.length} uncommitted change(s):`)}`);
    for (const line of unreleased.uncommitted.slice(0, 20)) lines.push(`    ${line}`);
  }
  if (result.releases.length === 0) {
    lines.push("", style.dim(`no releases yet: \`skills release ${result.name}\` makes the first`));
    return lines.join("\n");
  }
  lines.push("", "Releases:");
  for (const release of result.releases) {
    const bump = release.previous ? ` ${bumpText(release.actualBump, style)}` : "";
    lines.push(`  ${style.bold(release.version)}  ${release.date.slice(0, 10)}  ${style.dim(release.tag)}${bump}`);
    if (!release.previous) lines.push(`    ${style.dim("first release")}`);
    else if (release.changes.length === 0)
      lines.push(`    ${style.dim(`no interface changes since ${release.previous}`)}`);
    else lines.push(...changeLines(release.changes, style, "    "));
  }
  return lines.join("\n");
}
