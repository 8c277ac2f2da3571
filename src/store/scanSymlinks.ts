/**
 * Finds symlinks inside a skill folder that point outside it (or nowhere): a skill must be self-contained. Every
 * folder is scanned (.git/ and node_modules/ too: staging refuses a link anywhere in the folder), with lstat-typed
 * entries only, never following a link. Past `maxEntries` the scan fails with SKILL_TOO_LARGE instead of stopping
 * quietly with the rest unchecked.
 */
import { type Dirent, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { SkillsError } from "../errors.js";

export interface EscapingLink {
  /** Path of the link relative to the skill folder. */
  path: string;
  target: string;
  reason: "outside" | "dangling";
}

/** The same limit staging applies (src/sandbox/skillStage.ts MAX_SKILL_ENTRIES). */
export const MAX_SCAN_ENTRIES = 100_000;

export interface ScanOptions {
  maxEntries?: number;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

export async function findEscapingSymlinks(dir: string, options: ScanOptions = {}): Promise<EscapingLink[]> {
  const max = options.maxEntries ?? MAX_SCAN_ENTRIES;
  // The real path of the folder is needed only once a symlink turns up (most skills have none).
  let realRoot: string | undefined;
  const root = dir;
  const found: EscapingLink[] = [];
  const queue: string[] = [""];
  let seen = 0;
  while (queue.length > 0) {
    const relDir = queue.shift()!;
    let entries: Dirent[];
    try {
      // Synchronous on purpose: one small folder per skill, and no thread-pool hop per readdir.
      entries = readdirSync(join(root, relDir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      seen++;
      if (seen > max) {
        throw new SkillsError("SKILL_TOO_LARGE", `the skill folder has more than ${max} entries (files, folders, links)`, {
          file: resolve(dir),
          hint: `a skill folder may hold at most ${max} entries, .git/ and node_modules/ included: move data out of it`,
        });
      }
      const relPath = relDir ? join(relDir, entry.name) : entry.name;
      if (entry.isDirectory()) {
        queue.push(relPath);
        continue;
      }
      if (!entry.isSymbolicLink()) continue;
      const linkPath = join(root, relPath);
      const target = safe(() => readlinkSync(linkPath), "");
      realRoot ??= safe(() => realpathSync(root), root);
      try {
        const real = realpathSync(linkPath);
        if (!isInside(realRoot, real)) found.push({ path: relPath, target, reason: "outside" });
      } catch {
        const lexical = resolve(dirname(linkPath), target);
        found.push({
          path: relPath,
          target,
          reason: isInside(root, lexical) || isInside(realRoot, lexical) ? "dangling" : "outside",
        });
      }
    }
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}
