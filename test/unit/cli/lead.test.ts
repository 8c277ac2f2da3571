/**
 * startLead (src/cli/lead.ts): a command's lead runs the command's early work for argv exactly when the CLI would run
 * the command, parsed as the CLI parses it, and never fails the start.
 */
import { describe, expect, it } from "vitest";
import type { EarlyStart } from "../../../src/cli/commandSpec.js";
import { startLead } from "../../../src/cli/lead.js";

/** Runs the lead of `run` for argv; returns the calls early got (positional arguments and options). */
async function leadOf(words: string[], early?: EarlyStart) {
  const calls: { args: unknown[]; options: Record<string, unknown>; cwd: string }[] = [];
  const record: EarlyStart = async (ctx, args, options) => {
    calls.push({ args, options, cwd: ctx.cwd });
    return async () => {};
  };
  await startLead("run", early ?? record, ["node", "skills", ...words]);
  return calls;
}

describe("startLead", () => {
  it("runs early with the command's arguments and options, values as typed", async () => {
    const calls = await leadOf(["run", "my-skill", "--input", '{"a": 1}', "--timeout", "5000", "--config", "007"]);
    expect(calls).toEqual([
      {
        args: ["my-skill"],
        // repeatable options come as lists, as the command's handler gets them
        options: expect.objectContaining({ input: ['{"a": 1}'], timeout: 5000, config: ["007"] }),
        cwd: process.cwd(),
      },
    ]);
  });

  it("takes global options before or after the command", async () => {
    expect(await leadOf(["run", "my-skill", "--json"])).toHaveLength(1);
    expect(await leadOf(["run", "--no-color", "my-skill"])).toHaveLength(1);
  });

  it.each([
    [["exec", "--lang", "python", "--code", "1"]],
    [["run"]],
    [["run", "my-skill", "--inptu", "{}"]],
    [["run", "my-skill", "--input"]],
    [["run", "my-skill", "--help"]],
    [["run", "my-skill", "-h"]],
    [["run", "my-skill", "--version"]],
    [[]],
  ])("starts nothing for skills %j (another command, help, or argv the CLI refuses)", async (words) => {
    expect(await leadOf(words)).toEqual([]);
  });

  it("waits until early has started what it starts", async () => {
    let done = false;
    await startLead(
      "run",
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        done = true;
        return async () => {};
      },
      ["node", "skills", "run", "my-skill"],
    );
    expect(done).toBe(true);
  });

  it("never throws: an early that throws or rejects, or a command it does not know, starts nothing", async () => {
    const throws: EarlyStart = () => {
      throw new Error("broken");
    };
    const rejects: EarlyStart = async () => {
      throw new Error("broken");
    };
    await expect(startLead("run", throws, ["node", "skills", "run", "x"])).resolves.toBeUndefined();
    await expect(startLead("run", rejects, ["node", "skills", "run", "x"])).resolves.toBeUndefined();
    await expect(startLead("nosuch", rejects, ["node", "skills", "nosuch", "x"])).resolves.toBeUndefined();
  });
});
