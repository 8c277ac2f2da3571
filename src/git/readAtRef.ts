/**
 * Files as they are at a git ref (`skills compat --against <ref>`): `git show <ref>:<path>`, with no checkout and
 * no server started. A ref git does not know is a usage error.
 */
import { execFile } from "node:child_process";
import { relative } from "node:path";
import { promisify } from "node:util";
import { SkillsError } from "../errors.js";

const run = promisify(execFile);

export interface GitTree {
  /** The resolved commit. */
  commit: string;
  /** The text of `path` (absolute, inside the work tree) at the ref; undefined when it did not exist there. */
  read(path: string): Promise<string | undefined>;
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
  let commit: string;
  try {
    commit = (await git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])).trim();
  } catch {
    commit = "";
  }
  if (!commit) {
    throw new SkillsError("INVALID_ARGUMENT", `--against: git knows no commit "${ref}"`, {
      hint: "name a branch, tag or commit (`git log --oneline` lists them); fetch it first in a shallow CI checkout",
    });
  }
  return {
    commit,
    async read(path) {
      const inside = relative(root, path).split("\\").join("/");
      if (inside.startsWith("..")) return undefined;
      try {
        return await git(root, ["show", `${commit}:${inside}`]);
      } catch {
        return undefined;
      }
    },
  };
}
