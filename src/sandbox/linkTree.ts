/**
 * Puts files into a run's own folder without copying their bytes where it can: a hard link shares the inode (so
 * the same mode and owner: only files every uid may read are linked), anything else is copied and the copy made
 * readable. Never chmod through a link: a hard link's mode is the original's.
 */
import {
  type Stats,
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  readlinkSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

/** The file changed between the walk and the copy (swapped for a link, say): nothing of it is staged. */
export class FileChanged extends Error {}

/** The same file: device, inode, and (an inode number freed and reused meanwhile is another file) birth time. */
const same = (a: Stats, b: Stats): boolean =>
  a.dev === b.dev && a.ino === b.ino && a.birthtimeMs === b.birthtimeMs && a.isFile() && b.isFile();

/**
 * Places one regular file `src` at `dest`, readable by the run's uid. `planned` is what lstat said of it when the
 * folder was walked: the file staged must be that very file (same device and inode), so a file swapped for a link
 * (or reached through a folder swapped for one) in between is never linked or read.
 */
export function placeFile(src: string, dest: string, planned: Stats): void {
  if ((planned.mode & 0o004) !== 0) {
    try {
      linkSync(src, dest);
    } catch {
      copyOpen(src, dest, planned);
      return;
    }
    // link() does not follow a final link but does follow folders: check what was linked.
    if (!same(lstatSync(dest), planned)) {
      unlinkSync(dest);
      throw new FileChanged(`${src} changed while it was being staged`);
    }
    return;
  }
  copyOpen(src, dest, planned);
}

/** Copies through one descriptor opened without following a final link, checked to be the planned file. */
function copyOpen(src: string, dest: string, planned: Stats): void {
  let input: number;
  try {
    input = openSync(src, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    // ELOOP: the file is a link now.
    if ((error as NodeJS.ErrnoException).code === "ELOOP") throw new FileChanged(`${src} changed while it was being staged`);
    throw error;
  }
  try {
    const stat = fstatSync(input);
    if (!stat.isFile() || !same(stat, planned)) throw new FileChanged(`${src} changed while it was being staged`);
    // dest is a fresh file made here (wx: never an existing one, never through a link); its mode is set exactly.
    const output = openSync(dest, "wx", 0o600);
    try {
      const buffer = Buffer.alloc(1 << 16);
      for (let n = readSync(input, buffer); n > 0; n = readSync(input, buffer)) writeSync(output, buffer, 0, n);
    } finally {
      closeSync(output);
    }
    chmodSync(dest, (stat.mode & 0o111) !== 0 ? 0o755 : 0o644);
    // Python's cached bytecode is checked against the source's mtime.
    utimesSync(dest, stat.atime, stat.mtime);
  } finally {
    closeSync(input);
  }
}

/** Where an open descriptor's file really is (its path as the kernel resolved it when it was opened). */
export function openedPath(fd: number): string {
  return readlinkSync(`/proc/self/fd/${fd}`);
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
