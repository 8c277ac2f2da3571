import { describe, expect, it } from "vitest";
import { escapePointerToken, parseJsonWithPositions } from "../../../src/mcp/config/jsonPositions.js";

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

  it("escapes pointer tokens per RFC 6901", () => {
    expect(escapePointerToken("a/b~c")).toBe("a~1b~0c");
  });
});
