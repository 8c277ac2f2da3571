/**
 * Which skills a change touches, from the files that differ between the merge base and the head: each skill folder
 * that holds a changed file at either side, classified as added, changed (also when moved), removed or renamed. A
 * rename is a folder that went away and one that appeared with another name, where git pairs most of the old
 * folder's files with the new one's (or the files are identical).
 */
import type { ReviewChangeKind } from "../../contracts/versioning.js";
import type { FileChange } from "../../git/diffTrees.js";
import type { SkillFolder } from "../../git/skillFolders.js";

export interface TouchedSkill {
  change: ReviewChangeKind;
  /** The folder at the merge base (not for an added skill). */
  base?: SkillFolder;
  /** The folder at the head (not for a removed skill). */
  head?: SkillFolder;
}

/** The folder (among `folders`, by path) that holds `file`, if any. */
function ownerOf(file: string, folders: Map<string, SkillFolder>): SkillFolder | undefined {
  let at = file.lastIndexOf("/");
  while (at > 0) {
    const folder = folders.get(file.slice(0, at));
    if (folder) return folder;
    at = file.lastIndexOf("/", at - 1);
  }
  return undefined;
}

export function touchedSkills(
  changes: FileChange[],
  baseFolders: SkillFolder[],
  headFolders: SkillFolder[],
): TouchedSkill[] {
  const base = new Map(baseFolders.map((f) => [f.path, f]));
  const head = new Map(headFolders.map((f) => [f.path, f]));
  const touchedBase = new Set<SkillFolder>();
  const touchedHead = new Set<SkillFolder>();
  /** old folder path -> new folder path -> files git paired as renamed */
  const renamedFiles = new Map<string, Map<string, number>>();
  for (const change of changes) {
    const before = change.status === "R" ? change.from! : change.path;
    const atBase = change.status === "A" ? undefined : ownerOf(before, base);
    const atHead = change.status === "D" ? undefined : ownerOf(change.path, head);
    if (atBase) touchedBase.add(atBase);
    if (atHead) touchedHead.add(atHead);
    if (change.status === "R" && atBase && atHead && atBase.path !== atHead.path) {
      const targets = renamedFiles.get(atBase.path) ?? new Map<string, number>();
      targets.set(atHead.path, (targets.get(atHead.path) ?? 0) + 1);
      renamedFiles.set(atBase.path, targets);
    }
  }
  const out: TouchedSkill[] = [];
  const paired = new Set<SkillFolder>();
  for (const folder of touchedHead) {
    const old = base.get(folder.path);
    if (old) {
      out.push({ change: "changed", base: old, head: folder });
      paired.add(old).add(folder);
    }
  }
  for (const folder of touchedBase) {
    const now = head.get(folder.path);
    if (now && !paired.has(folder)) {
      out.push({ change: "changed", base: folder, head: now });
      paired.add(folder).add(now);
    }
  }
  const removed = [...touchedBase].filter((f) => !paired.has(f));
  const added = [...touchedHead].filter((f) => !paired.has(f));
  // a folder moved under the same name is the same skill
  for (const old of removed) {
    const moved = added.find((f) => !paired.has(f) && f.name === old.name);
    if (moved) {
      out.push({ change: "changed", base: old, head: moved });
      paired.add(old).add(moved);
    }
  }
  for (const old of removed) {
    if (paired.has(old)) continue;
    const candidates = added.filter((f) => !paired.has(f));
    const best = candidates
      .map((f) => ({ folder: f, score: renameScore(old, f, renamedFiles.get(old.path)?.get(f.path) ?? 0) }))
      .sort((a, b) => b.score - a.score)[0];
    if (best && best.score >= 0.5) {
      out.push({ change: "renamed", base: old, head: best.folder });
      paired.add(old).add(best.folder);
    }
  }
  for (const old of removed) if (!paired.has(old)) out.push({ change: "removed", base: old });
  for (const now of added) if (!paired.has(now)) out.push({ change: "added", head: now });
  return out.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
}

/** The share of the old folder's files that went to the new one: paired by git, or identical there. */
function renameScore(old: SkillFolder, now: SkillFolder, pairedByGit: number): number {
  if (old.files.size === 0) return 0;
  const contents = new Set(now.files.values());
  let same = 0;
  for (const [file, id] of old.files) if (now.files.get(file) === id || contents.has(id)) same++;
  return Math.max(same, pairedByGit) / old.files.size;
}

function nameOf(skill: TouchedSkill): string {
  return (skill.head ?? skill.base)!.name;
}
