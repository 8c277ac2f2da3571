/**
 * Naming one version of a skill for `skills diff` and `skills log`: a released version (`1.2.0`, `latest`, `^1`),
 * any git ref (`main`, `HEAD~3`, a sha), or the work tree (nothing). Each resolves to the skill's folder there.
 */
import type { SkillRelease } from "../../contracts/versioning.js";
import { pickVersion } from "../../core/versioning/tags.js";
import { SkillsError } from "../../errors.js";
import { commitOf } from "../../git/repo.js";
import { snapshotWorkTree } from "../../git/snapshot.js";
import type { GitProject } from "./gitProject.js";
import { type SkillPoint, skillPoint } from "./skillChanges.js";
import { findSkillFolder } from "./skillVersion.js";

export interface PointTarget {
  name: string;
  /** The skill's folder in the work tree (repo-relative), when it is there. */
  path?: string;
  releases: SkillRelease[];
}

/** The skill at a version, a ref, or (spec undefined) the work tree. */
export async function resolvePoint(project: GitProject, target: PointTarget, spec?: string): Promise<SkillPoint> {
  const { repo, roots } = project;
  if (spec === undefined) {
    if (!target.path) {
      throw new SkillsError("NOT_FOUND", `${target.name} is not in the work tree`, {
        hint: `compare two versions instead: ${target.releases[1]?.version ?? "<a>"}..${target.releases[0]?.version ?? "<b>"}`,
      });
    }
    const tree = await snapshotWorkTree(repo, roots);
    const point = await skillPoint(repo, tree, target.path, "work tree");
    if (!point) throw new SkillsError("NOT_FOUND", `${target.path} is not a skill folder`);
    return point;
  }
  const version = pickVersion(
    target.releases.map((r) => r.version),
    spec,
  );
  const release = version ? target.releases.find((r) => r.version === version) : undefined;
  const commit = release?.commit ?? (await commitOf(repo, spec));
  if (!commit) {
    const versions = target.releases.map((r) => r.version);
    throw new SkillsError("VERSION_NOT_FOUND", `"${spec}" is neither a release of ${target.name} nor a git ref`, {
      hint:
        versions.length > 0
          ? `released versions: ${versions.slice(0, 20).join(", ")}; or a branch, tag or commit`
          : `${target.name} has no releases yet: name a branch, tag or commit (e.g. HEAD~1)`,
    });
  }
  const label = release ? release.tag : spec;
  const here = target.path ? await skillPoint(repo, commit, target.path, label) : undefined;
  if (here && here.folder.name === target.name) return here;
  const path = await findSkillFolder(repo, commit, target.name, roots);
  const point = path ? await skillPoint(repo, commit, path, label) : undefined;
  if (!point) {
    throw new SkillsError("NOT_FOUND", `${target.name} does not exist at ${label}`, {
      hint: `\`skills log ${target.name}\` lists its releases`,
    });
  }
  return point;
}
