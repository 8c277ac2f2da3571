/**
 * `skills release <skill> [--bump major|minor|patch]`: validate the skill, compute the bump its changes need against
 * its last release, replay its tests, check its lock with compat, then (with --bump) write the new version into
 * manifest.yaml and commit that file alone, and tag the commit `<name>@<version>` (annotated: the message lists the
 * interface changes). Every refusal comes before the first write: a refused release commits and tags nothing.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Bump, InterfaceChange, SkillRelease } from "../contracts/versioning.js";
import { displayPath } from "../core/paths.js";
import { bumpBetween, bumpRank, nextVersion } from "../core/versioning/bump.js";
import { setManifestVersion } from "../core/versioning/setVersion.js";
import { releaseMessage, releaseTag } from "../core/versioning/tags.js";
import { SkillsError } from "../errors.js";
import { releasesOf } from "../git/releases.js";
import { commitOf, uncommitted } from "../git/repo.js";
import { commitPaths, committer, createTag, undoCommit } from "../git/write.js";
import { writeFileAtomic } from "../store/atomicWrite.js";
import { compat } from "./compat.js";
import { openGitProject, repoPath, workTreeSkill } from "./shared/gitProject.js";
import { compareSkillPoints, type SkillComparison, skillPoint } from "./shared/skillChanges.js";
import { findSkillFolder } from "./shared/skillVersion.js";
import { loadValidSkill } from "./shared/skill.js";
import { runTests } from "./test.js";
import { validate } from "./validate.js";

export interface ReleaseOptions {
  cwd: string;
  /** A skill name or folder (of the work tree). */
  skill: string;
  /** Write the last release's version bumped by this into manifest.yaml (and commit it). */
  bump?: Exclude<Bump, "none">;
  /** Check everything, write nothing. */
  dryRun?: boolean;
  onStatus?: (message: string) => void;
}

export interface ReleaseResult {
  ok: true;
  name: string;
  /** The skill folder, relative to the working directory. */
  dir: string;
  version: string;
  tag: string;
  /** The commit tagged (null with --dry-run). */
  commit: string | null;
  /** Whether the new version was written and committed (--bump). */
  committed: boolean;
  dryRun: boolean;
  previous: { version: string; tag: string } | null;
  requiredBump: Bump;
  actualBump: Bump;
  changes: InterfaceChange[];
  tests: { passed: number; failed: number };
  compat: string;
  /** The tag's message. */
  message: string;
  warnings: string[];
}

