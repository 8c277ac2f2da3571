/**
 * The only writes to a repository the toolkit makes (`skills release`): a commit of given paths (nothing else that is
 * staged goes with it), an annotated tag, and undoing that commit when the tag cannot be made.
 */
import type { Repo } from "./repo.js";

/** Who commits and tags, as git would record it; undefined when git does not know (no user.name / user.email). */
export async function committer(repo: Repo): Promise<string | undefined> {
  const ident = await repo.tryRun(["var", "GIT_COMMITTER_IDENT"]);
  return ident?.trim().replace(/\s+\d+\s+[+-]\d{4}$/, "") || undefined;
}

/** Commits the work tree's content of `paths` only (`git commit --only`); returns the new commit. */
export async function commitPaths(repo: Repo, paths: string[], message: string): Promise<string> {
  await repo.run(["commit", "--quiet", "--only", "-m", message, "--", ...paths]);
  return (await repo.run(["rev-parse", "HEAD"])).trim();
}

/** An annotated tag on `commit`; refuses (git's error) when the tag exists. */
export async function createTag(repo: Repo, tag: string, commit: string, message: string): Promise<void> {
  await repo.run(["tag", "--annotate", "--cleanup=verbatim", "-m", message, "--end-of-options", tag, commit]);
}

/** Moves the branch back to `previous` and puts `paths` back in the index as they were there (the work tree is the
 * caller's to restore). */
export async function undoCommit(repo: Repo, previous: string, paths: string[]): Promise<void> {
  await repo.run(["reset", "--quiet", "--soft", previous]);
  await repo.run(["reset", "--quiet", previous, "--", ...paths]);
}
