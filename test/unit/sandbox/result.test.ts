import { describe, expect, test } from "vitest";
import { resolveLimits } from "../../../src/sandbox/limits.js";
import { type ResultContext, buildResult } from "../../../src/sandbox/result.js";

const ctx = (over: Partial<ResultContext>): ResultContext => ({
  reply: null,
  limits: resolveLimits({ cpuMs: 1000, memoryMb: 64, timeoutMs: 500, maxOutputBytes: 10 }),
  isolation: "bwrap",
  toolCalls: [],
  durationMs: 1.23456,
  hostCpuMs: null,
  logs: { text: "", dropped: 0 },
  stderr: { text: "", dropped: 0 },
  killedBy: null,
  violation: null,
  exit: { code: 0, signal: null },
  oomKilled: false,
  warnings: [],
  ...over,
});

describe("buildResult: why a run without an answer ended", () => {
  test.each([
    ["the host's timeout", { killedBy: "timeout" as const }, "timeout", "TIMEOUT"],
    ["SIGXCPU", { exit: { code: null, signal: "SIGXCPU" as const } }, "cpu", "CPU_LIMIT"],
    ["bwrap's 128+SIGXCPU", { exit: { code: 152, signal: null } }, "cpu", "CPU_LIMIT"],
    ["CPU near the budget then SIGKILL", { exit: { code: 137, signal: null }, hostCpuMs: 990 }, "cpu", "CPU_LIMIT"],
    ["the OOM killer", { oomKilled: true, exit: { code: 137, signal: null } }, "memory", "MEMORY_LIMIT"],
    [
      "node's heap limit",
      { stderr: { text: "FATAL ERROR: JavaScript heap out of memory", dropped: 0 }, exit: { code: 134, signal: null } },
      "memory",
      "MEMORY_LIMIT",
    ],
    [
      "a bridge violation",
      { killedBy: "bridge" as const, violation: "a bridge message is not valid JSON" },
      "bridge",
      "BRIDGE_PROTOCOL",
    ],
    ["a cancelled run", { killedBy: "signal" as const, violation: "cancelled" }, "signal", "CANCELLED"],
    ["a foreign signal", { exit: { code: null, signal: "SIGSEGV" as const } }, "signal", "SANDBOX_FAILED"],
    [
      "a plain exit",
      { exit: { code: 3, signal: null }, stderr: { text: "boom\n", dropped: 0 } },
      null,
      "SANDBOX_FAILED",
    ],
  ])("%s", (_name, over, killedBy, code) => {
    const result = buildResult(ctx(over));
    expect(result).toMatchObject({ ok: false, killedBy, error: { code }, timedOut: killedBy === "timeout" });
  });

  test("a plain exit names the last stderr lines", () => {
    expect(
      buildResult(ctx({ exit: { code: 3, signal: null }, stderr: { text: "a\nb\nc\nd\n", dropped: 0 } })).error
        ?.message,
    ).toBe("the program's process exited (code 3) before returning a result: b\nc\nd");
  });
});

describe("buildResult: answers", () => {
  test("a result over the budget is re-checked by the host (a forged answer) and replaced by a notice", () => {
    const result = buildResult(ctx({ reply: { ok: true, value: "0123456789abcdef" } }));
    expect(result.ok).toBe(true);
    expect(result.result).toEqual({
      truncated: true,
      notice: expect.stringMatching(/18 bytes of JSON, over the 10-byte limit/),
      preview: '"012345678',
    });
  });

  test("dropped log bytes become a visible notice", () => {
    const result = buildResult(ctx({ reply: { ok: true, value: 1 }, logs: { text: "abc", dropped: 5 } }));
    expect(result.logs).toBe("abc\n[skills: 5 more bytes of stdout were dropped: over the 1048576-byte log limit]\n");
    expect(result.truncated?.logs).toMatch(/5 more bytes/);
  });

  test("durations are rounded to microseconds and cpuMs comes from the worker when it answered", () => {
    const result = buildResult(ctx({ reply: { ok: true, value: 1, cpuMs: 2.5 }, hostCpuMs: 99 }));
    expect(result).toMatchObject({ durationMs: 1.235, cpuMs: 2.5, result: 1, warnings: [] });
  });
});
