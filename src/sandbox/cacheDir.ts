/**
 * The host folders a run binds from outside the checkout: caches under the temp folder, owned by this user. A
 * checkout may sit in a private folder (root's /root, a 0700 home) that the run's own uid cannot pass through, so
 * everything the sandbox reads is copied out of it into these; their names say nothing about the checkout.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { SkillsError } from "../errors.js";
import { removeAtTeardown } from "./teardown.js";

const checked = new Map<string, string>();

export const hostUid = (): number => (typeof process.getuid === "function" ? process.getuid() : 0);

/** True when a uid that is neither owner nor in the group can pass through `dir` and each of its parents. */
export function passableByOthers(dir: string): boolean {
  for (let current = resolve(dir); ; current = dirname(current)) {
    try {
      if ((statSync(current).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (dirname(current) === current) return true;
  }
}

let base: string | undefined;

/**
 * Where run folders and caches go: the temp folder. A root host runs programs as other uids, which must pass through
 * it: a private TMPDIR (0700) falls back to /tmp.
 */
export function stagingBase(): string {
  if (base) return base;
  const preferred = tmpdir();
  if (hostUid() !== 0 || passableByOthers(preferred)) base = preferred;
  else if (passableByOthers("/tmp")) base = "/tmp";
  else {
    throw new SkillsError("SANDBOX_FAILED", `the temp folder ${preferred} cannot be reached by the runs' own uids`, {
      file: preferred,
      hint: "point TMPDIR at a folder every user may pass through (mode 0711 or wider on it and its parents), e.g. /tmp",
    });
  }
  return base;
}

/**
 * `<tmp>/<prefix>-<uid>`, made if missing (mode 0711: the run's uid may enter what it is given, not list the rest),
 * and refused when it is a link or someone else's (another user could have planted it).
 */
export function ownedCacheDir(prefix: string): string {
  const known = checked.get(prefix);
  if (known && existsSync(known)) return known;
  const uid = hostUid();
  const root = join(stagingBase(), `${prefix}-${uid}`);
  if (!existsSync(root)) mkdirSync(root, { recursive: true, mode: 0o711 });
  const stat = lstatSync(root);
  if (!stat.isDirectory() || stat.isSymbolicLink() || stat.uid !== uid) {
    throw new SkillsError("SANDBOX_FAILED", `${root} is not a folder owned by this user`, {
      file: root,
      hint: `remove ${root} (another user or program made it) and run again`,
    });
  }
  chmodSync(root, 0o711);
  checked.set(prefix, root);
  return root;
}

/**
 * Fills `dir` (inside `root`) once: `fill` writes into a temp folder that is renamed into place, so a reader never
 * sees half a tree. Returns `dir`. A concurrent writer that wins the rename is fine: its tree is the same.
 */
export function fillOnce(root: string, dir: string, fill: (temp: string) => void): string {
  if (existsSync(dir)) return dir;
  const temp = mkdtempSync(join(root, ".tmp-"));
  const forget = removeAtTeardown(temp);
  try {
    fill(temp);
    chmodSync(temp, 0o755);
    try {
      renameSync(temp, dir);
    } catch (error) {
      if (!existsSync(dir)) throw error;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
    forget();
  }
  return dir;
}

/** One empty folder (in the runtime cache): where the imports of a program without a skill folder resolve. */
export function emptyFolder(): string {
  const root = ownedCacheDir("skills-runtime");
  return fillOnce(root, join(root, "empty"), () => undefined);
}
