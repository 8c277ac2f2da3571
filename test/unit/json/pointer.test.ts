import { describe, expect, it } from "vitest";
import {
  decodeFragment,
  escapePointerToken,
  isPlainObject,
  joinPointer,
  lineStarts,
  locateIn,
  nearestPosition,
  parseJsonWithPositions,
  positionAt,
  splitPointer,
  unescapePointerToken,
  valueAtPointer,
} from "../../../src/core/json/index.js";
import { displayPath } from "../../../src/core/paths.js";

describe("JSON pointers", () => {
  it("escapes and splits", () => {
    const pointer = joinPointer("/tools", "a/b", "c~d");
    expect(pointer).toBe("/tools/a~1b/c~0d");
    expect(splitPointer(pointer)).toEqual(["tools", "a/b", "c~d"]);
    expect(splitPointer("")).toEqual([]);
  });

  it("escapes pointer tokens per RFC 6901, ~ first", () => {
    expect(escapePointerToken("a/b~c")).toBe("a~1b~0c");
    expect(escapePointerToken("~1")).toBe("~01");
    expect(unescapePointerToken("~01")).toBe("~1");
    expect(escapePointerToken(3)).toBe("3");
  });

  it("finds the value a pointer names, or the first token that is missing", () => {
    const root = { $defs: { "a/b": [{ x: 1 }] }, list: [0] };
    expect(valueAtPointer(root, "/$defs/a~1b/0/x")).toEqual({ found: true, value: 1 });
    expect(valueAtPointer(root, "")).toEqual({ found: true, value: root });
    expect(valueAtPointer(root, "/$defs/nope/x")).toEqual({ found: false, missing: "nope" });
    expect(valueAtPointer(root, "/list/1")).toEqual({ found: false, missing: "1" });
    expect(valueAtPointer(root, "/list/00")).toEqual({ found: false, missing: "00" });
    // Inherited members are not members of the document.
    expect(valueAtPointer(root, "/constructor")).toEqual({ found: false, missing: "constructor" });
  });

  it("decodes a URI fragment, leaving a malformed escape as written", () => {
    expect(decodeFragment("#/$defs/a%20b")).toBe("/$defs/a b");
    expect(decodeFragment("#/a%zz")).toBe("/a%zz");
  });
});

describe("positions", () => {
  it("maps offsets to 1-based line and column", () => {
    const starts = lineStarts("ab\ncd\n\nx");
    expect(starts).toEqual([0, 3, 6, 7]);
    expect(positionAt(starts, 0)).toEqual({ line: 1, column: 1, offset: 0 });
    expect(positionAt(starts, 4)).toEqual({ line: 2, column: 2, offset: 4 });
    expect(positionAt(starts, 7)).toEqual({ line: 4, column: 1, offset: 7 });
  });

  it("locates a key, a value, or the nearest ancestor of a missing member", () => {
    const parsed = parseJsonWithPositions('{\n  "a": {\n    "b": 1\n  }\n}');
    if (!parsed.ok) throw new Error("expected JSON");
    expect(locateIn(parsed, "/a/b", "key")).toMatchObject({ line: 3, column: 5 });
    expect(locateIn(parsed, "/a/b")).toMatchObject({ line: 3, column: 10 });
    expect(locateIn(parsed, "/a/missing", "key")).toMatchObject({ line: 2, column: 8 });
    expect(nearestPosition("/x/y", new Map())).toEqual({ line: 1, column: 1, offset: 0 });
  });
});

describe("isPlainObject and displayPath", () => {
  it("tells objects from arrays and null", () => {
    expect([{}, [], null, "x"].map(isPlainObject)).toEqual([true, false, false, false]);
  });

  it("shows paths below cwd relative to it, others as given", () => {
    expect(displayPath("/p/skills/a", "/p")).toBe("skills/a");
    expect(displayPath("/p", "/p")).toBe("/p");
    expect(displayPath("/q/a", "/p")).toBe("/q/a");
    expect(displayPath("rel/a", "/p")).toBe("rel/a");
  });
});
