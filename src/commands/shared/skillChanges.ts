/**
 * One skill at two points (a release, a commit, the work tree): its folder's files and its interface at each, and
 * between them the interface changes, the files that differ, the bump they need and the bump the versions make.
 * `skills release`, `log`, `diff` and `review` all compare this way.
 */
import type { Bump, InterfaceChange } from "../../contracts/versioning.js";
import { bumpBetween } from "../../core/versioning/bump.js";
import { diffSkillInterface } from "../../core/versioning/interface.js";
import { requiredBump } from "../../core/versioning/required.js";
import type { Repo } from "../../git/repo.js";
import { changedFiles, type SkillFolder, skillFoldersAt } from "../../git/skillFolders.js";
import { interfaceAt, type ReadInterface } from "./skillInterface.js";

export interface SkillPoint {
  /** What the user knows it by: `find-todos@1.0.0`, `HEAD`, `work tree`. */
  label: string;
  /** The commit or tree the folder was read from. */
  treeish: string;
  folder: SkillFolder;
  iface: ReadInterface;
}

export interface SkillComparison {
  changes: InterfaceChange[];
  /** Files (relative to the skill folder) that differ. */
  files: string[];
  requiredBump: Bump;
  /** From the first point's version to the second's. */
  actualBump: Bump;
  from?: string;
  to?: string;
  /** Why part of an interface could not be read. */
  problems: string[];
}

/** The skill folder `path` (repo-relative) at a commit or tree; undefined when it is not a skill folder there. */
export async function skillPoint(
  repo: Repo,
  treeish: string,
  path: string,
  label: string,
): Promise<SkillPoint | undefined> {
  const [folder] = (await skillFoldersAt(repo, treeish, [path])).filter((f) => f.path === path);
  if (!folder) return undefined;
  return { label, treeish, folder, iface: await interfaceAt(repo, treeish, path, folder.name) };
}

export function compareSkillPoints(before: SkillPoint, after: SkillPoint): SkillComparison {
  const changes = diffSkillInterface(before.iface.value, after.iface.value);
  const files = changedFiles(before.folder, after.folder);
  const from = before.iface.value.version;
  const to = after.iface.value.version;
  return {
    changes,
    files,
    requiredBump: requiredBump(changes, files),
    actualBump: from && to ? bumpBetween(from, to) : "none",
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    problems: [
      ...before.iface.problems.map((p) => `${before.label}: ${p}`),
      ...after.iface.problems.map((p) => `${after.label}: ${p}`),
    ],
  };
}
