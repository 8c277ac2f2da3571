import { describe, expect, it } from "vitest";
import { caseId, compileFilter } from "../../../src/core/testing/filter.js";
import { findDrift, lockFingerprints, lockTools } from "../../../src/core/testing/fingerprintCheck.js";
import { caseFailures } from "../../../src/core/testing/outcome.js";
import {
  type CaseResult,
  describeCase,
  skillStatus,
  summarize,
  summaryLine,
  toJunitXml,
} from "../../../src/core/testing/results.js";
import type { Cassette } from "../../../src/core/testing/types.js";

describe("--filter", () => {
  it.each([
    [undefined, "a/b", true],
    ["find", "find-todos/basic", true],
    ["basic", "find-todos/basic", true],
    ["nope", "find-todos/basic", false],
    ["find-*/basic", "find-todos/basic", true],
    ["find-*/basic", "find-todos/basic-2", false],
    ["*/b?sic", "x/basic", true],
    ["/^find.*fail/i", "find-todos/FAILING", true],
    ["/^todos/", "find-todos/basic", false],
    ["a.b", "axb/c", false],
  ])("%s selects %s: %s", (pattern, id, want) => {
    expect(compileFilter(pattern)(id)).toBe(want);
  });
  it("ids are skill/case", () => expect(caseId("s", "c")).toBe("s/c"));
  it("refuses a broken /regex/ with a usage error", () => {
    expect(() => compileFilter("/(/")).toThrow(
      expect.objectContaining({
        code: "INVALID_ARGUMENT",
        message: expect.stringMatching(/not a valid regular expression/),
      }),
    );
  });
});

describe("fingerprint drift", () => {
  const cassette = {
    tools: [
      { server: "fs", name: "read", fingerprint: "sha256:aaa" },
      { server: "fs", name: "list", fingerprint: "sha256:bbb" },
    ],
  } as unknown as Cassette;

  it.each([
    [{ tools: { "fs/read": { fingerprint: "sha256:aaa" } } }, [["fs/read", "sha256:aaa"]]],
    [{ dependencies: { "fs/read": { fingerprint: "sha256:x", version: "1" } } }, [["fs/read", "sha256:x"]]],
    [{ tools: [{ server: "fs", tool: "read", fingerprint: "sha256:y" }] }, [["fs/read", "sha256:y"]]],
    [
      {
        dependencies: [
          { server: "fs", name: "list", fingerprint: "sha256:z" },
          { key: "m/t", fingerprint: "f" },
        ],
      },
      [
        ["fs/list", "sha256:z"],
        ["m/t", "f"],
      ],
    ],
    [{ tools: { "fs/read": "nope" } }, []],
    [null, []],
  ])("reads lock shape %j", (lock, want) => {
    expect([...lockFingerprints(lock)]).toEqual(want);
  });

  it("reads pinned tool schemas from a lock file", () => {
    const inputSchema = { type: "object" };
    expect(
      lockTools({
        tools: {
          "fs/read": {
            fingerprint: "f",
            serverInfo: { name: "fs-server", version: "1.2.0" },
            inputSchema,
            outputSchema: { type: "string" },
          },
          "fs/nested": { serverVersion: "2.0.0", schema: { inputSchema } },
          "fs/no-schema": { fingerprint: "f" },
          noslash: { inputSchema },
        },
        dependencies: [{ server: "m", tool: "t", inputSchema, description: "d" }],
      }),
    ).toEqual([
      {
        server: "fs",
        serverInfo: { name: "fs-server", version: "1.2.0" },
        name: "read",
        inputSchema,
        outputSchema: { type: "string" },
      },
      { server: "fs", serverInfo: { name: "fs", version: "2.0.0" }, name: "nested", inputSchema },
      { server: "m", serverInfo: { name: "m", version: "0.0.0" }, name: "t", inputSchema, description: "d" },
    ]);
    expect(lockTools(undefined)).toEqual([]);
  });

  it("reports tools whose fingerprint differs, and only those", () => {
    const expected = new Map([
      ["fs/read", "sha256:aaa"],
      ["fs/list", "sha256:ccc"],
      ["fs/other", "sha256:ddd"],
    ]);
    expect(findDrift(cassette, expected, "tools.lock.json")).toEqual([
      { tool: "fs/list", recorded: "sha256:bbb", expected: "sha256:ccc", against: "tools.lock.json" },
    ]);
  });
});

