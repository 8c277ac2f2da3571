/** The one way a Problem is printed: `file:line:col  CODE  message` and an indented hint line. */
import type { Problem } from "../../contracts/problem.js";
import { terminalSafe as safe } from "../../core/text/terminal.js";
import type { Style } from "../style.js";

export function renderProblem(problem: Problem, style: Style): string {
  // Messages quote what a skill folder holds (file names, YAML values): no control characters reach the terminal.
  const where = `${safe(problem.file)}:${problem.line}:${problem.column}`;
  const code = problem.severity === "error" ? style.red(problem.code) : style.yellow(problem.code);
  const level = problem.severity === "warning" ? ` ${style.yellow("(warning)")}` : "";
  const lines = [`${where}  ${code}  ${safe(problem.message)}${level}`];
  if (problem.hint) lines.push(`  ${style.dim("hint:")} ${safe(problem.hint)}`);
  return lines.join("\n");
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
