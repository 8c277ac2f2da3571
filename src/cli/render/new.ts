/** Human output of `skills new`: what was created and what to do next. */
import type { NewSkillResult } from "../../commands/new.js";
import { terminalSafe as safe } from "../../core/text/terminal.js";
import type { CliContext } from "../context.js";

export function renderNew(result: NewSkillResult, ctx: CliContext): string {
  const { style } = ctx;
  const lines = [`${style.green("created")} ${result.dir} ${style.dim(`(${result.language})`)}`];
  for (const file of result.files) lines.push(`  ${file}`);
  const ranges = Object.entries(result.lock?.ranges ?? {});
  if (ranges.length > 0) {
    lines.push("", "tools at the version their server has now (manifest.yaml):");
    for (const [tool, range] of ranges) lines.push(`  ${safe(tool)}: ${safe(range)}`);
  }
  if (result.lock?.status === "error") {
    lines.push(`${style.yellow("not locked")} ${safe(result.lock.message ?? "")}`.trimEnd());
    lines.push(
      `  ${style.dim("hint:")} its tools accept any version ("*") until you narrow them in manifest.yaml; run \`skills lock ${result.dir}\` once the servers in .mcp.json answer`,
    );
  }
  lines.push("", "next:");
  for (const step of result.next) lines.push(`  ${style.cyan(step)}`);
  return lines.join("\n");
}