describe("case failures", () => {
  const ok = { ok: true, result: { n: 1 }, toolCalls: 1, durationMs: 1 };
  it("puts replay mismatches first and hides the run failure they caused", () => {
    const failures = caseFailures(
      { name: "c", expect: { subset: { n: 1 } } },
      {
        ok: false,
        error: { code: "PROGRAM_ERROR", message: "ToolError: REPLAY_MISMATCH call #1 ..." },
        toolCalls: 1,
        durationMs: 1,
      },
      {
        mismatches: [{ call: 1, message: "call #1 differs", diff: "- a\n+ b" }],
        unused: [{ index: 0, server: "s", tool: "t", arguments: {} }],
      },
      [],
    );
    expect(failures.map((f) => f.kind)).toEqual(["replay"]);
  });
  it("does not repeat the mismatch as a failed error expectation", () => {
    const failures = caseFailures(
      { name: "c", expect: { error: { message: "ENOENT" } } },
      {
        ok: false,
        error: { code: "PROGRAM_ERROR", message: "ToolError: fs/read: call #1 to fs/read: arguments differ\n- a" },
        toolCalls: 1,
        durationMs: 1,
      },
      { mismatches: [{ call: 1, message: "call #1 to fs/read: arguments differ", diff: "- a\n+ b" }], unused: [] },
      [],
    );
    expect(failures.map((f) => f.kind)).toEqual(["replay"]);
  });

  it("keeps expectation failures that have nothing to do with the mismatch", () => {
    const failures = caseFailures(
      { name: "c", expect: { maxToolCalls: 0 } },
      { ok: true, result: 1, toolCalls: 2, durationMs: 1 },
      { mismatches: [{ call: 2, message: "call #2 differs", diff: "" }], unused: [] },
      [],
    );
    expect(failures.map((f) => f.kind)).toEqual(["replay", "maxToolCalls"]);
  });

  it("fails on unused calls unless allowUnused", () => {
    const replay = { mismatches: [], unused: [{ index: 1, server: "s", tool: "t", arguments: { a: 1 } }] };
    const failures = caseFailures({ name: "c" }, ok, replay, []);
    expect(failures).toEqual([
      {
        kind: "unused",
        message: "1 recorded call was not made (set allowUnused: true if that is expected)",
        diff: '#2 s/t { "a": 1 }',
      },
    ]);
    expect(caseFailures({ name: "c", allowUnused: true }, ok, replay, [])).toEqual([]);
  });
  it("turns warnings into failures under --strict", () => {
    const warning = {
      severity: "warning" as const,
      code: "FINGERPRINT_MISMATCH",
      message: "drift",
      file: "f",
      line: 1,
      column: 1,
      pointer: "",
    };
    expect(caseFailures({ name: "c" }, ok, undefined, [warning])).toEqual([
      { kind: "fingerprint", message: "drift (--strict)" },
    ]);
  });
});

describe("results", () => {
  const base = {
    file: "t.yaml",
    line: 1,
    mode: "replay" as const,
    durationMs: 10,
    failures: [],
    problems: [],
    warnings: [],
  };
  const cases: CaseResult[] = [
    { ...base, name: "a", status: "passed" },
    {
      ...base,
      name: "b",
      status: "failed",
      failures: [{ kind: "equals", message: "result differs", diff: "- 1\n+ 2" }],
      run: { ok: true, toolCalls: 0, durationMs: 1, logs: "printed" },
    },
    {
      ...base,
      name: "c",
      status: "error",
      problems: [
        {
          severity: "error",
          code: "TEST_CASE_INVALID",
          message: "bad",
          file: "t.yaml",
          line: 3,
          column: 2,
          pointer: "",
          hint: "fix",
        },
      ],
    },
  ];

  it("summarises with errors counted as failed, and prints the CI line", () => {
    const summary = summarize(
      [{ name: "s", dir: "/s", status: "error", durationMs: 30, passed: 1, failed: 2, cases, warnings: [] }],
      99,
    );
    expect(summary).toEqual({ total: 3, passed: 1, failed: 2, errors: 1, durationMs: 99 });
    expect(summaryLine(summary)).toBe("1 passed, 2 failed");
  });

  it("ranks skill status error > failed > passed", () => {
    expect(skillStatus(cases)).toBe("error");
    expect(skillStatus(cases.slice(0, 2))).toBe("failed");
    expect(skillStatus(cases.slice(0, 1))).toBe("passed");
  });

  it("describes failures and problems for reports", () => {
    expect(describeCase(cases[1]!)).toBe("result differs\n    - 1\n    + 2");
    expect(describeCase(cases[2]!)).toBe("t.yaml:3:2  TEST_CASE_INVALID  bad\n  hint: fix");
  });

  it("maps to JUnit: failure for failed, error for bad input, logs as system-out", () => {
    const xml = toJunitXml(
      {
        ok: false,
        skills: [{ name: "s", dir: "/s", status: "error", durationMs: 30, passed: 1, failed: 2, cases, warnings: [] }],
        summary: summarize([], 0),
      },
      "2026-01-01T00:00:00Z",
    );
    expect(xml).toContain(
      '<testsuite name="s" id="0" tests="3" failures="1" errors="1" skipped="0" time="0.030" timestamp="2026-01-01T00:00:00Z">',
    );
    expect(xml).toContain('<failure message="result differs" type="equals">at t.yaml:1\nresult differs');
    expect(xml).toContain('<error message="TEST_CASE_INVALID: bad" type="TEST_CASE_INVALID">');
    expect(xml).toContain("<system-out>printed</system-out>");
  });
});
