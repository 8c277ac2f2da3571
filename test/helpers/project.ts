/**
 * A temporary project for tests that run the CLI for real: the repo's .mcp.json (real MCP servers from npm, the
 * filesystem one scoped to the project) and its node_modules, readable by a normal user too.
 */
import { chmod, copyFile, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "./cli.js";

export interface TempProject {
  dir: string;
  log: string;
  remove(): Promise<void>;
}

export async function tempProject(
  config: Record<string, unknown> = {},
  prefix = "skills-project-",
): Promise<TempProject> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  await copyFile(join(REPO, ".mcp.json"), join(dir, ".mcp.json"));
  await symlink(join(REPO, "node_modules"), join(dir, "node_modules"));
  await writeFile(join(dir, "skills.config.json"), `${JSON.stringify(config, null, 2)}\n`);
  return {
    dir,
    log: join(dir, ".skills", "runs", "runs.jsonl"),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
