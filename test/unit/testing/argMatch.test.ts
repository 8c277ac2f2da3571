import { describe, expect, it } from "vitest";
import { argsMatch, stripIgnored } from "../../../src/core/testing/argMatch.js";

describe("argsMatch", () => {
  it.each([
    [{ path: "a" }, { path: "a" }, {}, true],
    [{ path: "a" }, { path: "b" }, {}, false],
    [{ path: "a" }, { path: "a", extra: 1 }, {}, false],
    [{ path: "a", at: 1 }, { path: "a", at: 2 }, { ignore: ["at"] }, true],
    [{ q: { at: 1, x: 1 } }, { q: { at: 2, x: 1 } }, { ignore: ["at"] }, true],
    [{ q: { at: 1 }, at: 1 }, { q: { at: 2 }, at: 3 }, { ignore: ["q.at"] }, false],
    [{ q: { at: 1 }, at: 1 }, { q: { at: 2 }, at: 1 }, { ignore: ["q.at"] }, true],
    [{ list: [{ ts: 1, v: 1 }] }, { list: [{ ts: 2, v: 1 }] }, { ignore: ["ts"] }, true],
    [{ token: "[REDACTED:config]" }, { token: "anything" }, {}, true],
    [{ token: "[REDACTED:config]", p: 1 }, { token: "x", p: 2 }, {}, false],
  ])("argsMatch(%j, %j, %j) = %s", (expected, actual, rules, want) => {
    expect(argsMatch(expected, actual, rules)).toBe(want);
  });

  it("strips ignored fields for diffs", () => {
    expect(stripIgnored({ a: 1, b: { a: 2, c: 3 } }, ["a"])).toEqual({ b: { c: 3 } });
  });
});
