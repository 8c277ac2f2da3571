/**
 * The work tree as a git tree, without touching the index or the work tree: a copy of the index (so unchanged files
 * are not read again) in a temp folder, `git add` into that copy, `git write-tree`. Untracked files count where
 * skills live (the roots); elsewhere only tracked files, as they are on disk. Like `git stash create`, it writes
 * objects for changed files into the object store and nothing else.
 */
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Repo } from "./repo.js";

/** `roots`: repo-relative folders whose untracked files belong to the snapshot (those that exist). */
export async function snapshotWorkTree(repo: Repo, roots: string[]): Promise<string> {
  const temp = await mkdtemp(join(tmpdir(), "skills-index-"));
  try {
    const index = join(temp, "index");
    const real = resolve(repo.root, (await repo.run(["rev-parse", "--git-path", "index"])).trim());
    await copyFile(real, index).catch(() => undefined); // a repository without commits may have no index yet
    const env = { GIT_INDEX_FILE: index };
    if (await repo.tryRun(["rev-parse", "--verify", "--quiet", "HEAD"])) await repo.run(["add", "-u", "--", "."], env);
    if (roots.length > 0) await repo.run(["add", "-A", "--", ...roots], env);
    return (await repo.run(["write-tree"], env)).trim();
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
