/**
 * Committing a few paths of the user's repository (save_skill's `commit`): only those paths go into the commit, what
 * else the user has staged stays staged and uncommitted. The user's identity and hooks apply as for any commit.
 */
import { simpleGit } from "simple-git";

export type CommitOutcome = { ok: true; sha: string } | { ok: false; reason: string };

export async function commitPaths(options: { cwd: string; paths: string[]; message: string }): Promise<CommitOutcome> {
  const git = simpleGit({ baseDir: options.cwd });
  try {
    if (!(await git.checkIsRepo())) return { ok: false, reason: `${options.cwd} is not in a git repository` };
    // -A: a file the new version no longer has (an entry in another language) is committed as removed.
    await git.raw(["add", "-A", "--", ...options.paths]);
    await git.raw(["commit", "--quiet", "-m", options.message, "--", ...options.paths]);
    const sha = (await git.revparse(["HEAD"])).trim();
    return { ok: true, sha };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: message.trim().split("\n").slice(0, 3).join(" / ") };
  }
}
