/**
 * The skill folder reaches the sandbox read-only at /skill as a staged copy in the run's own folder: readable files
 * are hard-linked (no bytes copied), private ones copied and the copy made readable. Staging walks the whole folder
 * with lstat and never follows a link: a link that leaves the folder (or leads nowhere) is refused with an error
 * naming it, wherever it is (.git/ and node_modules/ included), so nothing outside the folder is ever read, copied
 * or chmod-ed. Folders only the host needs (tests, recordings, dependencies, git data, bytecode with host paths) are
 * scanned but not staged.
 */
import {
  type Dirent,
  type Stats,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
} from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { SkillsError } from "../errors.js";
import { FileChanged, placeFile } from "./linkTree.js";

/** Top-level folders a program never reads: its tests and recordings (real values, perhaps), its dependencies. */
const HOST_ONLY_TOP = new Set(["tests", "cassettes", "node_modules", ".git"]);
/** Folders never staged wherever they are: dependencies, git data, and bytecode that names host paths. */
const HOST_ONLY_ANYWHERE = new Set(["node_modules", ".git", "__pycache__"]);

/** Entries (files, folders, links) a skill folder may hold; over it staging stops with an error naming the limit. */
export const MAX_SKILL_ENTRIES = 100_000;

export interface StageOptions {
  maxEntries?: number;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function tooLarge(dir: string, max: number): SkillsError {
  return new SkillsError("SKILL_TOO_LARGE", `the skill folder ${dir} has more than ${max} entries (files, folders, links)`, {
    file: dir,
    hint: `a skill folder may hold at most ${max} entries, .git/ and node_modules/ included: move data out of it`,
  });
}

/** A link that leaves the folder or leads nowhere, as a SkillsError naming it (`rel` is relative to the folder). */
export function linkEscapes(dir: string, rel: string, target: string, dangling: boolean): SkillsError {
  return new SkillsError(
    "SKILL_LINK_ESCAPES",
    dangling
      ? `${rel} is a link to ${target}, which does not exist; links in a skill folder must stay inside it`
      : `${rel} is a link to ${target}, outside the skill folder`,
    {
      file: join(dir, rel),
      hint: "copy the file into the skill folder instead of linking to it (or remove the link)",
    },
  );
}

interface Planned {
  kind: "dir" | "file" | "link";
  rel: string;
  /** For links: where the link points, relative to the folder's real path. */
  target?: string;
  /** For files: what lstat said during the walk (the file staged must be this one). */
  stat?: Stats;
}

/**
 * Walks `root` (a real path) breadth-first with lstat-typed entries; refuses escaping links; returns what to stage.
 * Throws SKILL_TOO_LARGE past `max` entries and SKILL_LINK_ESCAPES on the first link that leaves the folder.
 */
function plan(shown: string, root: string, max: number): Planned[] {
  const out: Planned[] = [];
  const queue: { rel: string; staged: boolean }[] = [{ rel: "", staged: true }];
  let seen = 0;
  while (queue.length > 0) {
    const { rel: relDir, staged } = queue.shift()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, relDir), { withFileTypes: true });
    } catch (error) {
      throw new SkillsError("SKILL_UNREADABLE", `cannot read ${join(shown, relDir)}: ${(error as Error).message}`, {
        file: join(shown, relDir),
      });
    }
    for (const entry of entries) {
      seen += 1;
      if (seen > max) throw tooLarge(shown, max);
      const rel = relDir ? join(relDir, entry.name) : entry.name;
      const hostOnly = (relDir === "" && HOST_ONLY_TOP.has(entry.name)) || HOST_ONLY_ANYWHERE.has(entry.name);
      const stage = staged && !hostOnly;
      if (entry.isSymbolicLink()) {
        const path = join(root, rel);
        const target = readlinkSync(path);
        let real: string;
        try {
          real = realpathSync(path);
        } catch {
          throw linkEscapes(shown, rel, target, true);
        }
        if (!isInside(root, real)) throw linkEscapes(shown, rel, target, false);
        if (stage) out.push({ kind: "link", rel, target: relative(root, real) });
      } else if (entry.isDirectory()) {
        if (stage) out.push({ kind: "dir", rel });
        queue.push({ rel, staged: stage });
      } else if (entry.isFile()) {
        if (stage) out.push({ kind: "file", rel, stat: lstatSync(join(root, rel)) });
      } else if (stage) {
        throw new SkillsError("SKILL_UNREADABLE", `${rel} in ${shown} is not a regular file, folder or link`, {
          file: join(shown, rel),
          hint: "remove it from the skill folder (pipes, sockets and devices cannot be staged)",
        });
      }
    }
  }
  return out;
}

/**
 * Stages the skill folder `src` into `dest` (an empty folder of the run). Links inside the folder are recreated as
 * relative links to their staged target (so /skill/a -> /skill/b inside the sandbox); files are placed with
 * placeFile. Throws SkillsError (SKILL_LINK_ESCAPES, SKILL_TOO_LARGE, SKILL_UNREADABLE) before writing anything.
 */
export function stageSkill(src: string, dest: string, options: StageOptions = {}): void {
  const shown = resolve(src);
  const root = realpathSync(shown);
  const items = plan(shown, root, options.maxEntries ?? MAX_SKILL_ENTRIES);
  for (const item of items) {
    const to = join(dest, item.rel);
    if (item.kind === "dir") mkdirSync(to, { mode: 0o755 });
    else if (item.kind === "file") {
      try {
        placeFile(join(root, item.rel), to, item.stat!);
      } catch (error) {
        if (!(error instanceof FileChanged)) throw error;
        throw new SkillsError("SKILL_UNREADABLE", `${item.rel} in ${shown} changed while the run was staging it`, {
          file: join(shown, item.rel),
          hint: "run again once nothing is changing the skill folder",
        });
      }
    } else {
      symlinkSync(relative(dirname(to), join(dest, item.target!)) || ".", to);
    }
  }
}

/**
 * The entry file's path, checked: its real path must be a regular file inside the skill folder (an entry reached
 * through a linked folder would let the host read, and print in a traceback, a file outside it).
 */
export function entryInside(skillDir: string, entry: string): string {
  const root = realpathSync(resolve(skillDir));
  const path = resolve(skillDir, entry);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new SkillsError("NOT_FOUND", `the entry file ${path} does not exist`, {
      file: path,
      hint: "check manifest.yaml's entry",
    });
  }
  if (!isInside(root, real)) {
    throw new SkillsError("ENTRY_OUTSIDE", `the entry file ${entry} is really ${real}, outside the skill folder`, {
      file: path,
      hint: "the entry must be a file inside the skill folder, not reached through a link",
    });
  }
  if (!lstatSync(real).isFile()) {
    throw new SkillsError("NOT_FOUND", `the entry file ${path} is not a regular file`, {
      file: path,
      hint: "check manifest.yaml's entry",
    });
  }
  return real;
}
