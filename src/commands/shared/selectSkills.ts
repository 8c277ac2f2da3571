/** Which skills `skills lock` and `skills compat` work on: folders, folders of skills, names, or the configured roots. */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { displayPath } from "../../core/paths.js";
import { SkillsError } from "../../errors.js";
import { type ProjectConfig, loadProjectConfig } from "../../store/config.js";
import { findSkillDirs, resolveSkillRef } from "../../store/findSkills.js";

export async function selectSkills(cwd: string, args: string[]): Promise<{ config: ProjectConfig; dirs: string[] }> {
  const config = await loadProjectConfig(cwd);
  const dirs = new Set<string>();
  if (args.length === 0) {
    const roots: string[] = [];
    for (const root of config.roots) if ((await stat(root).catch(() => undefined))?.isDirectory()) roots.push(root);
    for (const dir of await findSkillDirs(roots)) dirs.add(dir);
  } else {
    for (const arg of args) {
      const abs = resolve(cwd, arg);
      if ((await stat(abs).catch(() => undefined))?.isDirectory()) {
        for (const dir of await findSkillDirs([abs])) dirs.add(dir);
      } else {
        dirs.add(await resolveSkillRef(arg, config, cwd));
      }
    }
  }
  if (dirs.size === 0) {
    const where = args.length > 0 ? args.join(", ") : config.roots.map((root) => displayPath(root, cwd)).join(", ");
    throw new SkillsError("NOT_FOUND", `no skills found in ${where}`, {
      hint: "pass a skill folder or a folder of skills, or create one with `skills new <name>`",
    });
  }
  return { config, dirs: [...dirs].sort() };
}
