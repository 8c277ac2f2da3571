/**
 * The host folders a run binds from outside the checkout: caches under the temp folder, owned by this user. A
 * checkout may sit in a private folder (root's /root, a 0700 home) that the run's own uid cannot pass through, so
 * everything the sandbox reads is copied out of it into these; their names say nothing about the checkout.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SkillsError } from "../errors.js";

const checked = new Map<string, string>();

export const hostUid = (): number => (typeof process.getuid === "function" ? process.getuid() : 0);

/**
 * `<tmp>/<prefix>-<uid>`, made if missing (mode 0711: the run's uid may enter what it is given, not list the rest),
 * and refused when it is a link or someone else's (another user could have planted it).
 */
export function ownedCacheDir(prefix: string): string {
  const known = checked.get(prefix);
  if (known && existsSync(known)) return known;
  const uid = hostUid();
  const root = join(tmpdir(), `${prefix}-${uid}`);
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
  }
  return dir;
}

/** One empty folder (in the runtime cache): where the imports of a program without a skill folder resolve. */
export function emptyFolder(): string {
  const root = ownedCacheDir("skills-runtime");
  return fillOnce(root, join(root, "empty"), () => undefined);
}
