/**
 * Puts files into a run's own folder without copying their bytes where it can: a hard link shares the inode (so
 * the same mode and owner: only files every uid may read are linked), anything else is copied and the copy made
 * readable. Never chmod through a link: a hard link's mode is the original's.
 */
import { type Stats, chmodSync, copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, utimesSync } from "node:fs";
import { join } from "node:path";

/** Places one regular file `src` (lstat `stat`) at `dest`, readable by the run's uid. */
export function placeFile(src: string, dest: string, stat: Stats): void {
  if ((stat.mode & 0o004) !== 0) {
    try {
      linkSync(src, dest);
      return;
    } catch {
      // another filesystem, or not allowed (protected_hardlinks): copy
    }
  }
  copyFileSync(src, dest);
  // dest is the fresh copy this function just made, never a link.
  chmodSync(dest, (stat.mode & 0o111) !== 0 ? 0o755 : 0o644);
  // Python's cached bytecode is checked against the source's mtime.
  utimesSync(dest, stat.atime, stat.mtime);
}

/** Links a trusted tree (a generated SDK) into `dest` (which exists): folders made 0755, files placed. */
export function linkTree(src: string, dest: string): void {
  for (const entry of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, entry.name);
    const to = join(dest, entry.name);
    if (entry.isDirectory()) {
      mkdirSync(to, { mode: 0o755 });
      chmodSync(to, 0o755);
      linkTree(from, to);
    } else if (entry.isFile()) {
      placeFile(from, to, lstatSync(from));
    }
  }
}
