import { describe, expect, it } from "vitest";
import { evaluateExpectations, parseSlashRegex, type RunOutcome } from "../../../src/core/testing/matchers.js";
import type { Expectation } from "../../../src/core/testing/types.js";

const ok = (result: unknown, extra: Partial<RunOutcome> = {}): RunOutcome => ({
  ok: true,
  result,
  toolCalls: 2,
  durationMs: 50,
  ...extra,
});
const failed = (code: string, message: string): RunOutcome => ({
  ok: false,
  error: { code, message },
  toolCalls: 0,
  durationMs: 5,
});
const result = {
  files: [
    { name: "a.txt", size: 10 },
    { name: "b.py", size: 20 },
  ],
  total: 30,
  note: "done in 3 steps",
};

function kinds(expect: Expectation | undefined, outcome: RunOutcome): string[] {
  return evaluateExpectations(expect, outcome).map((f) => f.kind);
}

describe("evaluateExpectations", () => {
  it.each<[string, Expectation | undefined, RunOutcome, string[]]>([
    ["no expectations, run ok", undefined, ok(1), []],
    ["no expectations, run failed", undefined, failed("PROGRAM_ERROR", "boom"), ["run"]],
    ["equals pass", { equals: result }, ok(result), []],
    ["equals fail", { equals: { total: 30 } }, ok(result), ["equals"]],
    ["subset pass", { subset: { total: 30, files: [{ name: "a.txt" }, {}] } }, ok(result), []],
    ["subset fail", { subset: { total: 31 } }, ok(result), ["subset"]],
    ["schema pass", { schema: { type: "object", required: ["total"] } }, ok(result), []],
    ["schema fail", { schema: { type: "object", required: ["missing"] } }, ok(result), ["schema"]],
    ["schema invalid", { schema: { type: "nonsense" } }, ok(result), ["schema"]],
    ["match value", { match: { "$.files[1].name": "b.py" } }, ok(result), []],
    ["match value fail", { match: { "$.files[1].name": "c.py" } }, ok(result), ["match"]],
    ["match wildcard as list", { match: { "$.files[*].size": [10, 20] } }, ok(result), []],
    ["match regex", { match: { "$.note": { regex: "^done in \\d+ steps$" } } }, ok(result), []],
    ["match regex every node", { match: { "$.files[*].name": { regex: "\\.txt$" } } }, ok(result), ["match"]],
    ["match regex on a number", { match: { "$.total": { regex: "^3\\d$" } } }, ok(result), []],
    ["match regex flags", { match: { "$.note": { regex: "DONE", flags: "i" } } }, ok(result), []],
    ["match selects nothing", { match: { "$.nope": 1 } }, ok(result), ["match"]],
    ["match bad path", { match: { "$.files[?(@)]": 1 } }, ok(result), ["match"]],
    ["error expected, got success", { error: {} }, ok(result), ["error"]],
    ["error any", { error: {} }, failed("PROGRAM_ERROR", "x"), []],
    ["error code", { error: { code: "TIMEOUT" } }, failed("TIMEOUT", "timed out"), []],
    ["error code mismatch", { error: { code: "TIMEOUT" } }, failed("PROGRAM_ERROR", "x"), ["error"]],
    [
      "error message substring",
      { error: { message: "not found" } },
      failed("PROGRAM_ERROR", "ToolError: file not found: x"),
      [],
    ],
    ["error message regex", { error: { message: "/not\\s+FOUND/i" } }, failed("PROGRAM_ERROR", "file not found"), []],
    ["error message mismatch", { error: { message: "denied" } }, failed("PROGRAM_ERROR", "file not found"), ["error"]],
    ["maxToolCalls pass", { maxToolCalls: 2 }, ok(1), []],
    ["maxToolCalls fail", { maxToolCalls: 1 }, ok(1), ["maxToolCalls"]],
    ["maxMs pass", { maxMs: 50 }, ok(1), []],
    ["maxMs fail", { maxMs: 10 }, ok(1), ["maxMs"]],
    ["failed run skips result matchers", { subset: { a: 1 } }, failed("PROGRAM_ERROR", "x"), ["run"]],
    ["several failures", { equals: 2, maxToolCalls: 0 }, ok(1), ["equals", "maxToolCalls"]],
  ])("%s", (_name, expectation, outcome, want) => {
    expect(kinds(expectation, outcome)).toEqual(want);
  });

  it("explains a subset failure with a diff limited to the named keys", () => {
    const [failure] = evaluateExpectations({ subset: { total: 31 } }, ok(result));
    expect(failure?.message).toContain("/total");
    expect(failure?.diff).toContain('-   "total": 31');
    expect(failure?.diff).toContain('+   "total": 30');
    expect(failure?.diff).not.toContain("files");
  });

  it("names the run error when a run fails unexpectedly", () => {
    const [failure] = evaluateExpectations(undefined, failed("TIMEOUT", "timed out after 100 ms"));
    expect(failure?.message).toBe("run failed: TIMEOUT: timed out after 100 ms");
  });

  it("parses /regex/flags and leaves other text alone", () => {
    expect(parseSlashRegex("/a.c/i")?.test("ABC")).toBe(true);
    expect(parseSlashRegex("plain")).toBeNull();
    expect(() => parseSlashRegex("/(/")).toThrow();
  });
});
