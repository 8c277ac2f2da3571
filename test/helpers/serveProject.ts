/**
 * A throw-away project for `skills serve` tests: a .mcp.json with the real npm servers (and fixture servers),
 * skills.config.json, a skills/ folder, optionally a git repository. Writes never touch the repository's own skills.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixtureServer, npmServer, WORKSPACE } from "./testServers.js";

export const SERVERS = {
  everything: { command: npmServer("everything"), args: ["stdio"] },
  memory: {
    command: npmServer("memory"),
    env: { MEMORY_FILE_PATH: `${WORKSPACE}/.skills/memory.jsonl` },
  },
  filesystem: { command: npmServer("filesystem"), args: [WORKSPACE] },
  crashy: { command: process.execPath, args: [fixtureServer("crashy.mjs")] },
  many: { command: process.execPath, args: [fixtureServer("manyTools.mjs")] },
  broken: { command: "/nonexistent/mcp-server", args: [] },
} as const;

export async function makeServeProject(
  servers: (keyof typeof SERVERS)[],
  options: { git?: boolean } = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "skills-serve-"));
  const mcpServers = Object.fromEntries(servers.map((name) => [name, SERVERS[name]]));
  await writeFile(join(dir, ".mcp.json"), `${JSON.stringify({ mcpServers }, null, 2)}\n`);
  await writeFile(join(dir, "skills.config.json"), `${JSON.stringify({ roots: ["skills"] }, null, 2)}\n`);
  await mkdir(join(dir, "skills"));
  await writeFile(join(dir, "notes.txt"), "first line\nsecond line\nthird line\n");
  await writeFile(join(dir, ".gitignore"), ".skills/\n");
  if (options.git) {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
    git("init", "-q", "-b", "main");
    git("config", "user.name", "serve test");
    git("config", "user.email", "serve@test.invalid");
    git("add", "-A");
    git("commit", "-q", "-m", "start");
  }
  return dir;
}

/**
 * The test run's own run log and cache (test/globalSetup.ts), for a `skills serve` started with a clean environment
 * (the SDK's stdio transport passes only a default set of variables): a server in the repository itself must not
 * write into the repository's .skills/.
 */
export function testStateEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["SKILLS_RUN_LOG", "SKILLS_CACHE_DIR"] as const) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
