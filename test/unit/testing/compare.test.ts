import { describe, expect, it } from "vitest";
import { deepEqual, findSubsetMismatch, projectOnto } from "../../../src/core/testing/compare.js";
import { canonicalJson, schemaFingerprint } from "../../../src/core/testing/fingerprint.js";

describe("deepEqual", () => {
  it.each([
    [1, 1, true],
    [1, "1", false],
    [null, null, true],
    [null, undefined, false],
    [[1, 2], [1, 2], true],
    [[1, 2], [2, 1], false],
    [[1], [1, 1], false],
    [{ a: 1, b: [1] }, { b: [1], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: undefined }, {}, true],
    [{ a: {} }, { a: [] }, false],
    [Number.NaN, Number.NaN, true],
  ])("deepEqual(%j, %j) = %s", (a, b, want) => {
    expect(deepEqual(a, b)).toBe(want);
  });
});

describe("findSubsetMismatch", () => {
  it.each([
    [{ a: 1 }, { a: 1, b: 2 }, null],
    [{ a: { b: 1 } }, { a: { b: 1, c: 2 } }, null],
    [{ a: 2 }, { a: 1 }, "/a"],
    [{ a: { b: 1 } }, { a: { c: 1 } }, "/a/b"],
    [{ a: [{ x: 1 }] }, { a: [{ x: 1, y: 2 }] }, null],
    [{ a: [{ x: 1 }] }, { a: [{ x: 1 }, { x: 2 }] }, "/a"],
    [{ a: [1, 2] }, { a: [1, 3] }, "/a/1"],
    [{ "a/b": 1 }, {}, "/a~1b"],
    [[], [], null],
    ["x", "x", null],
    [{ a: 1 }, [1], ""],
  ])("findSubsetMismatch(%j, %j) = %j", (expected, actual, want) => {
    expect(findSubsetMismatch(expected, actual)).toBe(want);
  });

  it("projects the actual value onto the keys the expectation names", () => {
    expect(projectOnto({ a: 1, c: { d: 1 } }, { a: 2, b: 3, c: { d: 1, e: 5 } })).toEqual({ a: 2, c: { d: 1 } });
  });
});

describe("fingerprint", () => {
  it("canonical JSON sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });
  it.each([
    // what JSON.stringify does with undefined: null inside arrays and at the top, dropped as a member
    [undefined, "null"],
    [[1, undefined, null], "[1,null,null]"],
    [{ a: undefined }, "{}"],
    [[], "[]"],
    [{}, "{}"],
    // keys sort as strings, integer-like ones too ("10" before "9"), and are escaped
    [{ 9: "a", 10: "b", b: 1 }, '{"10":"b","9":"a","b":1}'],
    [{ 'q"uote': "line\nbreak", é: "ü" }, '{"q\\"uote":"line\\nbreak","é":"ü"}'],
    [{ n: -0.5, t: true, z: null }, '{"n":-0.5,"t":true,"z":null}'],
  ])("canonical JSON of %j is %s", (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });
  it("is stable under key order and changes when a schema changes", () => {
    const a = schemaFingerprint({ inputSchema: { type: "object", properties: { p: { type: "string" } } } });
    const b = schemaFingerprint({ inputSchema: { properties: { p: { type: "string" } }, type: "object" } });
    const c = schemaFingerprint({ inputSchema: { type: "object", properties: { p: { type: "number" } } } });
    const d = schemaFingerprint({
      inputSchema: { type: "object", properties: { p: { type: "string" } } },
      outputSchema: { type: "object" },
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).not.toBe(d);
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
