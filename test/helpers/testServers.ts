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
 *
 * Each bundle is CommonJS (`<name>.body.cjs`) run by a launcher beside it (`<name>.cjs`, the path the helpers give),
 * which compiles it with V8's code cache: ~30-50 ms less CPU per start than parsing the 0.6-2.9 MB of an ES module
 * bundle, which node 20 cannot cache. A top-level await (not CommonJS) runs inside an async function: the statements
 * after the imports of the entry module (and of a fixture another fixture runs) are wrapped in one (nothing imports
 * from a server, so nothing else sees them), and a rejection still ends the process with exit code 1, as an ES
 * module's does.
 */
import { chmod, cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { REPO } from "./cli.js";

const ENV = "SKILLS_TEST_SERVERS";

/** `${workspaceFolder}` is .mcp.json's own variable (the project folder), written literally. */
export const WORKSPACE = "$" + "{workspaceFolder}";

const FIXTURE_DIR = join(REPO, "test", "fixtures", "servers");

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

/** The launcher of the bundled copy of test/fixtures/servers/<file> (its name with .cjs): run it with node. */
export function fixtureServer(file: string): string {
  if (!FIXTURES.includes(file)) return join(FIXTURE_DIR, file);
  return join(folder(), "fixtures", launcherOf(file));
}

/** The launcher's name for a bundle at `file`: .cjs instead of .mjs or .js. */
function launcherOf(file: string): string {
  return file.replace(/\.m?js$/, ".cjs");
}

/** The bundled npm server: an executable file with the package's `#!/usr/bin/env node`, like its bin. */
export function npmServer(name: NpmServer): string {
  return join(folder(), NPM[name].pkg, launcherOf(NPM[name].at));
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

/**
 * The launcher of the bundle `body` (a file name beside it): compiles it with the code cache `<body>.v8` when there is
 * one V8 accepts, and otherwise writes one 0.2 s into its start (a temporary file renamed over: starts at
 * once each write a whole one; a start that cannot write, as another user, runs without).
 */
function launcher(body: string): string {
  return `#!/usr/bin/env node
"use strict";
const { readFileSync, renameSync, unlinkSync, writeFileSync } = require("node:fs");
const { createRequire, wrap } = require("node:module");
const { dirname, join } = require("node:path");
const { Script } = require("node:vm");
const body = join(__dirname, ${JSON.stringify(body)});
const cacheFile = \`\${body}.v8\`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {}
const script = new Script(wrap(readFileSync(body, "utf8")), { filename: body, ...(cachedData ? { cachedData } : {}) });
// The bundle is the program, as when node ran it: a server that checks whether it is (import.meta.url against
// argv[1]) finds it is.
process.argv[1] = body;
const module_ = { exports: {} };
script.runInThisContext().call(module_.exports, module_.exports, createRequire(body), module_, body, dirname(body));
if (cachedData === undefined || script.cachedDataRejected) {
  setTimeout(() => {
    const temp = \`\${cacheFile}.\${process.pid}.tmp\`;
    try {
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
    } catch {
      try {
        unlinkSync(temp);
      } catch {}
    }
  }, 200).unref();
}
`;
}

/**
 * An esbuild plugin that wraps the statements after the imports of the entry module, and of any fixture server it
 * imports, in an async function: their top-level awaits are then an async function's, which CommonJS can hold. An
 * exported declaration loses its `export` (nothing imports a server's bundle); any other export is refused. The
 * statements are found with es-module-lexer, in milliseconds, where loading the TypeScript compiler took most of a
 * second at every test run's start.
 */
async function wrapEntry(entry: string): Promise<import("esbuild").Plugin> {
  const { init, parse } = await import("es-module-lexer");
  await init;
  return {
    name: "wrap-entry",
    setup(build) {
      build.onLoad({ filter: /\.m?js$/ }, async (args) => {
        // the entry, and a fixture server another fixture runs (countedStarts.mjs imports weather.mjs)
        if (args.path !== entry && dirname(args.path) !== FIXTURE_DIR) return undefined;
        const file = args.path;
        const text = (await readFile(file, "utf8")).replace(/^#!.*\n/, "");
        const [imports, exports] = parse(text, file);
        const statics = imports.filter((statement) => statement.d === -1);
        // What leaves the module's text: its static imports (kept above the function), and the `export` of each
        // exported declaration.
        const cuts = statics.map((statement) => [statement.ss, statement.se] as const);
        for (const { n, ls } of exports) {
          const at = text.lastIndexOf("export", ls);
          if (
            ls < 0 ||
            at < 0 ||
            !/^export\s+(?:async\s+function|function|class|const|let|var)\b/.test(text.slice(at))
          ) {
            throw new Error(`${file}: its export ${n} is not a declaration, and a server's module cannot be wrapped`);
          }
          if (!cuts.some(([from]) => from === at)) cuts.push([at, at + "export".length]);
        }
        cuts.sort(([a], [b]) => a - b);
        let body = "";
        let from = 0;
        for (const [start, end] of cuts) {
          body += text.slice(from, start);
          from = end;
        }
        body += text.slice(from);
        return {
          contents: [
            ...statics.map((statement) => `${text.slice(statement.ss, statement.se)};`),
            "(async () => {",
            // `export {}` marks an ES module and exports nothing
            body.replace(/^\s*export\s*\{\s*\}\s*;?\s*$/gm, ""),
            "})();",
          ].join("\n"),
          loader: "js",
          resolveDir: dirname(file),
        };
      });
    },
  };
}

/** Bundles every server into `dir` (made readable by every user, as the runs of a normal user spawn them too). */
export async function buildTestServers(dir: string): Promise<void> {
  const { build } = await import("esbuild");
  /** Bundles `entry` into `<at without extension>.body.cjs` with its launcher at `at` (.cjs); returns the launcher. */
  const bundle = async (entry: string, at: string): Promise<string> => {
    const body = at.replace(/\.cjs$/, ".body.cjs");
    await build({
      entryPoints: [entry],
      outfile: body,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      // the ES modules inside find their files from their own URL: the bundle's
      define: {
        "import.meta.url": "__importMetaUrl",
        "import.meta.dirname": "__dirname",
        "import.meta.filename": "__filename",
      },
      banner: { js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      plugins: [await wrapEntry(entry)],
      logLevel: "silent",
    });
    await writeFile(at, launcher(basename(body)), { mode: 0o755 });
    return at;
  };
  await mkdir(join(dir, "fixtures"), { recursive: true });
  const builds: Promise<unknown>[] = FIXTURES.map((file) =>
    bundle(join(FIXTURE_DIR, file), join(dir, "fixtures", launcherOf(file))),
  );
  for (const { pkg, bin, at, ...rest } of Object.values(NPM)) {
    const source = join(REPO, "node_modules", "@modelcontextprotocol", pkg);
    const launcherPath = join(dir, pkg, launcherOf(at));
    builds.push(
      (async () => {
        await mkdir(dirname(launcherPath), { recursive: true });
        await bundle(join(source, bin), launcherPath);
        for (const path of "copy" in rest ? rest.copy : [])
          await cp(join(source, path), join(dir, pkg, path), { recursive: true });
      })(),
    );
  }
  await Promise.all(builds);
  await chmod(dir, 0o755);
}

export const TEST_SERVERS_ENV = ENV;
