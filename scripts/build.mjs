// Build: clean dist/ and compile with tsc. Runs from `npm install` (prepare), so it must not need anything but the
// installed dependencies. Then the package's own JSON Schemas are compiled to JavaScript, one module per schema
// (dist/core/schema/precompiled/<hash>.cjs), so a command that reads skills neither loads ajv nor runs its code
// generator for them.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const dist = new URL("../dist/", import.meta.url);
const distDir = fileURLToPath(dist);
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
const { precompiledName, precompiledSchemaModule } = await import(new URL("core/schema/precompile.js", dist).href);
const precompiledDir = join(distDir, "core/schema/precompiled");
mkdirSync(precompiledDir, { recursive: true });
for (const schema of schemas) {
  const code = precompiledSchemaModule(schema, "fileFormat");
  if (code === undefined) throw new Error(`a schema of the package does not compile: ${JSON.stringify(schema).slice(0, 200)}`);
  writeFileSync(join(precompiledDir, `${precompiledName(JSON.stringify(schema)).slice(0, 16)}.cjs`), code);
}

