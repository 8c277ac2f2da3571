// Build: clean dist/ and compile with tsc. Runs from `npm install` (prepare), so it must not need anything but devDependencies.
// Then the package's own JSON Schemas are compiled to JavaScript (dist/core/schema/precompiled.js), so a command
// that reads skills does not run ajv's code generator for them.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const dist = new URL("../dist/", import.meta.url);
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
const { precompiledModule } = await import(new URL("core/schema/precompile.js", dist).href);
writeFileSync(new URL("core/schema/precompiled.js", dist), precompiledModule(schemas));
// the source map tsc wrote describes the stub this file replaced
rmSync(new URL("core/schema/precompiled.js.map", dist), { force: true });
