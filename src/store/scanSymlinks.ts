/** Finds symlinks inside a skill folder that point outside it (or nowhere): a skill must be self-contained. */
import { type Dirent, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

export interface EscapingLink {
  /** Path of the link relative to the skill folder. */
  path: string;
  target: string;
  reason: "outside" | "dangling";
}

const SKIP = new Set(["node_modules", ".git"]);
const MAX_ENTRIES = 5000;

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

export async function findEscapingSymlinks(dir: string): Promise<EscapingLink[]> {
  // The real path of the folder is needed only once a symlink turns up (most skills have none).
  let realRoot: string | undefined;
  const root = dir;
  const found: EscapingLink[] = [];
  const queue: string[] = [""];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_ENTRIES) {
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
      const relPath = relDir ? join(relDir, entry.name) : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name)) queue.push(relPath);
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
