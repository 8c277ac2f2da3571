/** Loading a skill for a command that runs it. */
import type { Problem } from "../../contracts/problem.js";
import type { LoadedSkill } from "../../contracts/skill.js";
import { displayPath } from "../../core/paths.js";
import { SkillsError } from "../../errors.js";
import { loadSkill } from "../../store/loadSkill.js";

/** Loads a skill; an invalid skill is an input error (exit 2) that lists every problem with its position. */
export async function loadValidSkill(dir: string, cwd: string): Promise<LoadedSkill> {
  const loaded = await loadSkill(dir);
  if (loaded.ok) return loaded.value;
  const first = loaded.errors[0];
  const lines = loaded.errors.map((problem) => `  ${formatProblem(problem, cwd)}`);
  throw new SkillsError(
    "MANIFEST_INVALID",
    `the skill in ${displayPath(dir, cwd)} is invalid (${loaded.errors.length} problem${loaded.errors.length === 1 ? "" : "s"}):\n${lines.join("\n")}`,
    {
      file: first ? displayPath(first.file, cwd) : undefined,
      line: first?.line,
      column: first?.column,
      pointer: first?.pointer,
      problems: loaded.errors,
      hint: `fix the problems above; \`skills validate ${displayPath(dir, cwd)}\` shows them with hints`,
    },
  );
}

function formatProblem(problem: Problem, cwd: string): string {
  const hint = problem.hint ? ` (${problem.hint})` : "";
  return `${displayPath(problem.file, cwd)}:${problem.line}:${problem.column}  ${problem.code}  ${problem.message}${hint}`;
}
