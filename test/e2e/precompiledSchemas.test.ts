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

/**
 * The meta-schema checks come from the build too (dist/core/schema/precompiled/meta-*.cjs): ajv would compile the
 * 2020-12 meta-schema (150-200 ms) in every process that checks or compiles a skill author's or a server's schema.
 * Each answers as ajv's own check with the same options; compiled through the build, a bad schema fails as before.
 */
describe("precompiled meta-schema checks", () => {
  const SCHEMAS: unknown[] = [
    { type: "object", properties: { path: { type: "string", minLength: 1 } }, required: ["path"] },
    { type: "objectx" },
    { properties: { a: { $ref: "#/$defs/x", minLength: "3" } }, $defs: { x: { type: "string" } } },
    { type: "array", items: [{ type: "string" }, { type: "number" }] },
    { type: "string", pattern: "([unclosed" },
    { $id: "not a uri reference with spaces", type: "string" },
    { enum: [], required: "x", additionalProperties: 5 },
    true,
  ];
  const cases = (["2020-12", "draft-07"] as const).flatMap((dialect) =>
    [false, true].map((formats): [string, boolean] => [dialect, formats]),
  );

  it.each(cases)("%s (formats checked: %s) answers as ajv does, errors included", async (dialect, formats) => {
    const { ajvFor } = await import("../../src/core/schema/ajv.js");
    const { metaSchemaModuleName } = await import("../../src/core/schema/precompile.js");
    const entry = load(`${REPO}/dist/core/schema/precompiled/${metaSchemaModuleName(dialect, formats)}`) as Entry;
    const profile = formats ? "toolArguments" : "metaSchema";
    let failed = 0;
    for (const mode of ["first", "all"] as const) {
      const ajv = ajvFor(profile, dialect, mode);
      const built = entry[mode]();
      for (const schema of SCHEMAS) {
        const expected = ajv.validateSchema(structuredClone(schema) as object) === true;
        expect(built(structuredClone(schema)), JSON.stringify(schema)).toBe(expected);
        // (ajv answers a boolean schema without touching `errors`: those of the schema before are still there.)
        expect((built.errors ?? []).map(toSchemaError)).toEqual(expected ? [] : (ajv.errors ?? []).map(toSchemaError));
        if (!expected) failed += 1;
      }
    }
    expect(failed).toBeGreaterThan(4);
  });

  it("a schema the check refuses fails to compile from the build with ajv's own message", async () => {
    const bad = { type: "object", properties: { a: { type: "text" } } };
    const fromSource = (() => {
      try {
        schemaValidator("skillInput", structuredClone(bad));
        return "compiled";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(fromSource).toMatch(/^schema is invalid: data\/properties\/a\/type must be/);
    const built = (await import(`${REPO}/dist/core/schema/index.js`)) as typeof import("../../src/core/schema/index.js");
    expect(() => built.schemaValidator("skillInput", structuredClone(bad))).toThrow(fromSource);
    // A good one compiles from the build and validates.
    const good = built.schemaValidator("skillInput", { type: "object", properties: { a: { type: "string" } } });
    expect(good.validate({ a: 1 }).map((problem) => problem.pointer)).toEqual(["/a"]);
  });
});
