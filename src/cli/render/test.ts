/** Human output of `skills test`: a progress line per skill, then failures with diffs, then `N passed, N failed`. */
import { type CaseResult, type SkillTestResult, summaryLine, type TestResult } from "../../core/testing/results.js";
import { terminalSafe as safe } from "../../core/text/terminal.js";
import type { CliContext } from "../context.js";
import type { Style } from "../style.js";

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One line per skill, printed as soon as its cases are done. */
export function renderSkillProgress(skill: SkillTestResult, style: Style): string {
  const mark = skill.status === "passed" ? style.green("✓") : style.red("✗");
  const counts = `${skill.passed} passed, ${skill.failed} failed`;
  return `${mark} ${style.bold(skill.name)}  ${skill.failed > 0 ? style.red(counts) : counts}  ${style.dim(`(${seconds(skill.durationMs)})`)}`;
}

function indent(text: string, by: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `${by}${line}` : line))
    .join("\n");
}

function colourDiff(text: string, style: Style): string {
  return text
    .split("\n")
    .map((line) => (line.startsWith("- ") ? style.red(line) : line.startsWith("+ ") ? style.green(line) : line))
    .join("\n");
}

function renderCase(skill: string, c: CaseResult, style: Style): string[] {
  const label = c.status === "error" ? style.red("ERROR") : style.red("FAIL");
  const out = [`${label} ${style.bold(`${skill} › ${c.name}`)}  ${style.dim(`${c.file}:${c.line}  [${c.mode}]`)}`];
  for (const failure of c.failures) {
    out.push(`  ${safe(failure.message)}`);
    if (failure.diff) out.push(indent(colourDiff(safe(failure.diff), style), "    "));
  }
  for (const p of c.problems) {
    out.push(`  ${safe(p.file)}:${p.line}:${p.column}  ${style.yellow(p.code)}  ${safe(p.message)}`);
    if (p.hint) out.push(`    ${style.dim("hint:")} ${safe(p.hint)}`);
  }
  // The program's own output helps explain a failure: the last lines of each stream.
  for (const [label, text] of [
    ["stdout", c.run?.logs],
    ["stderr", c.run?.stderr],
  ] as const) {
    if (c.status === "failed" && text?.trim()) {
      out.push(`  ${style.dim(`${label}:`)}`, indent(safe(text.trimEnd().split("\n").slice(-15).join("\n")), "    "));
    }
  }
  return out;
}

export function renderTest(result: TestResult, ctx: CliContext): string {
  const style = ctx.style;
  const out: string[] = [];
  for (const skill of result.skills) {
    for (const c of skill.cases) if (c.status !== "passed") out.push("", ...renderCase(skill.name, c, style));
  }
  const warnings = new Map<string, string>();
  for (const skill of result.skills) {
    for (const c of [{ warnings: skill.warnings ?? [] }, ...skill.cases]) {
      for (const w of c.warnings) {
        const text = `${style.yellow("warning")} ${safe(w.file)}:${w.line}:${w.column}  ${w.code}  ${safe(w.message)}`;
        warnings.set(text, w.hint ? `${text}\n  ${style.dim("hint:")} ${safe(w.hint)}` : text);
      }
    }
  }
  if (warnings.size > 0) out.push("", ...warnings.values());
  const recorded = result.skills.flatMap((s) => s.cases).filter((c) => c.recorded);
  if (recorded.length > 0) out.push("", `recorded ${recorded.length} cassette${recorded.length === 1 ? "" : "s"}`);
  for (const lock of result.locked ?? []) {
    if (lock.status === "error")
      out.push(`${style.yellow("warning")} ${lock.file} was not written: ${safe(lock.message ?? "unknown error")}`);
    else out.push(`locked ${lock.file}${lock.status === "unchanged" ? style.dim(" (unchanged)") : ""}`);
  }
  if (result.junit) out.push(`JUnit report: ${result.junit}`);
  out.push(
    "",
    `${style.dim(`${result.skills.length} skill${result.skills.length === 1 ? "" : "s"}, ${seconds(result.summary.durationMs)}`)}`,
  );
  out.push(summaryLine(result.summary));
  return out.join("\n").replace(/^\n+/, "");
}
