// Build: clean dist/ and compile with tsc, unless dist/ is already what this build makes (scripts/buildStamp.mjs).
// Runs from `npm install` (prepare), so it must not need anything but the installed dependencies. Then, for start-up
// speed:
//   1. the package's own JSON Schemas are compiled to JavaScript, one module per schema
//      (dist/core/schema/precompiled/<hash>.cjs), so a command that reads skills neither loads ajv nor runs its code
//      generator for them;
//   2. the CLI is bundled (dist/bundle/, what bin/skills.js runs): the command table and one file per command
//      handler, with the code they share in a few chunks, instead of ~100 modules for node to resolve and load one by
//      one; and each command gets a program of its own, one file compiled with V8's code cache. The packages
//      on the commands' paths are bundled too (the MCP SDK with zod and ajv, yaml, semver, cac); the large or
//      file-reading ones stay in node_modules (EXTERNAL_PACKAGES). Each module keeps its own import.meta.url (the
//      path it has under dist/), so what it finds next to itself (runtime/, schemas/, the precompiled schemas, the
//      packages it requires) is found as from dist/. dist/ itself stays as tsc wrote it: it is the library
//      (`import { run } from "skillsmith"`) and what the tests compare the bundle with.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { buildInputs, staleReason, writeStamp } from "./buildStamp.mjs";

const require = createRequire(import.meta.url);
const dist = new URL("../dist/", import.meta.url);
const distDir = fileURLToPath(dist);

// Skipped when dist/ is already what this build makes (scripts/buildStamp.mjs): `--force` builds anyway, `--check`
// only says whether it is (exit 1 when not).
const USAGE = "usage: node scripts/build.mjs [--force | --check]";
const flags = [...new Set(process.argv.slice(2))];
for (const flag of flags) {
  if (flag !== "--force" && flag !== "--check") {
    console.error(`build: unknown option ${JSON.stringify(flag)}\n${USAGE}`);
    process.exit(2);
  }
}
if (flags.length > 1) {
  console.error(`build: --force and --check are one or the other\n${USAGE}`);
  process.exit(2);
}
const inputs = buildInputs(fileURLToPath(new URL("..", import.meta.url)));
const stale = staleReason(distDir, inputs);
if (flags[0] === "--check") {
  console.log(stale === undefined ? "build: dist/ is up to date" : `build: dist/ is out of date: ${stale}`);
  process.exit(stale === undefined ? 0 : 1);
}
if (stale === undefined && flags[0] !== "--force") {
  console.log("build: dist/ is up to date with its sources, skipped (`node scripts/build.mjs --force` rebuilds it)");
  process.exit(0);
}
if (stale !== undefined) console.log(`build: ${stale}`);
rmSync(dist, { recursive: true, force: true });
const tsc = require.resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { stdio: "inherit" });

// Every schema the fileFormat profile checks: the files in schemas/ (src/store/schemas.ts reads them) and the ones
// core keeps as objects (test cases, cassettes, tools.lock.json). A schema missing here still works, compiled on use.
const schemasDir = new URL("../schemas/", import.meta.url);
const schemas = readdirSync(schemasDir)
  .filter((file) => file.endsWith(".schema.json"))
  .sort()
  .map((file) => JSON.parse(readFileSync(new URL(file, schemasDir), "utf8")));
const { TEST_CASE_SCHEMA, CASSETTE_SCHEMA } = await import(new URL("core/testing/schemas.js", dist).href);
const { TOOLS_LOCK_SCHEMA } = await import(new URL("core/compat/lockSchema.js", dist).href);
schemas.push(TEST_CASE_SCHEMA, CASSETTE_SCHEMA, TOOLS_LOCK_SCHEMA);
const { precompiledName, precompiledSchemaModule, precompiledMetaSchemaModule, metaSchemaModuleName } = await import(
  new URL("core/schema/precompile.js", dist).href
);
const precompiledDir = join(distDir, "core/schema/precompiled");
mkdirSync(precompiledDir, { recursive: true });
for (const schema of schemas) {
  const code = precompiledSchemaModule(schema, "fileFormat");
  if (code === undefined) throw new Error(`a schema of the package does not compile: ${JSON.stringify(schema).slice(0, 200)}`);
  writeFileSync(join(precompiledDir, `${precompiledName(JSON.stringify(schema)).slice(0, 16)}.cjs`), code);
}
// The meta-schema checks of skill authors' and servers' schemas (core/schema/validator.ts).
for (const dialect of ["2020-12", "draft-07"]) {
  for (const formats of [false, true]) {
    const file = join(precompiledDir, metaSchemaModuleName(dialect, formats));
    writeFileSync(file, precompiledMetaSchemaModule(dialect, formats));
  }
}

