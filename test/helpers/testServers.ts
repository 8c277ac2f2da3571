/**
 * The MCP servers most tests spawn, each bundled into one file once per test run (test/globalSetup.ts builds them;
 * SKILLS_TEST_SERVERS names the folder): the fixture servers of test/fixtures/servers, written with the SDK, and the
 * npm servers of the examples (filesystem, memory, everything).
 *
 * Why: a test run starts these servers about 200 times, and node spends most of a start resolving and loading the
 * few hundred modules of the SDK, zod and ajv one by one: 0.35-0.45 s of CPU per start, against 0.1-0.2 s from one
 * file. On two cores that was a sixth of the whole run. The code is the same: esbuild bundles the installed packages
 * as they are, and the servers answer the same protocol over the same stdio. The npm bundles keep their package's
 * layout (dist/, its docs), so that the paths a server finds from its own file are the same.
 *
 * What still starts node_modules/.bin: every run that reads this repository's own .mcp.json (the quick start, the
 * README, the e2e tests, the examples, `skills serve` as a client starts it) and the tests of the spawn path itself.
 * exec.test and run.test run in the repository with `repoServersConfig` instead; the temporary projects
 * (test/helpers/project.ts) get the same servers with `projectServersConfig`.
 *
 * The bundles are made when the run starts: in watch mode, an edit of a fixture server takes a new run.
 */
import { chmod, cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO } from "./cli.js";

const ENV = "SKILLS_TEST_SERVERS";

/** `${workspaceFolder}` is .mcp.json's own variable (the project folder), written literally. */
export const WORKSPACE = "$" + "{workspaceFolder}";

/** The fixture servers that load the SDK (the others are a few lines of node and start as fast as they are). */
const FIXTURES = [
  "weather.mjs",
  "countedStarts.mjs",
  "crashy.mjs",
  "dynamicTools.mjs",
  "manyTools.mjs",
  "ruleServer.mjs",
];

/** Each npm server: its package, its bin (the bundle's entry) and where in the package the bundle goes. */
const NPM = {
  filesystem: { pkg: "server-filesystem", bin: "dist/index.js", at: "dist/index.mjs" },
  memory: { pkg: "server-memory", bin: "dist/index.js", at: "dist/index.mjs" },
  // dist/resources/*.js read ../docs from their own file: the bundle sits beside them, and the docs are copied
  everything: { pkg: "server-everything", bin: "dist/index.js", at: "dist/resources/index.mjs", copy: ["dist/docs"] },
} as const;

export type NpmServer = keyof typeof NPM;

function folder(): string {
  const dir = process.env[ENV];
  if (!dir) throw new Error(`${ENV} is not set: test/globalSetup.ts bundles the test servers`);
  return dir;
}

/** The bundled copy of test/fixtures/servers/<file> (same file name): run it with node. */
export function fixtureServer(file: string): string {
  if (!FIXTURES.includes(file)) return join(REPO, "test", "fixtures", "servers", file);
  return join(folder(), "fixtures", file);
}

/** The bundled npm server: an executable file with the package's `#!/usr/bin/env node`, like its bin. */
export function npmServer(name: NpmServer): string {
  return join(folder(), NPM[name].pkg, NPM[name].at);
}

interface RepoServer {
  command: string;
  args?: string[];
  env?: Record<string, string>;
}

/**
 * The repository's .mcp.json with each server's command replaced by its bundle (every other field as it is), and
 * `arg` and `env` applied to its arguments and environment values.
 */
async function bundledRepoServers(
  arg: (value: string) => string,
  env: (value: string) => string,
): Promise<Record<string, RepoServer>> {
  const { mcpServers } = JSON.parse(await readFile(join(REPO, ".mcp.json"), "utf8")) as {
    mcpServers: Record<string, RepoServer>;
  };
  return Object.fromEntries(
    Object.entries(mcpServers).map(([name, server]) => {
      const npm = /^node_modules\/\.bin\/mcp-server-(\w+)$/.exec(server.command)?.[1];
      if (!npm || !(npm in NPM))
        throw new Error(`the repository's .mcp.json has a server tests do not bundle: ${name}`);
      const bundled: RepoServer = { ...server, command: npmServer(npm as NpmServer) };
      if (server.args) bundled.args = server.args.map(arg);
      if (server.env) bundled.env = Object.fromEntries(Object.entries(server.env).map(([k, v]) => [k, env(v)]));
      return [name, bundled];
    }),
  );
}

async function writeConfig(path: string, servers: Record<string, RepoServer>): Promise<string> {
  await writeFile(path, `${JSON.stringify({ mcpServers: servers }, null, 2)}\n`);
  return path;
}

/**
 * A .mcp.json in `dir` with the repository's own servers (its .mcp.json), bundled, for a run in the repository
 * (`configPath`): the filesystem server serves the repository as there, and the memory server keeps its graph in
 * `dir` (made if missing), not in the repository's .skills/memory.jsonl (a test's entities would pile up there).
 * Returns its path.
 */
export async function repoServersConfig(dir: string): Promise<string> {
  const servers = await bundledRepoServers(
    (value) => value.replaceAll(WORKSPACE, REPO),
    (value) => value.replace(`${WORKSPACE}/.skills`, dir),
  );
  await mkdir(dir, { recursive: true });
  return writeConfig(join(dir, ".mcp.json"), servers);
}

/**
 * The repository's .mcp.json for a project of its own in `dir` (dir/.mcp.json), its servers bundled: as in the
 * repository, the filesystem server serves the project's folder and the memory server keeps its graph in the
 * project's .skills/ (`${workspaceFolder}`, left for the CLI to fill in). Returns its path.
 */
export async function projectServersConfig(dir: string): Promise<string> {
  const same = (value: string) => value;
  return writeConfig(join(dir, ".mcp.json"), await bundledRepoServers(same, same));
}

/** Bundles every server into `dir` (made readable by every user, as the runs of a normal user spawn them too). */
export async function buildTestServers(dir: string): Promise<void> {
  const { build } = await import("esbuild");
  const bundle = (entry: string, outfile: string) =>
    build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // the CommonJS packages inside (ajv) require node's own modules
      banner: {
        js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
      },
      logLevel: "silent",
    });
  const builds: Promise<unknown>[] = FIXTURES.map((file) =>
    bundle(join(REPO, "test", "fixtures", "servers", file), join(dir, "fixtures", file)),
  );
  for (const { pkg, bin, at, ...rest } of Object.values(NPM)) {
    const source = join(REPO, "node_modules", "@modelcontextprotocol", pkg);
    const outfile = join(dir, pkg, at);
    builds.push(
      (async () => {
        await bundle(join(source, bin), outfile);
        await chmod(outfile, 0o755);
        for (const path of "copy" in rest ? rest.copy : [])
          await cp(join(source, path), join(dir, pkg, path), { recursive: true });
      })(),
    );
  }
  await mkdir(dir, { recursive: true });
  await Promise.all(builds);
  await chmod(dir, 0o755);
}

export const TEST_SERVERS_ENV = ENV;
