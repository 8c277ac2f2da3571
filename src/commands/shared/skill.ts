/** Loading a skill for a command that runs it. */
import type { Problem } from "../../contracts/problem.js";
import type { RunLimits } from "../../contracts/run.js";
import type { InstructionSkill, LoadedSkill } from "../../contracts/skill.js";
import { displayPath } from "../../core/paths.js";
import { SkillsError } from "../../errors.js";
import { loadSkill } from "../../store/loadSkill.js";
import type { ExecutionRequest } from "./execution.js";

/** What running a skill asks of the execution, from its manifest: `skills run` and served `run_skill` alike. */
export function skillRunRequest(skill: LoadedSkill, input: unknown, limits: Partial<RunLimits>): ExecutionRequest {
  const manifest = skill.manifest;
  return {
    skill: { name: skill.name, version: manifest.version },
    privacy: manifest.privacy,
    language: manifest.language,
    skillDir: skill.dir,
    entryFile: manifest.entry,
    input,
    limits,
    ...(manifest.output ? { outputSchema: manifest.output } : {}),
  };
}

/**
 * Loads a skill that can run; an invalid skill is an input error (exit 2) that lists every problem with its
 * position, and an instruction skill (SKILL.md without manifest.yaml) says how to make it runnable.
 */
export async function loadValidSkill(dir: string, cwd: string): Promise<LoadedSkill> {
  const loaded = await loadSkill(dir);
  if (loaded.ok) {
    if (loaded.value.kind === "instruction") throw notRunnable(loaded.value, cwd);
    return loaded.value;
  }
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

/** What to write to make an instruction skill runnable: a manifest naming its entry. */
export function notRunnable(skill: InstructionSkill, cwd: string): SkillsError {
  const shown = displayPath(skill.dir, cwd);
  return new SkillsError(
    "SKILL_NOT_RUNNABLE",
    `${skill.name} is an instruction skill: ${shown} has SKILL.md but no manifest.yaml, so there is nothing to run (an agent reads its instructions instead)`,
    {
      file: `${shown}/manifest.yaml`,
      hint: `to make it runnable, add ${shown}/manifest.yaml with name: ${skill.name}, version: 0.1.0, language: python and entry: main.py (a file that defines run(input)); \`skills new <name>\` shows a complete example`,
    },
  );
}

function formatProblem(problem: Problem, cwd: string): string {
  const hint = problem.hint ? ` (${problem.hint})` : "";
  return `${displayPath(problem.file, cwd)}:${problem.line}:${problem.column}  ${problem.code}  ${problem.message}${hint}`;
}
