/**
 * The skill folder reaches the sandbox read-only at /skill: bound in place when the run's uid can read it, else
 * (and for pooled workers, whose mounts are fixed before the run is known) copied into the worker's own folder
 * with read permissions for everyone.
 */
import { chmodSync, cpSync, existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Folders a skill needs only on the host: the program never reads its own tests or recordings. */
const HOST_ONLY = new Set(["node_modules", "tests", "cassettes", ".git"]);

/** The host-only folders a skill folder has: hidden (an empty tmpfs over each) when the folder is mounted as is. */
export function hostOnlyDirs(skillDir: string): string[] {
  return [...HOST_ONLY].filter((name) => existsSync(join(skillDir, name)));
}

/** True when "others" may pass through every ancestor of `dir` (a 0700 home or mkdtemp folder blocks the bind). */
function ancestorsPassable(dir: string): boolean {
  for (let current = dirname(resolve(dir)); ; current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (dirname(current) === current) return true;
  }
}

/**
 * True when the run's uid can reach the folder and read every file in it, so a bind mount works; else the skill
 * is copied.
 */
export function worldReadable(dir: string): boolean {
  if (!ancestorsPassable(dir)) return false;
  const stack = [dir];
  let seen = 0;
  while (stack.length > 0) {
    const current = stack.pop()!;
    const stat = statSync(current);
    if (stat.isDirectory()) {
      if ((stat.mode & 0o005) !== 0o005) return false;
      for (const name of readdirSync(current)) stack.push(join(current, name));
    } else if ((stat.mode & 0o004) === 0) {
      return false;
    }
    seen += 1;
    if (seen > 2000) return false;
  }
  return true;
}

/** Copies a skill folder into `dest` (which exists) and makes everything readable by the run's uid. */
export function stageSkill(src: string, dest: string): void {
  const top = resolve(src);
  cpSync(top, dest, {
    recursive: true,
    dereference: false,
    filter: (path) =>
      !(dirname(path) === top && HOST_ONLY.has(path.slice(top.length + 1))) && !path.includes("/node_modules"),
  });
  const stack = [dest];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const stat = statSync(current);
    if (stat.isDirectory()) {
      chmodSync(current, 0o755);
      for (const name of readdirSync(current)) stack.push(join(current, name));
    } else {
      chmodSync(current, (stat.mode & 0o111) !== 0 ? 0o755 : 0o644);
    }
  }
}
