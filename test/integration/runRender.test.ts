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
