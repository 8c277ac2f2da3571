/** Human output of `skills validate`: every problem with its position and hint, then one summary line. */
import type { ValidateResult } from "../../commands/validate.js";
import { terminalSafe as safe } from "../../core/text/terminal.js";
import type { CliContext } from "../context.js";
import { plural, renderProblem } from "./problems.js";

export function renderValidate(result: ValidateResult, ctx: CliContext): string {
  const { style } = ctx;
  const lines: string[] = [];
  for (const skill of result.skills) {
    const problems = [...skill.errors, ...skill.warnings];
    const mark = skill.ok ? style.green("✓") : style.red("✗");
    const counts =
      problems.length > 0 ? style.dim(` (${describeCounts(skill.errors.length, skill.warnings.length)})`) : "";
    // A folder without SKILL.md is no skill of any kind: only say "instruction skill" of one that has it.
    const noSkillMd = skill.errors.some((problem) => problem.code === "SKILL_MD_MISSING");
    const kind = skill.kind === "instruction" && !noSkillMd ? style.dim(" instruction skill") : "";
    lines.push(`${mark} ${safe(skill.name)} ${style.dim(safe(skill.dir))}${kind}${counts}`);
    for (const problem of problems.sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
    )) {
      lines.push(renderProblem(problem, style));
    }
  }
  for (const note of result.notes) lines.push(style.dim(note));
  const { summary } = result;
  if (summary.skills > 0) {
    const modes = [...(result.strict ? ["strict"] : []), ...(result.profile ? [`profile ${result.profile}`] : [])];
    const mode = modes.length > 0 ? ` (${modes.join(", ")})` : "";
    const status = result.ok ? style.green("ok") : style.red("failed");
    lines.push(
      `${status}: ${plural(summary.skills, "skill")} checked${mode}, ${summary.valid} valid, ${summary.invalid} invalid` +
        ` · ${plural(summary.errors, "error")}, ${plural(summary.warnings, "warning")}`,
    );
  }
  return lines.join("\n");
}

function describeCounts(errors: number, warnings: number): string {
  const parts: string[] = [];
  if (errors > 0) parts.push(plural(errors, "error"));
  if (warnings > 0) parts.push(plural(warnings, "warning"));
  return parts.join(", ");
}
