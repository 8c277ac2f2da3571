/** A run as execute_code and run_skill answer it: the error's line, the program's frames, the caps. */
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../../src/contracts/run.js";
import { errorLine, MAX_TEXT, runAnswer } from "../../../src/core/serve/runAnswer.js";

const base: RunResult = {
  ok: true,
  logs: "",
  stderr: "",
  timedOut: false,
  killedBy: null,
  durationMs: 12.345,
  cpuMs: 3,
  isolation: "bwrap",
  toolCalls: [],
};

const PY_TRACEBACK = `Traceback (most recent call last):
  File "/runtime/_runtime.py", line 88, in _execute
    exec(code, namespace)
  File "<program>", line 4, in <module>
    total = helper(2)
  File "<program>", line 2, in helper
    return 1 / 0
ZeroDivisionError: division by zero
`;

describe("errorLine", () => {
  it.each([
    [
      "the innermost program frame of a traceback",
      { message: "ZeroDivisionError: division by zero", stack: PY_TRACEBACK },
      2,
    ],
    ["a Python SyntaxError", { message: "SyntaxError: '(' was never closed (<program>, line 7)" }, 7],
    ["a syntax error in a session cell", { message: "SyntaxError: invalid syntax (<cell 3>, line 1)" }, 1],
    [
      "a frame in a skill's file",
      { message: "KeyError: 'path'", stack: '  File "/skill/main.py", line 12, in run\nKeyError' },
      12,
    ],
    ["an esbuild error", { message: 'program.ts:3:9: Expected ";" but found "x"' }, 3],
    ["an esbuild error in a cell", { message: "cell2.ts:1:4: Unexpected end of file" }, 1],
    [
      "a JavaScript runtime error (bundle lines are not program lines)",
      { message: "Error: boom", stack: "Error: boom\n    at data:text/javascript;base64,AAA:2:7" },
      undefined,
    ],
    ["a frame of the runtime only", { message: "x", stack: '  File "/runtime/_runtime.py", line 5, in f' }, undefined],
  ])("%s", (_what, error, line) => {
    expect(errorLine(error)).toBe(line);
  });
});

describe("runAnswer", () => {
  it("a good run: its result, prints and calls per tool", () => {
    const run: RunResult = {
      ...base,
      result: { n: 1 },
      logs: "hello\n",
      toolCalls: [
        { tool: "fs/read", ms: 1, ok: true, bytesIn: 1, bytesOut: 1 },
        { tool: "fs/read", ms: 1, ok: true, bytesIn: 1, bytesOut: 1 },
        { tool: "fs/write", ms: 1, ok: false, bytesIn: 1, bytesOut: 1, error: "denied" },
      ],
    };
    expect(runAnswer(run, { session_id: "s1" })).toEqual({
      ok: true,
      duration_ms: 12.3,
      result: { n: 1 },
      logs: "hello\n",
      session_id: "s1",
      tool_calls: { "fs/read": 2, "fs/write (failed)": 1 },
    });
  });

  it("a failed run: code, message, line, the program's frames, stderr; no result", () => {
    const run: RunResult = {
      ...base,
      ok: false,
      result: "partial",
      stderr: "warning: x\n",
      error: { code: "PROGRAM_ERROR", message: "ZeroDivisionError: division by zero", stack: PY_TRACEBACK },
    };
    const answer = runAnswer(run);
    expect(answer).toMatchObject({
      ok: false,
      stderr: "warning: x\n",
      error: { code: "PROGRAM_ERROR", message: "ZeroDivisionError: division by zero", line: 2 },
    });
    expect(answer.result).toBeUndefined();
    expect((answer.error as { traceback: string }).traceback).not.toContain("_runtime.py");
  });

  it("a killed run without an error object says what stopped it", () => {
    const answer = runAnswer({ ...base, ok: false, killedBy: "timeout", timedOut: true });
    expect(answer.error).toEqual({ code: "KILLED", message: "the run was stopped (timeout)", killed_by: "timeout" });
  });

  it("cuts long output from the front, saying how much, and keeps warnings and truncation notices", () => {
    const long = `${"a".repeat(MAX_TEXT)}THE END`;
    const answer = runAnswer(
      { ...base, logs: long, warnings: ["isolation: process"], truncated: { result: "result cut to 65536 bytes" } },
      { warnings: ["tools are fixed"] },
    );
    expect(answer.logs).toMatch(/^\[… 7 characters cut; the last 16000 follow\]\n/);
    expect(String(answer.logs).endsWith("THE END")).toBe(true);
    expect(answer.warnings).toEqual(["tools are fixed", "isolation: process", "result: result cut to 65536 bytes"]);
  });
});
