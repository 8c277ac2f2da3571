/** Human output of `skills new --from-run`: what was made from which run, the validation, and what to do next. */
import type { NewFromRunResult } from "../../commands/new/fromRun.js";
import type { CliContext } from "../context.js";
import { terminalSafe as shown } from "../../core/text/terminal.js";

export function renderNewFromRun(result: NewFromRunResult, ctx: CliContext): string {
  const { style } = ctx;
  const lines = [
    `${style.green("created")} ${shown(result.dir)} ${style.dim(`(${shown(result.language)}, from run ${shown(result.run.id)} of ${shown(result.run.time.slice(0, 16).replace("T", " "))})`)}`,
  ];
  for (const file of result.files) lines.push(`  ${file}`);
  if (result.tools.length > 0) {
    lines.push("tools:");
    for (const tool of result.tools) {
      const now = tool.version ? style.dim(` (now ${shown(tool.version)})`) : "";
      lines.push(`  ${shown(tool.key)}: ${shown(tool.range)}${now}`);
    }
  }
  lines.push(
    style.dim(
      result.testInput === "given"
        ? "tests/from-run.yaml: the input you gave; it checks the result's type (the log keeps no values)"
        : "tests/from-run.yaml: input {}; it checks the result's type (the log keeps no inputs or values)",
    ),
  );
  if (result.validation.ok && result.validation.recordFirst) {
    lines.push(
      `${style.green("valid")} its files pass skills validate --strict; the test needs its recording (next) before the whole skill does`,
    );
  } else if (result.validation.ok) lines.push(`${style.green("valid")} skills validate --strict passes`);
  else {
    lines.push(style.red(`invalid: ${result.validation.errors.length} problem(s)`));
    for (const problem of result.validation.errors) {
      lines.push(`  ${problem.file}:${problem.line}:${problem.column}  ${problem.code}  ${problem.message}`);
    }
  }
  for (const warning of result.validation.warnings)
    lines.push(style.yellow(`  warning ${warning.code} ${warning.message}`));
  for (const warning of result.warnings) lines.push(`${style.yellow("warning")} ${shown(warning)}`);
  lines.push("", "next:");
  for (const step of result.next) lines.push(`  ${style.cyan(step)}`);
  return lines.join("\n");
}
