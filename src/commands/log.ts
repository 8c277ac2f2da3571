/**
 * `skills log <skill>`: the releases of a skill (tags `<name>@<version>`), newest first, each with its date and the
 * interface changes since the release before it; then what is not released yet: the commits that touched the folder
 * since the last release, and uncommitted changes.
 */
import type { Bump, InterfaceChange } from "../contracts/versioning.js";
import { displayPath } from "../core/paths.js";
import { isSkillsError } from "../errors.js";
import { releasesOf } from "../git/releases.js";
import { type CommitInfo, commitOf, commitsTouching, uncommitted } from "../git/repo.js";
import { checkedSkillName, openGitProject, repoPath, workTreeSkill } from "./shared/gitProject.js";
import { compareSkillPoints, type SkillPoint } from "./shared/skillChanges.js";
import { resolvePoint } from "./shared/skillPoints.js";
import { loadValidSkill } from "./shared/skill.js";

export interface LogOptions {
  cwd: string;
  /** A skill name or folder; a name that is gone from the work tree still shows its releases. */
  skill: string;
}

export interface LogRelease {
  version: string;
  tag: string;
  commit: string;
  date: string;
  /** The release before it (null: the first). */
  previous: string | null;
  changes: InterfaceChange[];
  requiredBump: Bump;
  actualBump: Bump;
}

export interface LogResult {
  name: string;
  /** The folder in the work tree, relative to the working directory (null: not in the work tree). */
  dir: string | null;
  /** The work tree's version. */
  version: string | null;
  releases: LogRelease[];
  unreleased: {
    /** The last release's tag (null: never released). */
    since: string | null;
    commits: CommitInfo[];
    /** `git status --porcelain` lines inside the folder. */
    uncommitted: string[];
  };
}

export async function log(options: LogOptions): Promise<LogResult> {
  const project = await openGitProject(options.cwd, "skills log");
  const { repo, config } = project;
  let dir: string | undefined;
  let name: string;
  let version: string | null = null;
  try {
    dir = await workTreeSkill(options.skill, options.cwd, config);
    const skill = await loadValidSkill(dir, options.cwd).catch(() => undefined);
    name = skill?.name ?? dir.split(/[\\/]/).pop()!;
    version = skill?.manifest.version ?? null;
  } catch (error) {
    // a skill removed from the work tree keeps its releases
    if (!isSkillsError(error) || error.code !== "NOT_FOUND" || options.skill.includes("/")) throw error;
    name = checkedSkillName(options.skill);
    if ((await releasesOf(repo, name)).length === 0) throw error;
  }
  const path = dir ? repoPath(repo, dir) : undefined;
  const releases = await releasesOf(repo, name);
  const target = { name, releases, ...(path ? { path } : {}) };
  const ascending = [...releases].reverse();
  const points: (SkillPoint | undefined)[] = [];
  for (const release of ascending)
    points.push(await resolvePoint(project, target, release.version).catch(() => undefined));
  const entries: LogRelease[] = ascending.map((release, index) => {
    const before = index > 0 ? points[index - 1] : undefined;
    const after = points[index];
    const compared = before && after ? compareSkillPoints(before, after) : undefined;
    return {
      version: release.version,
      tag: release.tag,
      commit: release.commit,
      date: release.date,
      previous: index > 0 ? ascending[index - 1]!.version : null,
      changes: compared?.changes ?? [],
      requiredBump: compared?.requiredBump ?? "none",
      actualBump: compared?.actualBump ?? "none",
    };
  });
  const last = releases[0];
  const head = await commitOf(repo, "HEAD");
  const commits = path && head ? await commitsTouching(repo, last ? `${last.tag}..HEAD` : "HEAD", [path]) : [];
  return {
    name,
    dir: dir ? displayPath(dir, options.cwd) : null,
    version,
    releases: entries.reverse(),
    unreleased: {
      since: last?.tag ?? null,
      commits,
      uncommitted: path ? await uncommitted(repo, path) : [],
    },
  };
}
