/**
 * `skills diff <skill> [<a>..<b>]`: the interface diff of a skill between two versions — released versions, git
 * refs, or the work tree — with the bump it needs and the bump the versions make. Default: the last release .. the
 * work tree.
 */
import type { Bump, InterfaceChange } from "../contracts/versioning.js";
import { parseRange } from "../core/versioning/tags.js";
import { SkillsError } from "../errors.js";
import { releasesOf } from "../git/releases.js";
import { openGitProject, repoPath, workTreeSkill } from "./shared/gitProject.js";
import { compareSkillPoints } from "./shared/skillChanges.js";
import { resolvePoint } from "./shared/skillPoints.js";
import { loadValidSkill } from "./shared/skill.js";

export interface DiffOptions {
  cwd: string;
  skill: string;
  /** `a..b`, `a..`, `..b` or `a`; each side a version, `latest`, a range or a git ref; an empty side is the work tree
   * (on the right) or the last release (on the left). */
  range?: string;
}

export interface DiffSide {
  /** `find-todos@1.0.0`, `main`, `work tree`. */
  label: string;
  version: string | null;
  /** The skill folder there, repo-relative. */
  path: string;
}

export interface DiffResult {
  name: string;
  from: DiffSide;
  to: DiffSide;
  changes: InterfaceChange[];
  /** Files of the folder that differ (relative to it). */
  files: string[];
  requiredBump: Bump;
  actualBump: Bump;
  /** Parts of an interface that could not be read (a YAML error). */
  problems: string[];
}

export async function diff(options: DiffOptions): Promise<DiffResult> {
  const project = await openGitProject(options.cwd, "skills diff");
  const dir = await workTreeSkill(options.skill, options.cwd, project.config);
  const skill = await loadValidSkill(dir, options.cwd).catch(() => undefined);
  const name = skill?.name ?? dir.split(/[\\/]/).pop()!;
  const releases = await releasesOf(project.repo, name);
  const range = parseRange(options.range ?? "");
  const fromSpec = range.from ?? releases[0]?.version;
  if (fromSpec === undefined) {
    throw new SkillsError("VERSION_NOT_FOUND", `${name} has no releases to compare the work tree with`, {
      hint: `compare with a git ref instead (\`skills diff ${name} HEAD..\`), or release it first (\`skills release ${name}\`)`,
    });
  }
  const target = { name, releases, path: repoPath(project.repo, dir) };
  const before = await resolvePoint(project, target, fromSpec);
  const after = await resolvePoint(project, target, range.to);
  const compared = compareSkillPoints(before, after);
  const side = (point: typeof before, version?: string): DiffSide => ({
    label: point.label,
    version: version ?? null,
    path: point.folder.path,
  });
  return {
    name,
    from: side(before, compared.from),
    to: side(after, compared.to),
    changes: compared.changes,
    files: compared.files,
    requiredBump: compared.requiredBump,
    actualBump: compared.actualBump,
    problems: compared.problems,
  };
}
