/**
 * The folder the CLI keeps V8's code cache of its programs in (src/cli/program.ts), and whether it may. A cache is
 * code, so it is read only where nobody but this user (and root) can have written it: by default a folder of the
 * temp folder (`skills-code-cache-<uid>`, mode 0700), used only when it is a real folder of this user that nobody
 * else can write, and every folder above it is root's or this user's and writable by nobody else (or sticky, as /tmp
 * is), so that no one can swap it meanwhile. `skills doctor` reports the same check, with the reason a folder is
 * refused: a refused folder costs every command its cache, and says nothing at the time.
 */
import { lstatSync, mkdirSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

/**
 * The verdict on a cache folder: its real path, or why it is not used; `removable` when the trouble is the folder
 * itself and it is this user's (removing it lets the next command make it again, private).
 */
export type FolderCheck = { ok: true; real: string } | { ok: false; reason: string; removable: boolean };

/** The code cache as a start finds it: not wanted, in use, or refused (and why). */
export type CodeCacheFolder =
  | { state: "off" }
  | { state: "usable"; path: string }
  | { state: "refused"; path: string; reason: string; removable: boolean };

export const uid = (): number => (typeof process.getuid === "function" ? process.getuid() : 0);

/** The user's cache folder of the temp folder, made (0700) when missing; null when SKILLS_CODE_CACHE is "off". */
export function defaultCodeCacheDir(): string | null {
  if (process.env.SKILLS_CODE_CACHE?.trim() === "off") return null;
  const dir = join(tmpdir(), `skills-code-cache-${uid()}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch {
    // there already (checked next), or the temp folder cannot take it: no cache
  }
  return dir;
}

const MISSING = "it does not exist";

/** The default folder, checked: what the next start of a command does with its code cache. */
export function codeCacheFolder(): CodeCacheFolder {
  const dir = defaultCodeCacheDir();
  if (dir === null) return { state: "off" };
  const check = checkCodeCacheFolder(dir);
  if (check.ok) return { state: "usable", path: check.real };
  // defaultCodeCacheDir tried to make it
  const reason = check.reason === MISSING ? `${MISSING}, and ${dirname(dir)} cannot take it` : check.reason;
  return { state: "refused", path: dir, reason, removable: check.removable };
}

/**
 * Whether nobody but this user and root can change what is in `dir`: a real folder of this user that nobody else
 * can write, reached through folders and links of root's or this user's, the folders writable by nobody else unless
 * they are sticky (like /tmp, where nobody can rename another's entries).
 */
export function checkCodeCacheFolder(dir: string): FolderCheck {
  const me = uid();
  const refused = (reason: string, removable = false): FolderCheck => ({ ok: false, reason, removable });
  try {
    const given = resolve(dir);
    const link = lstatSync(given, { throwIfNoEntry: false });
    if (link === undefined) return refused(MISSING);
    if (link.isSymbolicLink()) return refused("it is a symbolic link", link.uid === me);
    const real = realpathSync(given);
    const own = lstatSync(real);
    if (!own.isDirectory()) return refused("it is not a folder", own.uid === me);
    if (own.uid !== me) return refused(`it belongs to uid ${own.uid}, not to this user (uid ${me})`);
    if ((own.mode & 0o022) !== 0) return refused(`${writers(own.mode)} can write it (mode ${octal(own.mode)})`, true);
    const above = untrustedAbove(given) ?? untrustedAbove(real);
    return above === undefined ? { ok: true, real } : refused(above);
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    return refused(`it cannot be checked: ${code ?? String(error)}${path ? ` on ${path}` : ""}`);
  }
}

/** Why a folder or link above `path` lets somebody else swap it: not root's or this user's, or writable by others. */
function untrustedAbove(path: string): string | undefined {
  const me = uid();
  for (let parent = dirname(path); ; parent = dirname(parent)) {
    const stat = lstatSync(parent);
    if (stat.uid !== 0 && stat.uid !== me) return `${parent} above it belongs to uid ${stat.uid}`;
    if (!stat.isSymbolicLink() && (stat.mode & 0o022) !== 0 && (stat.mode & 0o1000) === 0) {
      return `${writers(stat.mode)} can write ${parent} above it, which is not sticky (mode ${octal(stat.mode)})`;
    }
    if (dirname(parent) === parent) return undefined;
  }
}

function writers(mode: number): string {
  const group = (mode & 0o020) !== 0;
  const others = (mode & 0o002) !== 0;
  return group && others ? "its group and others" : group ? "its group" : "others";
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, "0")}`;
}
