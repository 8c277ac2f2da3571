/**
 * `skills review --base <ref> [--head <ref>]`: the pull-request report. The skills whose folders changed between the
 * merge base and the head (added, changed, removed, renamed) — and only those: an unchanged skill is neither
 * validated nor tested — each with its validation problems, test replay, compat of its lock against the merge base,
 * its interface diff, the bump the changes need against the bump the version makes, and findings; a finding of
 * severity `error` blocks the merge. The head is the work tree (uncommitted changes included) unless --head names a
 * commit, whose changed skills are unpacked from git into the cache; nothing touches the work tree or the index.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import semver from "semver";
import type { InterfaceChange, ReviewFinding, ReviewReport, ReviewSkill } from "../contracts/versioning.js";
import { applyPolicy, bumpFinding, countBlocking, skillStatus, sortFindings } from "../core/review/report.js";
import { bumpBetween } from "../core/versioning/bump.js";
import { SkillsError } from "../errors.js";
import { diffTrees } from "../git/diffTrees.js";
import { extractTree } from "../git/extract.js";
import { releasesOf } from "../git/releases.js";
import { commitOf, isShallow, mergeBase, type Repo } from "../git/repo.js";
import { skillFoldersAt, type SkillFolder } from "../git/skillFolders.js";
import { snapshotWorkTree } from "../git/snapshot.js";
import { compat } from "./compat.js";
import { touchedSkills } from "./review/changedSkills.js";
import {
  compatFindings,
  interfaceFindings,
  repoFileMapper,
  testFindings,
  validationFindings,
  versionLine,
} from "./review/findings.js";
import { removedSkillFindings } from "./review/removed.js";
import { openGitProject } from "./shared/gitProject.js";
import { compareSkillPoints } from "./shared/skillChanges.js";
import { interfacesAt } from "./shared/skillInterface.js";
import { runTests } from "./test.js";
import { validate } from "./validate.js";

export interface ReviewOptions {
  cwd: string;
  /** The branch the change goes into (`main`, `origin/main`). */
  base: string;
  /** A commit to review instead of the work tree. */
  head?: string;
  /** Findings that record a deliberate break (a referenced removal, compat at or above migration-needed) do not
   * block. */
  allowBreaking?: boolean;
  onStatus?: (message: string) => void;
}

export interface ReviewedSkill extends ReviewSkill {
  /** The folder at the head (at the merge base for a removed skill), repo-relative. */
  path: string;
  /** A renamed skill's name before. */
  previousName?: string;
  changes: InterfaceChange[];
  tests: { passed: number; failed: number } | null;
  compat: string | null;
}

export interface ReviewResult extends ReviewReport {
  skills: ReviewedSkill[];
  commits: { base: string; head: string | null; mergeBase: string };
  /** Skill folders at the head that the change did not touch (not reviewed). */
  unchanged: number;
}

