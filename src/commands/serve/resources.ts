/** Skills as MCP resources: `skill://<name>/SKILL.md` for each skill under the project's roots. */
import { basename, join } from "node:path";
import { SkillsError } from "../../errors.js";
import type { ServedResource, ServedResources } from "../../mcp/server/types.js";
import { SKILL_MD } from "../../store/loadSkill.js";
import { pathExists } from "../../store/pathExists.js";
import { readSkill, readSkillFile, requireSkillDir, skillDirs } from "./skillLookup.js";
import type { ServeState } from "./state.js";

const URI = /^skill:\/\/([^/]+)\/SKILL\.md$/;

export function skillResources(state: ServeState): ServedResources {
  return {
    templates: [
      {
        uriTemplate: "skill://{name}/SKILL.md",
        name: "skill",
        description: "A skill's SKILL.md: when and how to use it",
        mimeType: "text/markdown",
      },
    ],
    async list() {
      const resources: ServedResource[] = [];
      for (const dir of await skillDirs(state.config)) {
        if (!(await pathExists(join(dir, SKILL_MD)))) continue;
        const { skill } = await readSkill(dir);
        const name = skill?.name ?? basename(dir);
        resources.push({
          uri: `skill://${name}/SKILL.md`,
          name,
          ...(skill ? { description: skill.frontmatter.description } : {}),
          mimeType: "text/markdown",
        });
      }
      return resources;
    },
    async read(uri) {
      const match = URI.exec(uri);
      if (!match) {
        throw new SkillsError("NOT_FOUND", `no resource ${uri}: skills are served as skill://<name>/SKILL.md`);
      }
      const dir = await requireSkillDir(state.config, decodeURIComponent(match[1] as string));
      const text = await readSkillFile(dir, SKILL_MD);
      if (text === undefined) throw new SkillsError("NOT_FOUND", `skill ${match[1]} has no SKILL.md`);
      return { uri, mimeType: "text/markdown", text };
    },
  };
}
