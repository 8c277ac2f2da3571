/**
 * A released version of a skill as a folder: `name@1.2.0`, `name@latest` or `name@^1` picks a release (a tag
 * `<name>@<version>`), finds the skill's folder at the tagged commit, and unpacks that folder's tree into the cache
 * (`<cacheDir>/versions/<tree>/<name>`, once per tree). The work tree and the index are never touched, so a run or a
 * test of an old version sees exactly what was released, whatever is checked out. `skills run`, `skills test` and
 * `skills serve` (run_skill's `version`) use it.
 */
import { join } from "node:path";
import type { SkillRelease } from "../../contracts/versioning.js";
import { pickVersion } from "../../core/versioning/tags.js";
import { SkillsError } from "../../errors.js";
import { extractTree } from "../../git/extract.js";
import { releasesOf } from "../../git/releases.js";
import { skillFoldersAt } from "../../git/skillFolders.js";
import { type Repo, treeAt } from "../../git/repo.js";
import { checkedSkillName, openGitProject } from "./gitProject.js";

export interface ResolveSkillVersionOptions {
  /** Any folder of the project. */
  cwd: string;
  name: string;
  /** An exact version, `latest`, or a semver range (its highest release). */
  version: string;
}

export interface SkillVersion {
  name: string;
  version: string;
  tag: string;
  commit: string;
  /** The skill folder's tree at the tag. */
  tree: string;
  /** ISO 8601 date of the release. */
  date: string;
  /** Where the folder was in the repository at the tag (repo-relative). */
  path: string;
  /** The unpacked folder (absolute), ready to load, run or test. */
  dir: string;
}

/** The folder of released version `version` of skill `name`; VERSION_NOT_FOUND (with the versions there are). */
export async function resolveSkillVersion(options: ResolveSkillVersionOptions): Promise<SkillVersion> {
  const name = checkedSkillName(options.name);
  const { repo, roots, config } = await openGitProject(options.cwd, `${name}@${options.version}`);
  const releases = await releasesOf(repo, name);
  const release = pickRelease(name, releases, options.version);
  const path = await findSkillFolder(repo, release.commit, name, roots);
  if (!path) {
    throw new SkillsError("VERSION_NOT_FOUND", `${release.tag} has no skill folder named ${name}`, {
      hint: `the tag points at ${release.commit.slice(0, 12)}, where no folder below ${roots.join(", ") || "the roots"} is named ${name}; check the tag (\`git show ${release.tag}\`)`,
    });
  }
  const tree = (await treeAt(repo, release.commit, path))!;
  const dir = await extractTree(repo, tree, join(config.cacheDir, "versions"), name);
  return {
    name,
    version: release.version,
    tag: release.tag,
    commit: release.commit,
    tree,
    date: release.date,
    path,
    dir,
  };
}

function pickRelease(name: string, releases: SkillRelease[], spec: string): SkillRelease {
  if (releases.length === 0) {
    throw new SkillsError("VERSION_NOT_FOUND", `${name} has no releases (no tag ${name}@<version>)`, {
      hint: `release it with \`skills release ${name}\`, or run the work tree's version: drop the @${spec}`,
    });
  }
  const version = pickVersion(
    releases.map((r) => r.version),
    spec,
  );
  if (version === undefined) {
    const shown = releases.slice(0, 20).map((r) => r.version);
    throw new SkillsError("VERSION_NOT_FOUND", `${name}@${spec} is not a release of ${name}`, {
      hint: `released versions: ${shown.join(", ")}${releases.length > 20 ? ", …" : ""} (or @latest)`,
      versions: releases.map((r) => r.version),
    });
  }
  return releases.find((r) => r.version === version)!;
}

/** Where the folder of skill `name` is at a commit: `<root>/<name>` first, else any skill folder of that name. */
export async function findSkillFolder(
  repo: Repo,
  commit: string,
  name: string,
  roots: string[],
): Promise<string | undefined> {
  for (const root of roots) {
    const path = root === "" ? name : `${root}/${name}`;
    if (await treeAt(repo, commit, path)) {
      const folders = await skillFoldersAt(repo, commit, [path]);
      if (folders.some((folder) => folder.path === path)) return path;
    }
  }
  const all = await skillFoldersAt(repo, commit, roots);
  return all.find((folder) => folder.name === name)?.path;
}
