/**
 * Skills by name for the served tools. A client names skills, never paths: a name is checked against the naming rule
 * and looked up under the project's skill roots only, so no request reaches a folder outside them.
 */
import { basename, join } from "node:path";
import { statSync } from "node:fs";
import type { LoadedSkill } from "../../contracts/skill.js";
import { checkSkillName, NAME_RULE } from "../../core/validate/names.js";
import { closestMatches } from "../../core/validate/suggest.js";
import { SkillsError } from "../../errors.js";
import type { ProjectConfig } from "../../store/config.js";
import { findSkillDirs, isSkillDir } from "../../store/findSkills.js";
import { loadSkill } from "../../store/loadSkill.js";

/** Every skill folder under the roots that exist. */
export async function skillDirs(config: ProjectConfig): Promise<string[]> {
  const roots = config.roots.filter((root) => statSync(root, { throwIfNoEntry: false })?.isDirectory());
  return roots.length > 0 ? findSkillDirs(roots) : [];
}

/** The folder of the skill `name`, or undefined when there is none. NAME_INVALID for a name that is not one. */
export async function findSkillDir(config: ProjectConfig, name: string): Promise<string | undefined> {
  const issue = checkSkillName(name);
  if (issue) {
    throw new SkillsError("NAME_INVALID", `"${name}" is not a skill name: ${issue.message}`, {
      hint: `a name is ${NAME_RULE}; list_skills shows the skills`,
    });
  }
  for (const root of config.roots) {
    if (await isSkillDir(join(root, name))) return join(root, name);
  }
  return (await skillDirs(config)).find((dir) => basename(dir) === name);
}

/** The folder of the skill `name`; NOT_FOUND with the closest names otherwise. */
export async function requireSkillDir(config: ProjectConfig, name: string): Promise<string> {
  const dir = await findSkillDir(config, name);
  if (dir) return dir;
  const names = (await skillDirs(config)).map((found) => basename(found));
  const close = closestMatches(name, names);
  throw new SkillsError("NOT_FOUND", `there is no skill "${name}"`, {
    hint:
      close.length > 0
        ? `did you mean ${close.map((n) => `"${n}"`).join(" or ")}?`
        : names.length > 0
          ? "list_skills shows the skills"
          : "there are no skills yet: save_skill saves one",
  });
}

/** Loads a skill for reading (get_skill): its problems are reported, not thrown. */
export async function readSkill(dir: string): Promise<{ skill?: LoadedSkill; problems: string[] }> {
  const loaded = await loadSkill(dir, { displayDir: basename(dir) });
  if (loaded.ok) return { skill: loaded.value, problems: [] };
  return {
    problems: loaded.errors.map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.message}`),
  };
}
