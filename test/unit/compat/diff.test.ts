/** The schema diff on the shapes real servers publish: renames, defaults, pydantic's Optional, $refs, deprecation. */
import { describe, expect, it } from "vitest";
import { diffToolSchemas } from "../../../src/core/compat/diffSchema.js";
import { deprecationOf, diffTool, findRenamedTool } from "../../../src/core/compat/diffTool.js";
import { normalizeSchema } from "../../../src/core/compat/normalize.js";

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "object",
  properties,
  required,
});
const rules = (changes: { rule: string }[]) => changes.map((c) => c.rule);

describe("normalizeSchema", () => {
  it("reads pydantic's Optional, nullable and a type list as one type list", () => {
    const a = normalizeSchema({ anyOf: [{ type: "number" }, { type: "null" }], description: "t" });
    const b = normalizeSchema({ type: "number", nullable: true, description: "t" });
    const c = normalizeSchema({ type: ["null", "number"], description: "t" });
    expect(a).toEqual({ type: ["null", "number"], description: "t" });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it("inlines local $refs, keeps a cycle as a $ref, and drops $defs", () => {
    const schema = {
      type: "object",
      properties: { day: { $ref: "#/$defs/Day" }, node: { $ref: "#/$defs/Node" } },
      $defs: {
        Day: { type: "object", properties: { high: { type: "number" } } },
        Node: { type: "object", properties: { next: { $ref: "#/$defs/Node" } } },
      },
    };
    const normalized = normalizeSchema(schema) as any;
    expect(normalized.$defs).toBeUndefined();
    expect(normalized.properties.day).toEqual({ type: ["object"], properties: { high: { type: ["number"] } } });
    expect(normalized.properties.node).toEqual({
      type: ["object"],
      properties: { next: { $ref: "#/$defs/Node" } },
    });
  });

  it("orders anyOf alternatives, reads oneOf as anyOf and a const as an enum", () => {
    const x = obj({ a: { type: "string" } }, ["a"]);
    const y = obj({ b: { type: "number" } }, ["b"]);
    expect(normalizeSchema({ oneOf: [y, x] })).toEqual(normalizeSchema({ anyOf: [x, y] }));
    expect(normalizeSchema({ const: "a" })).toEqual({ enum: ["a"] });
  });

  it("merges allOf branches that only add properties", () => {
    const merged = normalizeSchema({ allOf: [obj({ a: { type: "string" } }, ["a"]), obj({ b: { type: "string" } })] });
    expect(merged).toEqual(normalizeSchema(obj({ a: { type: "string" }, b: { type: "string" } }, ["a"])));
  });
});

describe("diffToolSchemas", () => {
  it("finds a renamed required argument and a new required one with its default", () => {
    const before = { inputSchema: obj({ city: { type: "string", description: "City" } }, ["city"]) };
    const after = {
      inputSchema: obj(
        { location: { type: "string", description: "Place" }, units: { type: "string", default: "metric" } },
        ["location", "units"],
      ),
    };
    const changes = diffToolSchemas(before, after);
    expect(changes).toEqual([
      expect.objectContaining({
        rule: "request-parameter-renamed",
        path: "/inputSchema/properties/location",
        field: ["city"],
        rename: { from: "city", to: "location" },
      }),
      expect.objectContaining({ rule: "new-required-request-parameter", field: ["units"], after: "metric" }),
    ]);
  });

  it("does not call it a rename when two new arguments fit", () => {
    const before = { inputSchema: obj({ city: { type: "string" } }) };
    const after = { inputSchema: obj({ town: { type: "string" }, place: { type: "string" } }) };
    expect(rules(diffToolSchemas(before, after))).toEqual([
      "request-parameter-removed",
      "request-parameter-added",
      "request-parameter-added",
    ]);
  });

  it("one enum value replaced by one new value is a rename; two are a removal and an addition each", () => {
    const e = (values: string[]) => ({ inputSchema: obj({ units: { type: "string", enum: values } }) });
    expect(diffToolSchemas(e(["metric", "imperial"]), e(["metric", "uk"]))).toEqual([
      expect.objectContaining({ rule: "request-enum-value-renamed", rename: { from: "imperial", to: "uk" } }),
    ]);
    expect(rules(diffToolSchemas(e(["a", "b", "c"]), e(["a", "d", "e"])))).toEqual([
      "request-enum-value-removed",
      "request-enum-value-removed",
      "request-enum-value-added",
      "request-enum-value-added",
    ]);
  });

  it("a result field that may now be null is widened; the same change on an argument is not breaking", () => {
    const out = (t: unknown) => ({ inputSchema: obj({ t }), outputSchema: obj({ t }, ["t"]) });
    const changes = diffToolSchemas(out({ type: "number" }), out({ anyOf: [{ type: "number" }, { type: "null" }] }));
    expect(rules(changes)).toEqual(["request-type-widened", "response-type-widened"]);
    expect(changes[1]).toMatchObject({
      path: "/outputSchema/properties/t/type",
      field: ["t"],
      before: ["number"],
      after: ["null", "number"],
    });
  });

  it("integer -> number widens, number -> integer narrows, string -> number changes and stops there", () => {
    const arg = (schema: unknown) => ({ inputSchema: obj({ n: schema }) });
    expect(rules(diffToolSchemas(arg({ type: "integer" }), arg({ type: "number" })))).toEqual(["request-type-widened"]);
    expect(rules(diffToolSchemas(arg({ type: "number" }), arg({ type: "integer" })))).toEqual([
      "request-type-narrowed",
    ]);
    expect(rules(diffToolSchemas(arg({ type: "string", maxLength: 3 }), arg({ type: "number", maximum: 3 })))).toEqual([
      "request-type-changed",
    ]);
  });

  it("walks array items and additionalProperties maps with `*`", () => {
    const before = {
      inputSchema: {},
      outputSchema: obj({ daily: { type: "array", items: obj({ high: { type: "number" } }, ["high"]) } }),
    };
    const after = {
      inputSchema: {},
      outputSchema: obj({ daily: { type: "array", items: obj({ high: { type: "number" } }) } }),
    };
    expect(diffToolSchemas(before, after)).toEqual([
      expect.objectContaining({
        rule: "response-field-became-optional",
        field: ["daily", "*", "high"],
        path: "/outputSchema/properties/daily/items/properties/high",
      }),
    ]);
  });

  it("an outputSchema that goes away is breaking; one that appears is not", () => {
    expect(rules(diffToolSchemas({ inputSchema: {}, outputSchema: obj({}) }, { inputSchema: {} }))).toEqual([
      "output-schema-removed",
    ]);
    expect(rules(diffToolSchemas({ inputSchema: {} }, { inputSchema: {}, outputSchema: obj({}) }))).toEqual([
      "output-schema-added",
    ]);
  });

  it("equal schemas written differently have no changes", () => {
    const a = {
      inputSchema: { type: "object", properties: { a: { $ref: "#/$defs/A" } }, $defs: { A: { type: "string" } } },
    };
    const b = { inputSchema: { properties: { a: { type: ["string"] } }, type: "object" } };
    expect(diffToolSchemas(a, b)).toEqual([]);
  });
});

describe("diffTool", () => {
  const base = {
    name: "get_alerts",
    description: "Weather alerts.",
    inputSchema: obj({ state: { type: "string" } }, ["state"]),
  };

  it("a deprecation in the description is reported once, with the server's words", () => {
    const changes = diffTool(base, { ...base, description: "Deprecated: use list_alerts, which pages results." });
    expect(changes).toEqual([
      expect.objectContaining({
        rule: "tool-deprecated",
        path: "/description",
        text: "Deprecated: use list_alerts, which pages results.",
      }),
    ]);
  });

  it("_meta.deprecated and annotations; a changed description and destructiveHint are drift", () => {
    expect(deprecationOf({ ...base, _meta: { deprecated: "use list_alerts" } })).toEqual({
      path: "/_meta/deprecated",
      text: "use list_alerts",
    });
    const changes = diffTool(
      { ...base, annotations: { readOnlyHint: true } },
      {
        ...base,
        description: "Weather alerts, and deletes old ones.",
        annotations: { readOnlyHint: true, destructiveHint: true },
      },
    );
    expect(changes.map((c) => [c.rule, c.path])).toEqual([
      ["tool-description-changed", "/description"],
      ["tool-annotation-changed", "/annotations/destructiveHint"],
    ]);
  });

  it("_meta.version alone is not a change", () => {
    expect(diffTool({ ...base, _meta: { version: "1.0.0" } }, { ...base, _meta: { version: "1.1.0" } })).toEqual([]);
  });

  it("a removed tool is renamed when exactly one new tool has its shape", () => {
    const list = { ...base, name: "list_alerts", description: "Other words" };
    expect(
      findRenamedTool(base, [list, { ...base, name: "other", inputSchema: obj({}) }], new Set(["get_alerts"])),
    ).toEqual({
      renamed: list,
      similar: [],
    });
    expect(findRenamedTool(base, [list, { ...list, name: "list_alerts_v2" }], new Set()).renamed).toBeUndefined();
    expect(findRenamedTool(base, [list], new Set(["list_alerts"])).renamed).toBeUndefined();
  });
});