export async function release(options: ReleaseOptions): Promise<ReleaseResult> {
  const status = options.onStatus ?? (() => undefined);
  const { config, repo, roots } = await openGitProject(options.cwd, "skills release");
  const dir = await workTreeSkill(options.skill, options.cwd, config);
  const shown = displayPath(dir, options.cwd);
  const path = repoPath(repo, dir);
  const warnings: string[] = [];

  status(`validating ${shown}`);
  const validation = (await validate({ cwd: options.cwd, paths: [dir] })).skills[0];
  if (!validation?.ok) {
    const problems = validation?.errors ?? [];
    throw refuse(
      `${shown} is not valid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems
        .map((p) => `  ${p.file}:${p.line}:${p.column}  ${p.code}  ${p.message}`)
        .join("\n")}`,
      `fix them (\`skills validate ${shown}\`), commit, and release again`,
    );
  }
  for (const warning of validation.warnings)
    warnings.push(`${warning.file}:${warning.line} ${warning.code}: ${warning.message}`);
  const skill = await loadValidSkill(dir, options.cwd);
  const name = skill.name;
  if (path.startsWith("..")) {
    throw refuse(`${shown} is not inside the repository ${repo.root}`, "release skills of the repository you are in");
  }
  const head = await commitOf(repo, "HEAD");
  if (!head) throw refuse("the repository has no commits yet", `commit ${shown} first, then release it`);
  const dirty = await uncommitted(repo, path);
  if (dirty.length > 0) {
    const files = dirty.slice(0, 10).map((line) => `  ${line}`);
    throw refuse(
      `${shown} has uncommitted changes (a release tags what is committed):\n${files.join("\n")}${dirty.length > 10 ? `\n  … and ${dirty.length - 10} more` : ""}`,
      "commit them (or stash them), then release again",
    );
  }

  const releases = await releasesOf(repo, name);
  const previous = releases[0];
  const comparison = previous ? await compareWithRelease(previous, name, path, head) : undefined;
  if (previous && !comparison) {
    warnings.push(`${previous.tag} has no skill folder named ${name}: the bump was not checked against it`);
  }
  if (previous && comparison && comparison.files.length === 0) {
    throw refuse(
      `nothing changed in ${shown} since ${previous.tag}`,
      `change the skill, commit, and release again (\`skills log ${name}\` lists the releases)`,
    );
  }
  const required = comparison?.requiredBump ?? "none";
  const manifestFile = join(dir, "manifest.yaml");
  const manifestText = await readFile(manifestFile, "utf8");
  const current = skill.manifest.version;
  const version = options.bump ? bumped(previous?.version ?? current, options.bump) : current;
  const actual = previous ? bumpBetween(previous.version, version) : "none";
  const tag = releaseTag(name, version);
  if (previous && actual === "none") {
    throw refuse(
      `version ${version} is not greater than the last release ${previous.tag}`,
      `bump it: \`skills release ${name} --bump ${required === "none" ? "patch" : required}\` (the changes need ${required === "none" ? "no particular bump" : `a ${required} bump`})`,
    );
  }
  if (previous && bumpRank(actual) < bumpRank(required)) {
    const needing = comparison!.changes.filter((c) => bumpRank(c.bump) > bumpRank(actual));
    throw refuse(
      `${previous.version} -> ${version} is a ${actual} bump, but the changes need ${required}:\n${(
        needing.length > 0
          ? needing.map((c) => `  ${c.bump}: ${c.message}`)
          : [`  ${required}: ${comparison!.files.join(", ")} changed`]
      ).join("\n")}`,
      `release it as ${bumped(previous.version, required as Exclude<Bump, "none">)}: \`skills release ${name} --bump ${required}\``,
    );
  }
  if (releases.some((r) => r.version === version) || (await commitOf(repo, `refs/tags/${tag}`))) {
    throw refuse(`the tag ${tag} already exists`, `release a higher version (\`skills log ${name}\` lists them)`);
  }

  status(`replaying the tests of ${name}`);
  const tests = await runTests({ cwd: options.cwd, paths: [dir] });
  const skillTests = tests.skills[0];
  const cases = skillTests?.cases ?? [];
  const failed = cases.filter((c) => c.status !== "passed");
  if (failed.length > 0) {
    const lines = failed.map((c) => {
      const why = c.failures[0]?.message ?? c.problems[0]?.message ?? c.run?.error?.message ?? c.status;
      return `  ${c.file}:${c.line}  ${c.name}: ${why.replace(/\s*\n\s*/g, " ")}`;
    });
    throw refuse(
      `${failed.length} of ${cases.length} test case${cases.length === 1 ? "" : "s"} of ${name} failed:\n${lines.join("\n")}`,
      `fix them (\`skills test ${shown}\` shows each failure), commit, and release again`,
    );
  }
  if (cases.length === 0) warnings.push(`${name} has no test cases: released untested (add tests/*.yaml)`);

  const against = previous?.tag ?? "HEAD";
  status(`checking ${name}'s lock against ${against}`);
  const checked = (await compat({ cwd: options.cwd, paths: [dir], against })).skills[0];
  const compatStatus = checked?.status ?? "compatible";
  if (compatStatus === "migration-needed" || compatStatus === "incompatible" || compatStatus === "error") {
    const lines = (checked?.dependencies ?? [])
      .filter((d) => d.status !== "compatible" && d.status !== "warning")
      .map((d) => `  ${d.tool}: ${d.status}${d.hints[0] ? ` — ${d.hints[0]}` : ""}`);
    if (checked?.error) lines.unshift(`  ${checked.error.code}: ${checked.error.message}`);
    throw refuse(
      `compat of ${name} against ${against}: ${compatStatus}\n${lines.join("\n")}`,
      `\`skills compat ${shown} --against ${against}\` says what to change`,
    );
  }
  if (compatStatus === "warning") warnings.push(`compat against ${against}: warnings (\`skills compat ${shown}\`)`);

  const message = releaseMessage(name, version, previous?.version, comparison?.changes ?? [], required);
  const result: ReleaseResult = {
    ok: true,
    name,
    dir: shown,
    version,
    tag,
    commit: null,
    committed: false,
    dryRun: Boolean(options.dryRun),
    previous: previous ? { version: previous.version, tag: previous.tag } : null,
    requiredBump: required,
    actualBump: actual,
    changes: comparison?.changes ?? [],
    tests: { passed: cases.length - failed.length, failed: failed.length },
    compat: compatStatus,
    message,
    warnings,
  };
  if (options.dryRun) return result;

  if (!(await committer(repo))) {
    throw refuse(
      "git does not know who you are: a release commits and tags in your name",
      'set it: git config user.name "Your Name" && git config user.email you@example.com',
    );
  }
  let commit = head;
  if (version !== current) {
    const text = setManifestVersion(manifestText, version);
    if (text === undefined) {
      throw refuse(`cannot find the version: line in ${displayPath(manifestFile, options.cwd)}`, "set it by hand");
    }
    status(`writing version ${version}`);
    await writeFileAtomic(manifestFile, text);
    try {
      commit = await commitPaths(repo, [repoPath(repo, manifestFile)], `Release ${name} ${version}`);
    } catch (error) {
      await writeFileAtomic(manifestFile, manifestText);
      throw error;
    }
    result.committed = true;
  }
  try {
    await createTag(repo, tag, commit, message);
  } catch (error) {
    if (result.committed) {
      await undoCommit(repo, head, [repoPath(repo, manifestFile)]);
      await writeFileAtomic(manifestFile, manifestText);
    }
    throw error;
  }
  result.commit = commit;
  return result;

  /** The skill at its last release (where the tag has its folder) against HEAD. */
  async function compareWithRelease(
    last: SkillRelease,
    skillName: string,
    at: string,
    commit: string,
  ): Promise<SkillComparison | undefined> {
    const same = await skillPoint(repo, last.commit, at, last.tag);
    const then = same?.folder.name === skillName ? at : await findSkillFolder(repo, last.commit, skillName, roots);
    const before = then === at ? same : then ? await skillPoint(repo, last.commit, then, last.tag) : undefined;
    const now = await skillPoint(repo, commit, at, "HEAD");
    if (!before || !now) return undefined;
    return compareSkillPoints(before, now);
  }
}

function bumped(version: string, bump: Exclude<Bump, "none">): string {
  const next = nextVersion(version, bump);
  if (!next) throw new SkillsError("INVALID_ARGUMENT", `cannot bump ${version} by ${bump}`);
  return next;
}

function refuse(message: string, hint: string): SkillsError {
  return new SkillsError("RELEASE_REFUSED", `${message}\nnothing was committed or tagged`, { hint });
}
