import { describe, expect, it } from "vitest";
import { isDefinite, parseJsonPath, queryJsonPath } from "../../../src/core/testing/jsonPath.js";

const doc = {
  files: [
    { name: "a.txt", size: 10, meta: { name: "inner" } },
    { name: "b.py", size: 20 },
  ],
  "odd key": { x: 1 },
  total: 30,
};

describe("queryJsonPath", () => {
  it.each([
    ["$", [doc]],
    ["$.total", [30]],
    ["$.files[0].name", ["a.txt"]],
    ["$.files[-1].size", [20]],
    ["$.files[*].size", [10, 20]],
    ["$.files[5]", []],
    ["$['odd key'].x", [1]],
    ['$["odd key"]["x"]', [1]],
    ["$..name", ["a.txt", "inner", "b.py"]],
    ["$.total.nope", []],
    ["$.*", [doc.files, doc["odd key"], 30]],
  ])("%s", (path, want) => {
    expect(queryJsonPath(doc, path)).toEqual(want);
  });

  it.each([["files"], ["$.files[?(@.size>1)]"], ["$.files[0:1]"], ["$."], ["$..[0]"], ["$ x"]])(
    "rejects %s with a clear error",
    (path) => {
      expect(() => parseJsonPath(path)).toThrow(/JSONPath|expected|unsupported|unexpected/);
    },
  );

  it("knows definite paths", () => {
    expect(isDefinite(parseJsonPath("$.a[0]['b']"))).toBe(true);
    expect(isDefinite(parseJsonPath("$.a[*]"))).toBe(false);
    expect(isDefinite(parseJsonPath("$..a"))).toBe(false);
  });
});
