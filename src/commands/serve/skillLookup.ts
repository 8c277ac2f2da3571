/**
 * Skills by name for the served tools. A client names skills, never paths: a name is checked against the naming rule
 * and looked up under the project's skill roots only, so no request reaches a folder outside them.
 */
import { constants, statSync } from "node:fs";
import { open, realpath } from "node:fs/promises";
import { basename, isAbsolute, join, relative, sep } from "node:path";
import type { SkillFolder } from "../../contracts/skill.js";
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

/** Loads a skill for reading (list_skills, resources): its problems are reported, not thrown. */
export async function readSkill(dir: string): Promise<{ skill?: SkillFolder; problems: string[] }> {
  const loaded = await loadSkill(dir, { displayDir: basename(dir) });
  if (loaded.ok) return { skill: loaded.value, problems: [] };
  return {
    problems: loaded.errors.map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.message}`),
  };
}

/** The most a client gets of one skill file (SKILL.md). */
export const MAX_SKILL_FILE_BYTES = 1024 * 1024;

/**
 * The text of one file of a skill folder, as a client may see it: a regular file whose real path is inside the
 * folder (a link to a host file would hand that file to the agent), opened without blocking (a FIFO would hang the
 * server) and at most MAX_SKILL_FILE_BYTES. Undefined when it does not exist.
 */
export async function readSkillFile(dir: string, file: string): Promise<string | undefined> {
  const name = basename(dir);
  let real: string;
  try {
    real = await realpath(join(dir, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw unreadable(name, file, `cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const inside = relative(await realpath(dir), real);
  if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new SkillsError("SKILL_LINK_ESCAPES", `${file} of ${name} is a link out of the skill folder`, {
      hint: "copy the file into the skill folder instead of linking to it (skills validate names every such link)",
    });
  }
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW).catch(
    (error: NodeJS.ErrnoException) => {
      throw unreadable(name, file, `cannot be read (${error.code})`);
    },
  );
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw unreadable(name, file, "is not a regular file");
    if (info.size > MAX_SKILL_FILE_BYTES) {
      throw unreadable(name, file, `is over ${MAX_SKILL_FILE_BYTES} bytes`);
    }
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

function unreadable(name: string, file: string, why: string): SkillsError {
  return new SkillsError("SKILL_UNREADABLE", `${file} of ${name} ${why}`, {
    hint: "skills validate shows the problem",
  });
}