// The Python worker's bytecode for the default interpreter, so a new user's first run does not compile it
// (src/sandbox/runtimeFiles.ts copies it into the runtime a run binds). checked-hash: valid in any copy of the same
// sources, ignored (compiled in memory) for any other. Skipped where there is no /usr/bin/python3.
{
  const { runtimeHash, RUNTIME_DIR } = await import(new URL("sandbox/runtimeFiles.js", dist).href);
  const out = join(distDir, "runtime-bytecode");
  rmSync(out, { recursive: true, force: true });
  if (existsSync("/usr/bin/python3")) {
    const work = mkdtempSync(join(tmpdir(), "skills-build-pyc-"));
    try {
      for (const name of ["_worker.py", "_runtime.py"]) cpSync(join(RUNTIME_DIR, "python", name), join(work, name));
      execFileSync(
        "/usr/bin/python3",
        ["-I", "-m", "compileall", "-q", "--invalidation-mode", "checked-hash", "-d", "/runtime/python", work],
        { stdio: "inherit" },
      );
      const target = join(out, runtimeHash());
      mkdirSync(target, { recursive: true });
      for (const file of readdirSync(join(work, "__pycache__"))) cpSync(join(work, "__pycache__", file), join(target, file));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}

// V8's compiled code of the TypeScript compiler, next to the module that loads it (src/analysis/tsLoader.ts): the
// first analysis or type check of a process then loads the compiler in about a third of the time.
{
  const { writeTypeScriptCodeCache } = await import(new URL("analysis/tsLoader.js", dist).href);
  const { analyseTypeScript } = await import(new URL("analysis/typescript.js", dist).href);
  // A program that imports the SDK, so the checker runs as in a skill's analysis.
  const source =
    'import { f } from "servers/x";\nexport async function run(i: { a: number[] }) {\n  return f({ a: i.a.map((n) => n + 1) });\n}\n';
  writeTypeScriptCodeCache(join(distDir, "analysis"), () => analyseTypeScript([{ file: "main.ts", source }]));
}

const bundleDir = join(distDir, "bundle");
const entriesIn = (folder) =>
  readdirSync(join(distDir, folder))
    .filter((file) => file.endsWith(".js"))
    .map((file) => join(distDir, folder, file));
const { build } = require("esbuild");
const EXTERNAL_PACKAGES = ["esbuild", "typescript", "handlebars", "js-tiktoken", "prom-client"];
const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Packages on the commands' paths are bundled too: the MCP SDK alone is ~150 modules (zod, ajv) that node would
  // resolve and load one by one, ~3x the time of one bundled chunk. What stays outside is large and loaded rarely
  // (typescript, esbuild with its binary), or reads files beside itself (handlebars, js-tiktoken's ranks).
  external: EXTERNAL_PACKAGES.flatMap((name) => [name, `${name}/*`]),
  logLevel: "warning",
  write: false,
};
const keepModuleUrl = {
  name: "keep-module-url",
  setup(on) {
    on.onLoad({ filter: /\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      if (!text.includes("import.meta.url")) return { contents: text, loader: "js" };
      // The module's URL as tsc placed it, computed from wherever its code ends up in the bundle.
      const own = (chunk) => JSON.stringify(relative(chunk, args.path));
      return {
        contents: text.replaceAll("import.meta.url", () => `__moduleUrl(${own(bundleDir)})`),
        loader: "js",
      };
    });
  },
};
/**
 * Writes esbuild's files, each with the helpers it uses: `__moduleUrl` (resolving from the bundle folder wherever the
 * file sits inside it) and, in an ES module, a `require` for bundled CommonJS code that requires node's built-ins.
 */
function writeBundle(result, { commonjs = false, program = false, needs } = {}) {
  for (const file of result.outputFiles) {
    const depth = relative(bundleDir, dirname(file.path)).split("/").filter(Boolean).length;
    const up = depth === 0 ? "./" : "../".repeat(depth);
    const base = commonjs ? 'require("node:url").pathToFileURL(__filename)' : "import.meta.url";
    const helpers = [
      !commonjs &&
        /\brequire\b/.test(file.text) &&
        'import { createRequire as __bundleRequire } from "node:module";\nconst require = __bundleRequire(import.meta.url);\n',
      file.text.includes("__moduleUrl(") &&
        `const __moduleUrl = (path) => new URL(${JSON.stringify(up)} + path, ${base}).href;\n`,
    ].filter(Boolean);
    let text = helpers.join("") + file.text;
    // CommonJS keeps the strict mode of the ES modules it was built from (before the helpers); a program's first
    // line names its build, which names its code cache (src/cli/program.ts).
    if (commonjs) text = `"use strict";\n${text}`;
    // A program that takes modules from its lead says so on that line: without the lead it cannot run, and the CLI
    // starts the command from the split bundle instead (src/cli/program.ts).
    if (program) {
      const build = createHash("sha256").update(text).digest("hex").slice(0, 20);
      text = `// skills program ${build}${needs ? ` needs ${needs}` : ""}\n${text}`;
    }
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, text);
  }
}