export async function review(options: ReviewOptions): Promise<ReviewResult> {
  const status = options.onStatus ?? (() => undefined);
  const { repo, roots, config } = await openGitProject(options.cwd, "skills review");
  const base = await requireCommit(repo, options.base, "--base");
  const head = options.head ? await requireCommit(repo, options.head, "--head") : await commitOf(repo, "HEAD");
  if (!head) {
    throw new SkillsError("REF_NOT_FOUND", "the repository has no commits yet: there is nothing to compare with", {
      hint: "commit the project first (`git commit`), then review a branch against it",
    });
  }
  const merged = await mergeBase(repo, base, head);
  if (!merged) {
    throw (await isShallow(repo))
      ? shallow(`the merge base of ${options.base} and ${options.head ?? "HEAD"} is not in this shallow clone`)
      : new SkillsError("REF_NOT_FOUND", `${options.base} and ${options.head ?? "HEAD"} have no commit in common`, {
          hint: "review against the branch this one was made from",
        });
  }
  status("finding the changed skills");
  const [headTree, baseFolders] = await Promise.all([
    options.head ? head : snapshotWorkTree(repo, roots),
    skillFoldersAt(repo, merged, roots),
  ]);
  const [files, headFolders] = await Promise.all([
    diffTrees(repo, merged, headTree, roots),
    skillFoldersAt(repo, headTree, roots),
  ]);
  const touched = touchedSkills(files, baseFolders, headFolders);
  const reviewed = touched.filter((t) => t.head);
  // every interface the review compares (each skill at its head and at the merge base), read in batches
  const points = touched.flatMap((t) => [
    ...(t.head ? [{ treeish: headTree, path: t.head.path, name: t.head.name }] : []),
    ...(t.base ? [{ treeish: merged, path: t.base.path, name: t.base.name }] : []),
  ]);
  const read = await interfacesAt(repo, points);
  const interfaces = new Map(points.map((point, index) => [`${point.treeish}:${point.path}`, read[index]!]));
  const interfaceOf = (treeish: string, folder: SkillFolder) => interfaces.get(`${treeish}:${folder.path}`)!;

  // the head's folders on disk: the work tree's own, or unpacked from the commit (once per tree)
  const disk = new Map<SkillFolder, string>();
  for (const target of reviewed) {
    const folder = target.head!;
    disk.set(
      folder,
      options.head
        ? await extractTree(repo, folder.tree, join(config.cacheDir, "versions"), folder.name)
        : join(repo.root, folder.path),
    );
  }
  const dirs = reviewed.map((t) => disk.get(t.head!)!);
  const repoFile = repoFileMapper(
    options.cwd,
    repo.root,
    reviewed.map((t) => ({ disk: disk.get(t.head!)!, repo: t.head!.path })),
  );

  status(`validating ${dirs.length} skill${dirs.length === 1 ? "" : "s"}`);
  const validation = dirs.length > 0 ? await validate({ cwd: options.cwd, paths: dirs }) : undefined;
  const validByDir = new Map<string, { ok: boolean; findings: ReviewFinding[] }>();
  for (const skill of validation?.skills ?? []) {
    const dir = dirs.find((d) => repoFile(d) === repoFile(skill.dir));
    if (dir)
      validByDir.set(dir, { ok: skill.ok, findings: validationFindings(skill.errors, skill.warnings, repoFile) });
  }
  const valid = dirs.filter((dir) => validByDir.get(dir)?.ok);

  // the tests run in the sandbox while compat reads the locks: neither waits for the other
  status(`replaying the tests of ${valid.length} skill${valid.length === 1 ? "" : "s"} and checking their locks`);
  const baseDirs: Record<string, string> = {};
  for (const target of reviewed) {
    if (target.base) baseDirs[disk.get(target.head!)!] = join(repo.root, target.base.path);
  }
  const [tests, checked] =
    valid.length > 0
      ? await Promise.all([
          runTests({ cwd: options.cwd, paths: valid }),
          compat({ cwd: options.cwd, paths: valid, against: merged, baseDirs }),
        ])
      : [undefined, undefined];
  const testsByDir = new Map(
    (tests?.skills ?? []).flatMap((skill) => {
      const dir = valid.find((d) => repoFile(d) === repoFile(skill.dir));
      return dir ? [[dir, skill] as const] : [];
    }),
  );
  const compatByDir = new Map(
    (checked?.skills ?? []).flatMap((skill) => {
      const dir = valid.find((d) => repoFile(d) === repoFile(skill.dir));
      return dir ? [[dir, skill] as const] : [];
    }),
  );

  const skills: ReviewedSkill[] = [];
  for (const target of touched) {
    if (!target.head) {
      const old = target.base!;
      const oldInterface = interfaceOf(merged, old);
      const findings = await removedSkillFindings(repo, headTree, old.name, old.path, await releasesOf(repo, old.name));
      skills.push(
        finish(options, {
          name: old.name,
          change: "removed",
          from: oldInterface.value.version ?? null,
          to: null,
          requiredBump: "none",
          actualBump: "none",
          status: "ok",
          findings,
          path: old.path,
          changes: [],
          tests: null,
          compat: null,
        }),
      );
      continue;
    }
    const folder = target.head;
    const dir = disk.get(folder)!;
    const manifestText = await readFile(join(dir, "manifest.yaml"), "utf8").catch(() => undefined);
    const skillMdText = await readFile(join(dir, "SKILL.md"), "utf8").catch(() => undefined);
    const headInterface = interfaceOf(headTree, folder);
    const findings: ReviewFinding[] = [...(validByDir.get(dir)?.findings ?? [])];
    const testResult = testsByDir.get(dir);
    if (testResult) findings.push(...testFindings(testResult, repoFile));
    const compatResult = compatByDir.get(dir);
    if (compatResult) findings.push(...compatFindings(compatResult, repoFile));
    const to = headInterface.value.version ?? null;
    const skill: ReviewedSkill = {
      name: headInterface.value.name,
      change: target.change,
      from: null,
      to,
      requiredBump: "none",
      actualBump: "none",
      status: "ok",
      findings,
      path: folder.path,
      changes: [],
      tests: testResult ? { passed: testResult.passed, failed: testResult.failed } : null,
      compat: compatResult?.status ?? null,
    };
    if (target.base) {
      const before = {
        label: "merge base",
        treeish: merged,
        folder: target.base,
        iface: interfaceOf(merged, target.base),
      };
      const after = { label: "head", treeish: headTree, folder, iface: headInterface };
      const compared = compareSkillPoints(before, after);
      skill.from = compared.from ?? null;
      skill.changes = compared.changes;
      skill.requiredBump = compared.requiredBump;
      skill.actualBump = compared.actualBump;
      if (target.change === "renamed") {
        skill.previousName = target.base.name;
        findings.push({
          code: "SKILL_RENAMED",
          severity: "info",
          message: `renamed from ${target.base.name} (${target.base.path} -> ${folder.path})`,
          file: `${folder.path}/SKILL.md`,
          line: null,
        });
      }
      for (const problem of compared.problems) {
        findings.push({ code: "INTERFACE_UNREADABLE", severity: "warning", message: problem, file: null, line: null });
      }
      findings.push(...interfaceFindings(compared.changes, folder.path, manifestText, skillMdText));
      const wentDown = Boolean(
        skill.from && to && semver.valid(skill.from) && semver.valid(to) && semver.lt(to, skill.from),
      );
      const bump = bumpFinding(
        skill.from,
        to,
        compared.requiredBump,
        bumpBetween(skill.from ?? "", to ?? ""),
        `${folder.path}/manifest.yaml`,
        versionLine(manifestText),
        wentDown,
      );
      if (bump) findings.push(bump);
    }
    skills.push(finish(options, skill));
  }
  const unchanged = headFolders.length - reviewed.length;
  return {
    base: options.base,
    head: options.head ?? "worktree",
    skills,
    blocking: countBlocking(skills),
    commits: { base, head: options.head ? head : null, mergeBase: merged },
    unchanged,
  };
}

function finish(options: ReviewOptions, skill: ReviewedSkill): ReviewedSkill {
  const findings = sortFindings(applyPolicy(skill.findings, options.allowBreaking ?? false));
  return { ...skill, findings, status: skillStatus(findings) };
}

async function requireCommit(repo: Repo, ref: string, option: string): Promise<string> {
  const commit = await commitOf(repo, ref);
  if (commit) return commit;
  if (await isShallow(repo)) return Promise.reject(shallow(`${option} ${ref} is not in this shallow clone`));
  throw new SkillsError("REF_NOT_FOUND", `${option}: git knows no commit "${ref}"`, {
    hint: "name a branch, tag or commit (`git branch -a` lists the branches); fetch it first if it is only on the remote",
  });
}

function shallow(message: string): SkillsError {
  return new SkillsError("REF_NOT_FOUND", message, {
    hint: "review needs the history back to the merge base: check out with `fetch-depth: 0` (actions/checkout), or run `git fetch --unshallow`",
  });
}
