/** The CLI side of `skills run`: traceback trimming in the run renderer, and the status line for slow steps. */
import { describe, expect, test } from "vitest";

describe("rendering tracebacks", () => {
  test("only the program's frames are shown; the rest is counted", async () => {
    const { shownFrames } = await import("../../src/cli/render/run.js");
    const stack = [
      '  File "/skill/main.py", line 3, in run',
      "    helper()",
      '  File "/usr/lib/python3.11/json/__init__.py", line 346, in loads',
      "    return _default_decoder.decode(s)",
      '  File "/runtime/python/_runtime.py", line 176, in unwrap',
      "    raise ToolError(...)",
      "ToolError: boom",
    ].join("\n");
    expect(shownFrames(stack)).toBe(
      [
        '  File "/skill/main.py", line 3, in run',
        "    helper()",
        "ToolError: boom",
        "(2 frames of the runtime and libraries hidden; --debug shows them)",
      ].join("\n"),
    );
    expect(shownFrames("Error: x\n    at run (file:///skill/main.ts:3:9)\n    at node:internal/x:1:1")).toBe(
      "Error: x\n    at run (file:///skill/main.ts:3:9)\n(1 frame of the runtime and libraries hidden; --debug shows them)",
    );
    expect(shownFrames("Error: x\n    at run (file:///skill/main.ts:3:9)\n")).toBe(
      "Error: x\n    at run (file:///skill/main.ts:3:9)",
    );
  });
});

describe("status line", () => {
  const fakeCtx = (isTTY: boolean, json = false) => {
    const written: string[] = [];
    return {
      written,
      ctx: {
        json,
        errStyle: { dim: (text: string) => text },
        stderr: { isTTY, write: (text: string) => written.push(text) },
      },
    };
  };

  test("on a terminal a slow step shows after the delay and is erased when done", async () => {
    const { createStatusLine } = await import("../../src/cli/statusLine.js");
    const { ctx, written } = fakeCtx(true);
    const status = createStatusLine(ctx, 5);
    status.set("starting filesystem");
    await new Promise((resolve) => setTimeout(resolve, 30));
    status.clear();
    expect(written).toEqual(["\rstarting filesystem…", "\r\u001b[2K"]);
  });

  test("a fast step, a pipe, or --json shows nothing", async () => {
    const { createStatusLine } = await import("../../src/cli/statusLine.js");
    for (const [isTTY, json, delay] of [
      [true, false, 1000],
      [false, false, 0],
      [true, true, 0],
    ] as const) {
      const { ctx, written } = fakeCtx(isTTY, json);
      const status = createStatusLine(ctx, delay);
      status.set("running");
      await new Promise((resolve) => setTimeout(resolve, 20));
      status.clear();
      expect(written).toEqual([]);
    }
  });
});

describe("rendering a run's times and calls", () => {
  const call = (tool: string, startMs: number, ms: number) => ({
    tool,
    startMs,
    ms,
    ok: true,
    bytesIn: 10,
    bytesOut: 20,
  });
  const run = {
    ok: true,
    result: 1,
    logs: "",
    stderr: "",
    timedOut: false,
    killedBy: null,
    durationMs: 300,
    startupMs: 120,
    programMs: 180,
    cpuMs: 20,
    isolation: "bwrap",
    toolCalls: [call("fs/a", 0, 100), call("fs/a", 0, 100), call("fs/a", 0, 100), call("fs/b", 100, 50)],
  };

  test("the outcome line shows the whole run and its start-up and program parts", async () => {
    const { renderRunResult } = await import("../../src/cli/render/run.js");
    const { createStyle } = await import("../../src/cli/style.js");
    const text = renderRunResult(run as never, createStyle(false), { title: "x" });
    expect(text.split("\n")[0]).toContain("300 ms (start-up 120 ms, program 180 ms, cpu 20 ms, 4 tool calls)");
  });

  test("parallel calls count once in the wall column; a row for all calls under several tools", async () => {
    const { renderRunResult } = await import("../../src/cli/render/run.js");
    const { createStyle } = await import("../../src/cli/style.js");
    const lines = renderRunResult(run as never, createStyle(false), { title: "x" }).split("\n");
    const row = (name: string) =>
      lines
        .find((line) => line.trimStart().startsWith(`${name} `))!
        .trim()
        .split(/\s{2,}/);
    expect(lines.find((line) => line.includes("calls") && line.includes("wall"))).toBeTruthy();
    expect(row("fs/a")).toEqual(["fs/a", "3", "0", "100 ms", "100 ms", "30 B", "60 B"]);
    expect(row("fs/b")).toEqual(["fs/b", "1", "0", "50 ms", "50 ms", "10 B", "20 B"]);
    expect(row("all")).toEqual(["all", "4", "0", "150 ms", "100 ms", "40 B", "80 B"]);
    expect(lines.some((line) => line.includes("waited"))).toBe(false);
  });

  test("calls made while their server started say how long they waited for it", async () => {
    const { renderRunResult } = await import("../../src/cli/render/run.js");
    const { createStyle } = await import("../../src/cli/style.js");
    const waiting = (startMs: number, ms: number, waitMs: number) => ({ ...call("fs/a", startMs, ms), waitMs });
    const one = { ...run, toolCalls: [waiting(0, 100, 80), call("fs/a", 100, 10)] };
    const lines = renderRunResult(one as never, createStyle(false), { title: "x" }).split("\n");
    expect(lines).toContain("  1 call waited 80 ms for a server to start (included above)");
    // Two calls that waited side by side waited once.
    const two = { ...run, toolCalls: [waiting(0, 100, 80), waiting(5, 100, 75), call("fs/b", 100, 10)] };
    const both = renderRunResult(two as never, createStyle(false), { title: "x" }).split("\n");
    expect(both).toContain("  2 calls waited 80 ms for a server to start (included above)");
  });
});
