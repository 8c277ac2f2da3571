/**
 * The keyword x change table: every JSON Schema keyword, added, removed, tightened and loosened, on both sides, is
 * either classified (and the diff really gives that rule on an example) or waived with a reason.
 */
import { describe, expect, it } from "vitest";
import { type KeywordChange, KEYWORDS } from "../../../src/core/compat/keywords.js";
import { diffToolSchemas } from "../../../src/core/compat/diffSchema.js";
import { isRuleId } from "../../../src/core/compat/rules.js";

/** JSON Schema 2020-12 (core, applicator, unevaluated, validation, meta-data, format, content), plus draft-07 and
 * OpenAPI words that MCP servers still emit. */
const ALL_KEYWORDS = [
  "$schema",
  "$id",
  "$ref",
  "$anchor",
  "$dynamicRef",
  "$dynamicAnchor",
  "$vocabulary",
  "$comment",
  "$defs",
  "prefixItems",
  "items",
  "contains",
  "additionalProperties",
  "properties",
  "patternProperties",
  "dependentSchemas",
  "propertyNames",
  "if",
  "then",
  "else",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "unevaluatedItems",
  "unevaluatedProperties",
  "type",
  "const",
  "enum",
  "multipleOf",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxContains",
  "minContains",
  "maxProperties",
  "minProperties",
  "required",
  "dependentRequired",
  "title",
  "description",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "examples",
  "format",
  "contentEncoding",
  "contentMediaType",
  "contentSchema",
  "definitions",
  "dependencies",
  "additionalItems",
  "nullable",
];
const CHANGES: KeywordChange[] = ["added", "removed", "tightened", "loosened"];
type Pair = [Record<string, unknown>, Record<string, unknown>];

const X = { type: "object", properties: { a: { type: "string" } }, required: ["a"] };
const Y = { type: "object", properties: { b: { type: "number" } }, required: ["b"] };
const Z = { type: "object", properties: { c: { type: "boolean" } }, required: ["c"] };

function bound(
  base: Record<string, unknown>,
  keyword: string,
  kind: "upper" | "lower" | "divisor",
): Record<KeywordChange, Pair> {
  const [small, large] = kind === "divisor" ? [2, 4] : [5, 10];
  const v = (n: number) => ({ ...base, [keyword]: n });
  return {
    added: [base, v(large)],
    removed: [v(large), base],
    tightened:
      kind === "lower" ? [v(small), v(large)] : kind === "divisor" ? [v(small), v(large)] : [v(large), v(small)],
    loosened:
      kind === "lower" ? [v(large), v(small)] : kind === "divisor" ? [v(large), v(small)] : [v(small), v(large)],
  };
}

function valued(base: Record<string, unknown>, keyword: string, a: unknown, b: unknown): Record<KeywordChange, Pair> {
  return {
    added: [base, { ...base, [keyword]: a }],
    removed: [{ ...base, [keyword]: a }, base],
    tightened: [
      { ...base, [keyword]: a },
      { ...base, [keyword]: b },
    ],
    loosened: [
      { ...base, [keyword]: b },
      { ...base, [keyword]: a },
    ],
  };
}

const str = { type: "string" };
const num = { type: "number" };
const arr = { type: "array" };
const obj = { type: "object", properties: { y: { type: "string" } } };

