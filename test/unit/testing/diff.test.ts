import { describe, expect, it } from "vitest";
import { renderCallDiff, renderDiff } from "../../../src/core/testing/diff.js";

describe("renderDiff", () => {
  it("is empty for equal values", () => {
    expect(renderDiff({ a: 1 }, { a: 1 })).toBe("");
  });

  it("marks expected lines with - and actual lines with +", () => {
    const text = renderDiff({ count: 3, name: "x" }, { count: 4, name: "x" });
    expect(text.split("\n")).toEqual([
      "- expected",
      "+ actual",
      "",
      "  {",
      '-   "count": 3,',
      '+   "count": 4,',
      '    "name": "x"',
      "  }",
    ]);
  });

  it("keeps three lines of context and elides the rest", () => {
    const expected = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    const actual = { ...expected, k10: "changed" };
    const lines = renderDiff(expected, actual).split("\n");
    expect(lines).toContain('-   "k10": 10,');
    expect(lines).toContain('+   "k10": "changed",');
    expect(lines).toContain("  …");
    expect(lines.filter((l) => l.startsWith("    ")).length).toBe(6);
  });

  it("renders a missing side as (nothing)", () => {
    expect(renderDiff(undefined, 1)).toContain("- (nothing)");
  });

  it("cuts very long inputs", () => {
    const big = Array.from({ length: 2000 }, (_, i) => i);
    expect(renderDiff(big, [])).toContain("more lines");
  });
});

describe("renderCallDiff", () => {
  it("shows tool and argument differences", () => {
    const text = renderCallDiff(
      { server: "fs", tool: "read", arguments: { path: "a.txt" } },
      { server: "fs", tool: "read", arguments: { path: "b.txt" } },
    );
    expect(text).toContain("- expected call (cassette)");
    expect(text).toContain('-     "path": "a.txt"');
    expect(text).toContain('+     "path": "b.txt"');
  });
  it("shows an extra call against nothing", () => {
    const text = renderCallDiff(undefined, { server: "fs", tool: "read", arguments: {} });
    expect(text).toContain("- (nothing)");
    expect(text).toContain('+   "tool": "fs/read"');
  });
});
