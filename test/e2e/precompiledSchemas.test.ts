/**
 * The package's own schemas come precompiled in the build (dist/core/schema/precompiled/<hash>.cjs, one module per
 * schema, written by scripts/build.mjs): every one of them is there and current, and each precompiled validator
 * answers exactly as the schema compiled at run time does (the tests run from source, where nothing is precompiled).
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { TOOLS_LOCK_SCHEMA } from "../../src/core/compat/lockSchema.js";
import { precompiledName } from "../../src/core/schema/precompile.js";
import { builtSchema } from "../../src/core/schema/precompiled.js";
import { schemaValidator } from "../../src/core/schema/index.js";
import { toSchemaError } from "../../src/core/schema/errors.js";
import { CASSETTE_SCHEMA, TEST_CASE_SCHEMA } from "../../src/core/testing/schemas.js";
import { loadSchema, type SchemaName } from "../../src/store/schemas.js";
import { REPO } from "../helpers/cli.js";

type Validate = ((value: unknown) => boolean) & { errors?: Parameters<typeof toSchemaError>[0][] | null };
type Entry = { first: () => Validate; all: () => Validate; sha256: string };
const load = createRequire(import.meta.url);
/** The build's module of a schema, where precompiled.ts looks for it. */
const builtModule = (schema: Record<string, unknown>): Entry => {
  const name = precompiledName(JSON.stringify(schema));
  return load(`${REPO}/dist/core/schema/precompiled/${name.slice(0, 16)}.cjs`) as Entry;
};

const FILES: SchemaName[] = ["manifest", "skill-frontmatter", "config", "mcp-config"];
const OWN: [string, Record<string, unknown>][] = [
  ...FILES.map((name): [string, Record<string, unknown>] => [name, loadSchema(name)]),
  ["test case", TEST_CASE_SCHEMA as unknown as Record<string, unknown>],
  ["cassette", CASSETTE_SCHEMA as unknown as Record<string, unknown>],
  ["tools.lock.json", TOOLS_LOCK_SCHEMA as unknown as Record<string, unknown>],
];

/** Valid and invalid documents of each format: the answers must agree, errors included. */
const DOCUMENTS: Record<string, unknown[]> = {
  manifest: [
    { name: "a", version: "1.0.0", language: "python", entry: "main.py" },
    { name: "a", version: 1, language: "cobol", entry: "main.py", extra: true, tools: { "x/y": 3 } },
    {},
  ],
  "skill-frontmatter": [{ name: "a", description: "d" }, { name: 3, allowed: "x" }],
  config: [{ roots: ["skills"] }, { roots: "skills", pii: "loud" }],
  "mcp-config": [
    { mcpServers: { a: { command: "node", args: ["x.js"] } } },
    { mcpServers: { a: { type: "http" }, b: { command: 3 } } },
  ],
  "test case": [{ name: "basic", expect: { equals: 1 } }, { name: "", expect: { nope: 1 } }],
  cassette: [{ version: 2 }, []],
  "tools.lock.json": [{ lockfileVersion: 1, tools: {} }, { lockfileVersion: 2, tools: { bad: {} } }],
};

describe("precompiled schemas", () => {
  it("come from the build only: from source every schema compiles on use", () => {
    for (const [, schema] of OWN) expect(builtSchema(JSON.stringify(schema))).toBeUndefined();
  });

  it.each(OWN)("the build has %s, current", (_name, schema) => {
    expect(builtModule(schema).sha256).toBe(precompiledName(JSON.stringify(schema)));
  });

  it.each(OWN)("%s validates as the schema compiled at run time does", (name, schema) => {
    const entry = builtModule(schema);
    const runtime = schemaValidator("fileFormat", schema);
    for (const document of DOCUMENTS[name]!) {
      const expected = runtime.validate(structuredClone(document));
      const first = entry.first();
      expect(first(structuredClone(document))).toBe(expected.length === 0);
      const all = entry.all();
      all(structuredClone(document));
      expect((all.errors ?? []).map(toSchemaError)).toEqual(expected);
    }
    // at least one document of each format fails, so errors are compared too
    expect(DOCUMENTS[name]!.some((document) => runtime.validate(structuredClone(document)).length > 0)).toBe(true);
  });
});
