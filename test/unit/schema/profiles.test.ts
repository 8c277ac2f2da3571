/** The validator factory: one schema validates one way in every profile; the profiles differ only where they say. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { metaSchemaErrors, PROFILES, type SchemaProfile, schemaValidator } from "../../../src/core/schema/index.js";

const FOREIGN: SchemaProfile[] = ["toolArguments", "skillInput", "skillOutput", "testExpectation"];
const valid = (profile: SchemaProfile, schema: Record<string, unknown>, value: unknown) =>
  schemaValidator(profile, structuredClone(schema)).validate(structuredClone(value)).length === 0;

describe("dialects", () => {
  const tuple2020 = { type: "array", prefixItems: [{ type: "number" }, { type: "string" }] };
  const tuple07 = { $schema: "http://json-schema.org/draft-07/schema#", type: "array", items: [{ type: "number" }] };

  it.each(FOREIGN)("%s: no $schema is 2020-12 (prefixItems applies)", (profile) => {
    expect(valid(profile, tuple2020, [1, "a"])).toBe(true);
    expect(valid(profile, tuple2020, ["a", 1])).toBe(false);
  });

  it.each(FOREIGN)("%s: a draft-07 $schema is read as draft-07 (tuple items)", (profile) => {
    expect(valid(profile, tuple07, [1, "extra"])).toBe(true);
    expect(valid(profile, tuple07, ["a"])).toBe(false);
  });

  it.each(FOREIGN)("%s: a schema without $schema that only makes sense as draft-07 is read as draft-07", (profile) => {
    const { $schema: _, ...noDialect } = tuple07;
    expect(valid(profile, noDialect, [1])).toBe(true);
    expect(valid(profile, noDialect, ["a"])).toBe(false);
  });

  it.each(FOREIGN)("%s: the same $id in two different schemas does not clash", (profile) => {
    expect(valid(profile, { $id: "https://x.test/s", type: "string" }, "a")).toBe(true);
    expect(valid(profile, { $id: "https://x.test/s", type: "number" }, 1)).toBe(true);
    expect(valid(profile, { $id: "https://x.test/s", type: "number" }, "a")).toBe(false);
  });
});

describe("what every foreign profile shares", () => {
  it.each(FOREIGN)("%s checks formats", (profile) => {
    const schema = { type: "object", properties: { at: { type: "string", format: "date-time" } } };
    expect(valid(profile, schema, { at: "2026-01-01T00:00:00Z" })).toBe(true);
    expect(valid(profile, schema, { at: "yesterday" })).toBe(false);
  });

  it.each(FOREIGN)("%s refuses a schema its meta-schema refuses", (profile) => {
    expect(() => schemaValidator(profile, { type: "object", properties: { a: { minimum: "1" } } })).toThrow();
  });

  it.each(FOREIGN)("%s tolerates keywords it does not know", (profile) => {
    expect(valid(profile, { type: "string", "x-origin": "server" }, "a")).toBe(true);
  });
});

describe("where profiles differ", () => {
  const withDefault = { type: "object", properties: { n: { type: "integer", default: 3 } } };

  it("only skillInput fills in defaults", () => {
    for (const profile of FOREIGN) {
      const value: Record<string, unknown> = {};
      schemaValidator(profile, withDefault).validate(value);
      expect([profile, value]).toEqual([profile, profile === "skillInput" ? { n: 3 } : {}]);
    }
  });

  it("first-error profiles report one error, all-error profiles every one", () => {
    const schema = { type: "object", properties: { a: { type: "string" }, b: { type: "string" } } };
    const value = { a: 1, b: 2 };
    expect(schemaValidator("toolArguments", schema).validate(value)).toHaveLength(1);
    expect(schemaValidator("skillOutput", schema).validate(value)).toHaveLength(1);
    expect(schemaValidator("skillInput", schema).validate(value)).toHaveLength(2);
    expect(schemaValidator("testExpectation", schema).validate(value)).toHaveLength(2);
  });

  it("fileFormat is strict about its own schemas and lists every error with the failing data", () => {
    expect(() => schemaValidator("fileFormat", { type: "string", minLenght: 1 })).toThrow(/strict mode/);
    const errors = schemaValidator("fileFormat", {
      type: "object",
      properties: { a: { type: "string" } },
      additionalProperties: false,
    }).validate({ a: 1, b: 2 });
    expect(errors.map((e) => [e.keyword, e.pointer])).toEqual([
      ["additionalProperties", ""],
      ["type", "/a"],
    ]);
    expect(errors[1]?.data).toBe(1);
    expect(errors[0]?.parentSchema?.properties).toEqual({ a: { type: "string" } });
  });

  it("every profile has settings, and only fileFormat is strict", () => {
    expect(Object.entries(PROFILES).filter(([, s]) => s.strict).map(([name]) => name)).toEqual(["fileFormat"]);
  });
});

describe("caching", () => {
  it("one compilation per profile and schema: by object, and by JSON text for equal schemas", () => {
    const schema = { type: "object", required: ["a"] };
    const validator = schemaValidator("toolArguments", schema);
    expect(schemaValidator("toolArguments", schema)).toBe(validator);
    expect(schemaValidator("toolArguments", { type: "object", required: ["a"] })).toBe(validator);
    expect(schemaValidator("skillOutput", schema)).not.toBe(validator);
  });
});

describe("metaSchemaErrors", () => {
  it("checks a schema against its own dialect's meta-schema", () => {
    const tuple = { type: "array", items: [{ type: "number" }] };
    expect(metaSchemaErrors(tuple).map((e) => e.pointer)).toContain("/items");
    expect(metaSchemaErrors({ $schema: "http://json-schema.org/draft-07/schema#", ...tuple })).toEqual([]);
    expect(metaSchemaErrors({ type: "object", required: ["a"] })).toEqual([]);
  });
});

describe("one ajv", () => {
  it("src constructs ajv in exactly one place", () => {
    const root = join(import.meta.dirname, "../../../src");
    const sites: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith(".ts")) {
          const count = readFileSync(path, "utf8").match(/\bnew Ajv\w*\s*\(/g)?.length ?? 0;
          for (let i = 0; i < count; i++) sites.push(path.slice(root.length + 1));
        }
      }
    };
    walk(root);
    expect(sites).toEqual(["core/schema/ajv.ts"]);
  });
});
