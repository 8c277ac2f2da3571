/** A project in its git repository: the config, the repository, and the skill roots as repo-relative folders. */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { checkSkillName, NAME_RULE } from "../../core/validate/names.js";
import { SkillsError } from "../../errors.js";
import { openRepo, type Repo } from "../../git/repo.js";
import { loadProjectConfig, type ProjectConfig } from "../../store/config.js";
import { resolveSkillRef } from "../../store/findSkills.js";

export interface GitProject {
  config: ProjectConfig;
  repo: Repo;
  /** The configured roots inside the repository, repo-relative (`skills`). */
  roots: string[];
}

/** `why` names the command in the error when there is no repository (`skills release`). */
export async function openGitProject(cwd: string, why: string): Promise<GitProject> {
  const config = await loadProjectConfig(cwd);
  const repo = await openRepo(config.root, why);
  const roots = config.roots.map((root) => repoPath(repo, root)).filter((root) => !root.startsWith(".."));
  return { config, repo, roots };
}

/** An absolute path as a repo-relative, `/`-separated one ("" for the root). */
export function repoPath(repo: Repo, abs: string): string {
  return relative(repo.root, abs).split(sep).join("/");
}

/** A skill name from the command line, checked before it reaches git (a tag pattern, a path). */
export function checkedSkillName(name: string): string {
  const issue = checkSkillName(name);
  if (issue) {
    throw new SkillsError("NAME_INVALID", `"${name}" is not a skill name: ${issue.message}`, {
      hint: `a skill name is ${NAME_RULE}`,
    });
  }
  return name;
}

/** A skill of the work tree by name (under the roots) or folder (relative to `cwd`). */
export function workTreeSkill(ref: string, cwd: string, config: ProjectConfig): Promise<string> {
  const path = ref.includes("/") || ref.includes("\\") || ref.startsWith(".") || isAbsolute(ref);
  return resolveSkillRef(path ? resolve(cwd, ref) : ref, config);
}
