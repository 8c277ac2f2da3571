/** `git init` for a new project, unless it already sits inside a repository. */
import { openRepo } from "./repo.js";
import { SkillsError, isSkillsError } from "../errors.js";

export interface InitRepositoryResult {
  /** True when this call made the repository. */
  initialized: boolean;
  /** The repository's top folder. */
  root: string;
  /** The current branch (null when git could not say). */
  branch: string | null;
}

export async function initRepository(dir: string): Promise<InitRepositoryResult> {
  let initialized = false;
  let repo = await openRepo(dir, "skills init").catch((error: unknown) => {
    if (isSkillsError(error) && error.code === "NOT_A_REPOSITORY" && !/not installed/.test(error.message)) {
      return undefined;
    }
    throw error;
  });
  if (!repo) {
    const { simpleGit } = await import("simple-git");
    const git = simpleGit({ baseDir: dir });
    // the branch the user's git is set to start with; else main (the name the docs and the workflow use)
    const configured = (await git.raw(["config", "--get", "init.defaultBranch"]).catch(() => "")).trim();
    try {
      await git.init(configured ? [] : ["--initial-branch=main"]);
    } catch (error) {
      throw new SkillsError("GIT_FAILED", `git init failed in ${dir}: ${(error as Error).message}`, {
        hint: "run `git init` yourself; the project files are written",
      });
    }
    initialized = true;
    repo = await openRepo(dir, "skills init");
  }
  const branch = (await repo.tryRun(["symbolic-ref", "--short", "HEAD"]))?.trim() || null;
  return { initialized, root: repo.root, branch };
}