// The CLI: the command table (cli/main.js), one file per handler and per early module, imported when a command
// needs it, and the code they share in chunks.
writeBundle(
  await build({
    ...common,
    entryPoints: [join(distDir, "cli/main.js"), ...entriesIn("cli/handlers"), ...entriesIn("cli/early")],
    outbase: distDir,
    outdir: bundleDir,
    entryNames: "[dir]/[name]",
    chunkNames: "chunks/[name]-[hash]",
    splitting: true,
    plugins: [keepModuleUrl],
  }),
);

// Each command's program (bin/skills.js starts `skills <command>` from it, src/cli/program.ts): the command table
// with that one command's early module and handler, and all the code they can reach, in one CommonJS file that node
// compiles with V8's code cache. Split, a cold `skills exec` loaded ~45 files, and node's ESM loader spent about as
// long per file as on compiling the code. Code that runs only on some paths stays lazy (esbuild wraps it in an init
// function). The other commands' handlers are the split CLI's (bin/skills.js never starts them from a program).
// Packages come inside a program, compiled from the cache too (a run always starts its skill's servers, so the MCP
// SDK with zod and ajv, ~0.8 MB, is in its program), except where a program needs one only sometimes: an exec needs
// the SDK only with --tools, and loads it then from vendor/. What a program imports when it needs it and does not
// contain it loads with require(): code compiled from V8's cache cannot call import() on node 20.
const FROM_VENDOR = { exec: /^@modelcontextprotocol\/sdk(\/|$)/ };
const vendorName = (specifier) => specifier.replace(/^@/, "").replace(/\.js$/, "").replace(/[^A-Za-z0-9]+/g, "-");
const vendored = new Set();
/** The command table's handlers and early modules other than `command`'s (every one for a lead) stay out. */
const onlyCommand = (command) => ({
  name: "only-command",
  setup(on) {
    on.onResolve({ filter: /^\.\/(handlers|early)\// }, (args) => {
      if (!args.importer.endsWith(`${sep}cli${sep}commands.js`)) return;
      if (command !== undefined && args.path.endsWith(`/${command}.js`)) return;
      return { path: `../cli/${args.path.slice(2)}`, external: true };
    });
  },
});
// A command's lead (src/cli/lead.ts): a small program that the command's program runs before loading the rest of
// itself. The modules a lead re-exports (`export * from`) are the program's from the lead: one instance of each.
const LEADS = new Map(
  entriesIn("cli/leads").map((file) => {
    const shared = [...readFileSync(file, "utf8").matchAll(/^export \* from "(.+)";$/gm)].map((match) =>
      join(dirname(file), match[1]),
    );
    return [basename(file, ".js"), { file, shared }];
  }),
);
async function buildLead(command, { file }) {
  const result = await build({
    ...common,
    entryPoints: [file],
    outfile: join(bundleDir, "programs", `${command}.lead.cjs`),
    format: "cjs",
    supported: { "dynamic-import": false },
    plugins: [onlyCommand(undefined), keepModuleUrl],
  });
  refuseImportCalls(result);
  writeBundle(result, { commonjs: true, program: true });
}
function refuseImportCalls(result) {
  for (const file of result.outputFiles) {
    if (/\bimport\s*\(/.test(file.text)) throw new Error(`${file.path} calls import(): its code cache would break it`);
  }
}
async function buildProgram(command) {
  const fromVendor = FROM_VENDOR[command];
  const lead = LEADS.get(command);
  const fromLead = {
    name: "from-lead",
    setup(on) {
      if (!lead) return;
      on.onResolve({ filter: /\.js$/ }, (args) => {
        if (!lead.shared.includes(join(args.resolveDir, args.path))) return;
        return { path: `./${command}.lead.cjs`, external: true };
      });
    },
  };
  const vendorPackages = {
    name: "vendor-packages",
    setup(on) {
      if (!fromVendor) return;
      on.onResolve({ filter: fromVendor }, (args) => {
        if (args.kind !== "dynamic-import") {
          return { errors: [{ text: `${args.path} is imported statically: the ${command} program loads it only when used` }] };
        }
        vendored.add(args.path);
        return { path: `../vendor/${vendorName(args.path)}.cjs`, external: true };
      });
    },
  };
  const result = await build({
    ...common,
    entryPoints: [join(distDir, "cli/main.js")],
    outfile: join(bundleDir, "programs", `${command}.cjs`),
    format: "cjs",
    supported: { "dynamic-import": false },
    plugins: [onlyCommand(command), fromLead, vendorPackages, keepModuleUrl],
  });
  refuseImportCalls(result);
  writeBundle(result, { commonjs: true, program: true, ...(lead ? { needs: `${command}.lead.cjs` } : {}) });
}
await Promise.all([
  ...entriesIn("cli/handlers").map((file) => buildProgram(basename(file, ".js"))),
  ...[...LEADS].map(([command, lead]) => buildLead(command, lead)),
]);
// What bin/skills.js (CommonJS) starts a program with: an ES module entry would cost node its ESM loader (~9 ms).
writeBundle(
  await build({ ...common, entryPoints: [join(distDir, "cli/program.js")], outfile: join(bundleDir, "start.cjs"), format: "cjs" }),
  { commonjs: true },
);
// vendor/: the packages the programs load only when they need them, in one CommonJS file (one instance of each, as
// in an ES module graph), and a file per specifier a program requires, which hands over that specifier's exports.
const specifiers = [...vendored].sort();
const vendorDir = join(bundleDir, "vendor");
writeBundle(
  await build({
    ...common,
    stdin: {
      contents: specifiers
        .map((specifier, i) => `export * as m${i} from ${JSON.stringify(fileURLToPath(import.meta.resolve(specifier)))};`)
        .join("\n"),
      resolveDir: distDir,
      sourcefile: "vendor.js",
      loader: "js",
    },
    outfile: join(vendorDir, "packages.cjs"),
    format: "cjs",
    plugins: [keepModuleUrl],
  }),
  { commonjs: true },
);
specifiers.forEach((specifier, i) => {
  writeFileSync(
    join(vendorDir, `${vendorName(specifier)}.cjs`),
    `"use strict";\n// ${specifier}\nmodule.exports = require("./packages.cjs").m${i};\n`,
  );
});

await import("./buildTokenTable.mjs");

// Last: a build that stopped before here leaves no stamp, and the next one runs in full.
writeStamp(distDir, inputs);
