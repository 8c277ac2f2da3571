/**
 * A temporary project for tests that run the CLI for real: the repo's .mcp.json (its MCP servers from npm, bundled
 * once per test run: test/helpers/testServers.ts; the filesystem one scoped to the project) and its node_modules,
 * readable by a normal user too.
 */
import { chmod, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "./cli.js";
import { projectServersConfig } from "./testServers.js";

export interface TempProject {
  dir: string;
  log: string;
  /**
   * For the CLI run in the project: the test run moves every run log and cache out of the way (test/globalSetup.ts);
   * a test of the project's own log and cache unsets that.
   */
  env: Record<string, string | undefined>;
  remove(): Promise<void>;
}

/** The environment without the test run's SKILLS_RUN_LOG and SKILLS_CACHE_DIR: the project's own paths apply. */
export const PROJECT_PATHS = { SKILLS_RUN_LOG: undefined, SKILLS_CACHE_DIR: undefined };

export async function tempProject(
  config: Record<string, unknown> = {},
  prefix = "skills-project-",
): Promise<TempProject> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  await projectServersConfig(dir);
  await symlink(join(REPO, "node_modules"), join(dir, "node_modules"));
  await writeFile(join(dir, "skills.config.json"), `${JSON.stringify(config, null, 2)}\n`);
  return {
    dir,
    log: join(dir, ".skills", "runs", "runs.jsonl"),
    env: PROJECT_PATHS,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
