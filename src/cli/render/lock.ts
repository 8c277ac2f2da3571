/** Human output of `skills lock`: a line per skill, what is stale and why, and a summary. */
import type { LockResult, SkillLockResult } from "../../commands/lock.js";
import type { CliContext } from "../context.js";
import { plural } from "./problems.js";

export function renderLock(result: LockResult, ctx: CliContext): string {
  const { style } = ctx;
  const lines: string[] = [];
  for (const skill of result.skills) {
    lines.push(skillLine(skill, result.check, ctx));
    if (skill.drift) {
      for (const key of skill.drift.missing)
        lines.push(`    ${style.yellow("+")} ${key} ${style.dim("is declared but not locked")}`);
      for (const key of skill.drift.extra)
        lines.push(`    ${style.yellow("-")} ${key} ${style.dim("is locked but no longer declared")}`);
      for (const key of skill.drift.changed)
        lines.push(`    ${style.yellow("~")} ${key} ${style.dim("changed on its server since it was locked")}`);
    }
    for (const error of skill.errors) {
      const where = error.file ? `${error.file}${error.line ? `:${error.line}:${error.column ?? 1}` : ""}  ` : "";
      lines.push(`    ${where}${style.red(error.code)}  ${error.tool ? `${error.tool}: ` : ""}${error.message}`);
      if (error.hint) lines.push(`      ${style.dim("hint:")} ${error.hint}`);
    }
  }
  const s = result.summary;
  const parts = result.check
    ? [`${s.unchanged} up to date`, `${s.stale} stale`, `${s.missing} missing`]
    : [`${s.written} written`, `${s.unchanged} unchanged`];
  if (s["no-tools"] > 0) parts.push(`${s["no-tools"]} without tools`);
  if (s.error > 0) parts.push(plural(s.error, "error"));
  const head = result.ok ? style.green("ok") : style.red("failed");
  lines.push(`${head}: ${plural(result.skills.length, "skill")} · ${parts.join(", ")}`);
  if (result.check && !result.ok && s.error === 0)
    lines.push(style.dim("run `skills lock` to update them, then commit tools.lock.json"));
  return lines.join("\n");
}

function skillLine(skill: SkillLockResult, check: boolean, ctx: CliContext): string {
  const { style } = ctx;
  const tools = skill.tools.length > 0 ? style.dim(` (${plural(skill.tools.length, "tool")})`) : "";
  switch (skill.status) {
    case "written":
      return `${style.green("✓")} ${skill.name} ${style.dim("wrote")} ${skill.file}${tools}`;
    case "unchanged":
      return `${style.green("✓")} ${skill.name} ${style.dim(check ? "up to date" : "unchanged")} ${skill.file}${tools}`;
    case "no-tools":
      return `${style.dim("-")} ${skill.name} ${style.dim("declares no tools: nothing to lock")}`;
    case "missing":
      return `${style.red("✗")} ${skill.name} ${skill.file} ${style.red("is missing")}${tools}`;
    case "stale":
      return `${style.red("✗")} ${skill.name} ${skill.file} ${style.red("is stale")}${tools}`;
    case "error":
      return `${style.red("✗")} ${skill.name} ${style.dim(skill.dir)} ${style.red("not locked")}`;
  }
}
