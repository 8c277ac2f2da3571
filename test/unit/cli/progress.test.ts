import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createContext } from "../../../src/cli/context.js";
import { createProgress } from "../../../src/cli/render/progress.js";

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  const writable = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  Object.assign(writable, { isTTY });
  return { writable, chunks };
}

describe("createProgress", () => {
  it("draws a counter on a terminal after the delay and clears it", () => {
    const err = stream(true);
    const ctx = createContext({ stderr: err.writable, env: { NO_COLOR: "1" } });
    const progress = createProgress(ctx, "validating", 0);
    progress.update(3, 10);
    progress.done();
    expect(err.chunks).toEqual(["\rvalidating 3/10", "\r\u001b[2K"]);
  });

  it("stays silent before the delay, off a terminal, and with --json", () => {
    const tty = stream(true);
    const slow = createProgress(createContext({ stderr: tty.writable }), "x", 60_000);
    slow.update(1, 2);
    slow.done();
    const pipe = stream(false);
    const piped = createProgress(createContext({ stderr: pipe.writable }), "x", 0);
    piped.update(1, 2);
    const json = stream(true);
    const ctx = createContext({ stderr: json.writable });
    ctx.json = true;
    createProgress(ctx, "x", 0).update(1, 2);
    expect([...tty.chunks, ...pipe.chunks, ...json.chunks]).toEqual([]);
  });
});
