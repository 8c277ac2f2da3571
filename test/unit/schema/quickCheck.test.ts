/**
 * The check without compiling (src/core/schema/quickCheck.ts) against ajv itself: on thousands of generated schemas
 * and values, whatever the quick check calls valid, ajv (with the skillInput profile's options) calls valid too, with
 * the same defaults filled in; and through the factory, a value that fails gets ajv's own errors.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { quickCheck, quickCheckable } from "../../../src/core/schema/quickCheck.js";
import { schemaValidator } from "../../../src/core/schema/index.js";

const require = createRequire(import.meta.url);
const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
const addFormats = require("ajv-formats") as unknown as (ajv: unknown) => void;

/** The skillInput profile's ajv: every error, defaults, formats, not strict (src/core/schema/ajv.ts). */
const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, useDefaults: true, validateFormats: true });
addFormats(ajv);
const { Ajv: AjvDraft07 } = require("ajv") as typeof import("ajv");
const draft07 = new AjvDraft07({ strict: false, validateFormats: true });
addFormats(draft07);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown> | boolean;

/** A small seeded generator (mulberry32): the same cases on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => next() < p;
  return { int, pick, chance };
}

type Random = ReturnType<typeof random>;
const KEYS = ["a", "b", "c", "name", "count", "tags"];
const STRINGS = ["", "a", "abc", "ABC", "a1", "héllo", "😀😀", "x".repeat(12), "2024-01-01"];
const PATTERNS = ["^[a-z]+$", "^a", "\\d", "^.{2,4}$", "\\p{L}+", "^$"];

function scalar(r: Random): Json {
  switch (r.int(6)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.int(21) - 5;
    case 3:
      return r.pick([0.5, -1.5, 3.25, 1e3]);
    default:
      return r.pick(STRINGS);
  }
}

function json(r: Random, depth: number): Json {
  if (depth <= 0 || r.chance(0.5)) return scalar(r);
  if (r.chance(0.5)) return Array.from({ length: r.int(4) }, () => json(r, depth - 1));
  const out: { [key: string]: Json } = {};
  for (let i = r.int(4); i > 0; i--) out[r.pick(KEYS)] = json(r, depth - 1);
  return out;
}

function schema(r: Random, depth: number): Schema {
  if (r.chance(0.05)) return r.chance(0.7);
  const out: Record<string, unknown> = {};
  const type = r.pick(["string", "number", "integer", "boolean", "null", "array", "object", undefined, "multi"]);
  if (type === "multi") out.type = [r.pick(["string", "number"]), r.pick(["null", "integer", "object"])];
  else if (type) out.type = type;
  if (r.chance(0.2)) out.description = "a field";
  if (r.chance(0.1)) {
    const options = Array.from({ length: 1 + r.int(3) }, () => json(r, 1));
    out.enum = options.filter((o, i) => options.findIndex((p) => JSON.stringify(p) === JSON.stringify(o)) === i);
  }
  if (r.chance(0.05)) out.const = json(r, 1);
  if (r.chance(0.3)) out.minimum = r.int(6) - 2;
  if (r.chance(0.2)) out.maximum = r.int(10);
  if (r.chance(0.1)) out.exclusiveMinimum = r.int(4);
  if (r.chance(0.1)) out.exclusiveMaximum = 2 + r.int(6);
  if (r.chance(0.3)) out.minLength = r.int(4);
  if (r.chance(0.2)) out.maxLength = r.int(6);
  if (r.chance(0.3)) out.pattern = r.pick(PATTERNS);
  if (depth > 0 && r.chance(0.5)) out.items = schema(r, depth - 1);
  if (r.chance(0.2)) out.minItems = r.int(3);
  if (r.chance(0.2)) out.maxItems = r.int(4);
  if (r.chance(0.2)) out.uniqueItems = r.chance(0.7);
  if (depth > 0 && r.chance(0.6)) {
    const properties: Record<string, unknown> = {};
    for (let i = r.int(4); i > 0; i--) {
      const sub = schema(r, depth - 1);
      if (typeof sub === "object" && r.chance(0.3)) sub.default = json(r, 1);
      properties[r.pick(KEYS)] = sub;
    }
    out.properties = properties;
  }
  if (r.chance(0.4)) out.required = [...new Set(Array.from({ length: 1 + r.int(2) }, () => r.pick(KEYS)))];
  if (depth > 0 && r.chance(0.3)) out.additionalProperties = r.chance(0.5) ? r.chance(0.5) : schema(r, depth - 1);
  if (r.chance(0.1)) out.minProperties = r.int(3);
  if (r.chance(0.1)) out.maxProperties = r.int(4);
  return out;
}

describe("quickCheck against ajv", () => {
  it("never calls valid what ajv refuses, and fills in the defaults ajv fills in", () => {
    const r = random(17);
    let sure = 0;
    let refused = 0;
    for (let n = 0; n < 600; n++) {
      const s = schema(r, 3);
      expect(quickCheckable(s)).toBe(true);
      // what the subset holds is valid against the meta-schema of either dialect (metaSchemaErrors skips ajv for it)
      expect(ajv.validateSchema(s)).toBe(true);
      expect(draft07.validateSchema(s)).toBe(true);
      const compiled = ajv.compile(structuredClone(s));
      for (let k = 0; k < 12; k++) {
        const value = json(r, 3);
        const forAjv = structuredClone(value);
        const forQuick = structuredClone(value);
        const ajvValid = compiled(forAjv);
        const quick = quickCheck(s, forQuick, true);
        if (!ajvValid) refused++;
        if (quick !== true) continue;
        sure++;
        expect({ schema: s, value, valid: ajvValid }).toEqual({ schema: s, value, valid: true });
        expect(forQuick).toEqual(forAjv);
      }
    }
    // both answers occur often enough for the comparison to mean something
    expect(sure).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(3000);
  });

  it("answers for the schemas skills' inputs usually have", () => {
    const input = {
      type: "object",
      properties: {
        path: { type: "string", minLength: 1, description: "where" },
        limit: { type: "integer", minimum: 1, maximum: 100, default: 10 },
        kinds: { type: "array", items: { enum: ["file", "dir"] }, uniqueItems: true },
      },
      required: ["path"],
      additionalProperties: false,
    };
    const value: Record<string, unknown> = { path: "src", kinds: ["file"] };
    expect(quickCheck(input, value, true)).toBe(true);
    expect(value).toEqual({ path: "src", kinds: ["file"], limit: 10 });
    expect(quickCheck(input, { path: "" }, true)).toBeUndefined();
    expect(quickCheck(input, { path: "a", extra: 1 }, true)).toBeUndefined();
    expect(quickCheck(input, { path: "a", kinds: ["file", "file"] }, true)).toBeUndefined();
  });

  it("leaves what it does not know to ajv: other keywords, numbers JSON has not, patterns ajv refuses", () => {
    expect(quickCheckable({ type: "string", format: "email" })).toBe(false);
    expect(quickCheckable({ anyOf: [{ type: "string" }] })).toBe(false);
    expect(quickCheckable({ $ref: "#/$defs/a", $defs: { a: {} } })).toBe(false);
    expect(quickCheckable({ properties: { a: { $id: "x" } } })).toBe(false);
    expect(quickCheckable({ type: "strin" })).toBe(false);
    expect(quickCheckable({ type: ["string", "string"] })).toBe(false);
    expect(quickCheckable({ required: ["a", "a"] })).toBe(false);
    expect(quickCheckable({ enum: [] })).toBe(false);
    expect(quickCheckable({ enum: [{ a: 1 }, { a: 1 }] })).toBe(false);
    expect(quickCheckable({ minLength: -1 })).toBe(false);
    expect(quickCheckable({ minLength: 1.5 })).toBe(false);
    expect(quickCheckable({ pattern: "(" })).toBe(false);
    expect(quickCheckable({ pattern: "a\\Z" })).toBe(false);
    expect(quickCheckable({ pattern: "\\-" })).toBe(false); // valid without "u", refused with it
    expect(quickCheckable({ properties: JSON.parse('{"__proto__": {"type": "string"}}') })).toBe(false);
    expect(quickCheckable({ $schema: "http://json-schema.org/draft-07/schema#", type: "number" })).toBe(true);
    expect(quickCheckable({ $id: "https://x.test/s#", type: "number" })).toBe(true);
    expect(quickCheckable({ $id: "https://x.test/s#frag", type: "number" })).toBe(false);
    expect(quickCheck({ type: "number" }, Number.POSITIVE_INFINITY, true)).toBeUndefined();
    expect(quickCheck({ type: "number" }, Number.NaN, true)).toBeUndefined();
    expect(quickCheck({ type: "object" }, new Date(), true)).toBeUndefined();
    expect(quickCheck({}, () => 1, true)).toBeUndefined();
  });

  it("counts characters as ajv does (a surrogate pair is one)", () => {
    expect(quickCheck({ maxLength: 2 }, "😀😀", true)).toBe(true);
    expect(ajv.validate({ maxLength: 2 }, "😀😀")).toBe(true);
    expect(quickCheck({ maxLength: 1 }, "😀😀", true)).toBeUndefined();
  });
});

describe("the factory with the quick check", () => {
  const input = {
    type: "object",
    properties: { n: { type: "integer", minimum: 0 }, label: { type: "string", default: "x" } },
    required: ["n"],
  };

  it("gives ajv's errors for a value that fails, and defaults for one that passes", () => {
    const validator = schemaValidator("skillInput", structuredClone(input));
    const good: Record<string, unknown> = { n: 1 };
    expect(validator.validate(good)).toEqual([]);
    expect(good).toEqual({ n: 1, label: "x" });
    const errors = validator.validate({ n: -1 });
    const compiled = ajv.compile(structuredClone(input));
    compiled({ n: -1 });
    expect(errors.map((e) => [e.pointer, e.keyword, e.message])).toEqual(
      (compiled.errors ?? []).map((e) => [e.instancePath, e.keyword, e.message]),
    );
    // after ajv has been asked once, a valid value still passes
    expect(validator.validate({ n: 2 })).toEqual([]);
  });

  it("still refuses a schema ajv cannot compile when it is made, not when it is first used", () => {
    expect(() => schemaValidator("skillInput", { type: "strin" })).toThrow();
    expect(() => schemaValidator("testExpectation", { type: "object", minProperties: -1 })).toThrow();
  });
});
