import { describe, expect, it } from "vitest";
import { parseJsonWithPositions } from "../../../src/core/json/index.js";

describe("parseJsonWithPositions", () => {
  it("parses what JSON.parse parses and remembers where each value starts", () => {
    const text = '{\n  "a": [1, {"b": "x"}],\n  "c/d": null,\n  "e~f": -1.5e3,\n  "u": "\\u00e9\\n"\n}';
    const result = parseJsonWithPositions(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual(JSON.parse(text));
    expect(result.positions.get("")).toMatchObject({ line: 1, column: 1 });
    expect(result.positions.get("/a")).toMatchObject({ line: 2, column: 8 });
    expect(result.positions.get("/a/1/b")).toMatchObject({ line: 2, column: 18 });
    expect(result.positions.get("/c~1d")).toMatchObject({ line: 3, column: 10 });
    expect(result.positions.get("/e~0f")).toMatchObject({ line: 4, column: 10 });
  });

  it("keeps __proto__ as a plain key", () => {
    const result = parseJsonWithPositions('{"__proto__": {"x": 1}}');
    expect(result.ok && Object.keys(result.value as object)).toEqual(["__proto__"]);
    expect(({} as { x?: number }).x).toBeUndefined();
  });

  it("accepts a byte order mark", () => {
    expect(parseJsonWithPositions('\ufeff{"a": true}').ok).toBe(true);
  });

  const bad: [string, string, number, number][] = [
    ['{"a": 1,}', "trailing comma before '}'", 1, 9],
    ["[1, 2,]", "trailing comma before ']'", 1, 7],
    ["{\n  a: 1\n}", "expected a property name in double quotes", 2, 3],
    ['{"a" 1}', "expected ':' after property name", 1, 6],
    ['{"a": 1 "b": 2}', "expected ',' or '}'", 1, 9],
    ['{"a": tru}', "expected a value", 1, 7],
    ['{"a": "x', "unterminated string", 1, 7],
    ['{"a": "\\x"}', "invalid escape", 1, 8],
    ['{"a": "line\nbreak"}', "control character", 1, 12],
    ['{"a": 1} x', "after the end of the document", 1, 10],
    ["", "unexpected end of file", 1, 1],
    ["// comment\n{}", "expected a value", 1, 1],
    ['{"a": 01}', "expected ',' or '}'", 1, 8],
    ["[1 2]", "expected ',' or ']'", 1, 4],
  ];
  it.each(bad)("rejects %j: %s at %i:%i", (text, message, line, column) => {
    const result = parseJsonWithPositions(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(message);
    expect(result.position).toMatchObject({ line, column });
  });

  it("remembers where each key starts", () => {
    const result = parseJsonWithPositions('{\n  "a": {"b/c": 1}\n}');
    expect(result.ok && result.keyPositions.get("/a")).toMatchObject({ line: 2, column: 3 });
    expect(result.ok && result.keyPositions.get("/a/b~1c")).toMatchObject({ line: 2, column: 9 });
  });

  // The offsets where cassettes, skills.config.json and --input report a syntax error (the readers they had before
  // used this table): an unterminated string is reported where it opens, a bad escape at its backslash.
  it.each([
    ['{"a": 1}', null],
    ['[1, 2.5e3, -0, true, false, null, "x\\u00e9\\n"]', null],
    ['{\n  "a": [,]\n}', 10],
    ['{"a" 1}', 5],
    ['{"a": 1,}', 8],
    ["[1 2]", 3],
    ['"abc', 0],
    ["{} x", 3],
    ["", 0],
    ["{'a': 1}", 1],
    ["[01]", 2],
    ['"\\x"', 1],
  ])("%j fails at offset %j", (text, offset) => {
    const result = parseJsonWithPositions(text);
    expect(result.ok ? null : result.position.offset).toBe(offset);
  });
});
