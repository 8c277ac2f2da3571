/**
 * Files as they are at a git ref (`skills compat --against <ref>`): `<commit>:<path>` from git's object store (one
 * `git cat-file --batch` for all of them), with no checkout and no server started. A ref git does not know is a usage
 * error.
 */
import { execFile } from "node:child_process";
import { isAbsolute, relative } from "node:path";
import { promisify } from "node:util";
import { SkillsError } from "../errors.js";
import { commitOf, readManyAt, repoAt, type TextAt } from "./repo.js";

const run = promisify(execFile);

export interface GitTree {
  /** The resolved commit. */
  commit: string;
  /**
   * Each path (absolute, inside the work tree) at the ref, read by one git process: its text, undefined when it did not
   * exist there (or is not a file), its size when over `maxBytes` (not read).
   */
  readMany(paths: string[], maxBytes: number): Promise<TextAt[]>;
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" });
  return stdout;
}

export async function openGitRef(cwd: string, ref: string): Promise<GitTree> {
  if (ref.startsWith("-")) {
    throw new SkillsError("INVALID_ARGUMENT", `--against: "${ref}" is not a git ref`, {
      hint: "name a branch, tag or commit, e.g. --against main",
    });
  }
  let root: string;
  try {
    root = (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    throw new SkillsError("INVALID_ARGUMENT", `--against ${ref}: ${cwd} is not inside a git repository`, {
      hint: "run it in the repository of the skills, or use --against live",
    });
  }
  const repo = repoAt(root);
  const commit = await commitOf(repo, ref);
  if (!commit) {
    throw new SkillsError("INVALID_ARGUMENT", `--against: git knows no commit "${ref}"`, {
      hint: "name a branch, tag or commit (`git log --oneline` lists them); fetch it first in a shallow CI checkout",
    });
  }
  return {
    commit,
    async readMany(paths, maxBytes) {
      const inside = paths.map((path) => relative(root, path).split("\\").join("/"));
      const outside = (path: string) => path.startsWith("..") || isAbsolute(path);
      const texts = await readManyAt(
        repo,
        inside.filter((path) => !outside(path)).map((path) => [commit, path] as const),
        maxBytes,
      );
      let next = 0;
      return inside.map((path) => (outside(path) ? undefined : texts[next++]));
    },
  };
}