const EXAMPLES: Record<string, Partial<Record<KeywordChange, Pair>>> = {
  type: {
    added: [{}, str],
    removed: [str, {}],
    tightened: [{ type: ["number", "string"] }, str],
    loosened: [str, { type: ["number", "string"] }],
  },
  enum: {
    added: [str, { ...str, enum: ["a", "b"] }],
    removed: [{ ...str, enum: ["a", "b"] }, str],
    tightened: [
      { ...str, enum: ["a", "b", "c"] },
      { ...str, enum: ["a", "b"] },
    ],
    loosened: [
      { ...str, enum: ["a", "b"] },
      { ...str, enum: ["a", "b", "c"] },
    ],
  },
  const: {
    added: [str, { ...str, const: "a" }],
    removed: [{ ...str, const: "a" }, str],
    loosened: [
      { ...str, const: "a" },
      { ...str, enum: ["a", "b"] },
    ],
  },
  maximum: bound(num, "maximum", "upper"),
  exclusiveMaximum: bound(num, "exclusiveMaximum", "upper"),
  minimum: bound(num, "minimum", "lower"),
  exclusiveMinimum: bound(num, "exclusiveMinimum", "lower"),
  multipleOf: bound(num, "multipleOf", "divisor"),
  maxLength: bound(str, "maxLength", "upper"),
  minLength: bound(str, "minLength", "lower"),
  maxItems: bound(arr, "maxItems", "upper"),
  minItems: bound(arr, "minItems", "lower"),
  maxContains: bound({ ...arr, contains: str }, "maxContains", "upper"),
  minContains: bound({ ...arr, contains: str }, "minContains", "lower"),
  maxProperties: bound({ type: "object" }, "maxProperties", "upper"),
  minProperties: bound({ type: "object" }, "minProperties", "lower"),
  uniqueItems: {
    added: [arr, { ...arr, uniqueItems: true }],
    removed: [{ ...arr, uniqueItems: true }, arr],
    tightened: [
      { ...arr, uniqueItems: false },
      { ...arr, uniqueItems: true },
    ],
    loosened: [
      { ...arr, uniqueItems: true },
      { ...arr, uniqueItems: false },
    ],
  },
  pattern: valued(str, "pattern", "^[a-z]+$", "^[a-z]{1,3}$"),
  format: valued(str, "format", "email", "uri"),
  contentEncoding: valued(str, "contentEncoding", "base64", "base32"),
  contentMediaType: valued(str, "contentMediaType", "application/json", "text/plain"),
  dependentRequired: valued({ type: "object" }, "dependentRequired", { a: ["b"] }, { a: ["b", "c"] }),
  required: {
    added: [obj, { ...obj, required: ["y"] }],
    removed: [{ ...obj, required: ["y"] }, obj],
    tightened: [obj, { ...obj, required: ["y"] }],
    loosened: [{ ...obj, required: ["y"] }, obj],
  },
  properties: {
    added: [obj, { ...obj, properties: { ...obj.properties, z: { type: "integer" } } }],
    removed: [{ ...obj, properties: { ...obj.properties, z: { type: "integer" } } }, obj],
    tightened: [{ ...obj, properties: { ...obj.properties, z: { type: "integer" } } }, obj],
    loosened: [obj, { ...obj, properties: { ...obj.properties, z: { type: "integer" } } }],
  },
  additionalProperties: {
    added: [obj, { ...obj, additionalProperties: false }],
    removed: [{ ...obj, additionalProperties: false }, obj],
    tightened: [
      { ...obj, additionalProperties: true },
      { ...obj, additionalProperties: false },
    ],
    loosened: [
      { ...obj, additionalProperties: false },
      { ...obj, additionalProperties: true },
    ],
  },
  items: { added: [arr, { ...arr, items: str }], removed: [{ ...arr, items: str }, arr] },
  anyOf: {
    added: [X, { anyOf: [X, Y] }],
    removed: [{ anyOf: [X, Y] }, X],
    tightened: [{ anyOf: [X, Y, Z] }, { anyOf: [X, Y] }],
    loosened: [{ anyOf: [X, Y] }, { anyOf: [X, Y, Z] }],
  },
  allOf: valued(str, "allOf", [{ minLength: 1 }, { maxLength: 5 }], [{ minLength: 2 }, { maxLength: 5 }]),
  not: valued(str, "not", { enum: ["x"] }, { enum: ["x", "y"] }),
  if: valued({ type: "object" }, "if", { properties: { a: { const: 1 } } }, { properties: { a: { const: 2 } } }),
  // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword
  then: valued({ type: "object" }, "then", { required: ["a"] }, { required: ["a", "b"] }),
  else: valued({ type: "object" }, "else", { required: ["a"] }, { required: ["a", "b"] }),
  prefixItems: valued(arr, "prefixItems", [str], [num]),
  contains: valued(arr, "contains", str, num),
  patternProperties: valued({ type: "object" }, "patternProperties", { "^a": str }, { "^a": num }),
  propertyNames: valued({ type: "object" }, "propertyNames", { maxLength: 3 }, { maxLength: 2 }),
  dependentSchemas: valued(
    { type: "object" },
    "dependentSchemas",
    { a: { required: ["b"] } },
    { a: { required: ["c"] } },
  ),
  unevaluatedItems: valued(arr, "unevaluatedItems", false, true),
  unevaluatedProperties: valued({ type: "object" }, "unevaluatedProperties", false, true),
  contentSchema: valued(
    { ...str, contentMediaType: "application/json" },
    "contentSchema",
    { type: "object" },
    { type: "array" },
  ),
  dependencies: valued({ type: "object" }, "dependencies", { a: ["b"] }, { a: ["c"] }),
  default: valued(str, "default", "a", "b"),
  deprecated: {
    added: [str, { ...str, deprecated: true }],
    tightened: [
      { ...str, deprecated: false },
      { ...str, deprecated: true },
    ],
  },
  nullable: {
    added: [str, { ...str, nullable: true }],
    removed: [{ ...str, nullable: true }, str],
    tightened: [
      { ...str, nullable: true },
      { ...str, nullable: false },
    ],
    loosened: [
      { ...str, nullable: false },
      { ...str, nullable: true },
    ],
  },
};

/** The rules the diff gives when property `x` of the input (request) or output (response) goes from a to b. */
function rulesFor(side: "request" | "response", [a, b]: Pair): string[] {
  const wrap = (schema: Record<string, unknown>) => ({ type: "object", properties: { x: schema }, required: ["x"] });
  const before = side === "request" ? { inputSchema: wrap(a) } : { inputSchema: {}, outputSchema: wrap(a) };
  const after = side === "request" ? { inputSchema: wrap(b) } : { inputSchema: {}, outputSchema: wrap(b) };
  return diffToolSchemas(before, after).map((change) => change.rule);
}

describe("the keyword x change table", () => {
  it("lists every JSON Schema keyword", () => {
    expect(ALL_KEYWORDS.filter((keyword) => !(keyword in KEYWORDS))).toEqual([]);
    expect(Object.keys(KEYWORDS).filter((keyword) => !ALL_KEYWORDS.includes(keyword))).toEqual([]);
  });

  for (const [keyword, info] of Object.entries(KEYWORDS)) {
    for (const side of ["request", "response"] as const) {
      for (const change of CHANGES) {
        const cell = info[side][change];
        if (typeof cell === "string") {
          it(`${keyword} ${change} (${side}) is ${cell}`, () => {
            expect(isRuleId(cell)).toBe(true);
            const example = EXAMPLES[keyword]?.[change];
            expect(example, `an example for ${keyword} ${change}`).toBeDefined();
            expect(rulesFor(side, example!)).toContain(cell);
          });
        } else {
          it(`${keyword} ${change} (${side}) is waived: ${cell.waived}`, () => {
            expect(cell.waived.length).toBeGreaterThan(10);
            if (info.kind === "annotation") {
              const example: Pair = [str, { ...str, [keyword]: keyword === "examples" ? ["e"] : "changed" }];
              expect(rulesFor(side, example)).toEqual([]);
            }
          });
        }
      }
    }
  }
});
