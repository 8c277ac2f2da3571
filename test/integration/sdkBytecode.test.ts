/**
 * The SDK tree of a tool set is written at once and used by the run that needed it; the copy with the Python
 * modules' bytecode (`<tree>-py`) is made in the background and used by the runs after. Real sandbox, real python.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ToolInfo } from "../../src/contracts/tools.js";
import { createRunner, ensureSdk } from "../../src/sandbox/index.js";

const runner = createRunner();
afterAll(() => runner.close());

/** A tool set no other test has (its description is unique), so its tree is new. */
function freshTools(): ToolInfo[] {
  return [
    {
      server: "bytecode",
      name: "echo_text",
      description: `Echoes text (${randomUUID()})`,
      inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
    },
  ];
}

async function eventually<T>(probe: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("not made in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("SDK bytecode", () => {
  it("is compiled after the first run, into a copy later runs use; the code is named as the sandbox sees it", async () => {
    const tools = freshTools();
    const first = await ensureSdk(tools);
    expect(first.endsWith("-py")).toBe(false);
    const listing = "import os\nresult = sorted(os.listdir('/sdk/servers/bytecode'))";
    const before = await runner.run({ language: "python", code: listing, tools });
    expect(before).toMatchObject({ ok: true });
    expect(before.result).not.toContain("__pycache__");

    const compiled = await eventually(() =>
      existsSync(`${first}-py/servers/bytecode/__pycache__`) ? `${first}-py` : undefined,
    );
    expect(await ensureSdk(tools)).toBe(compiled);
    // the source tree is left as it was; the copy has the same sources and bytecode for each module
    expect(existsSync(join(first, "servers", "bytecode", "__pycache__"))).toBe(false);
    const cached = await readdir(join(compiled, "servers", "bytecode", "__pycache__"));
    expect(cached.filter((file) => file.endsWith(".pyc")).length).toBeGreaterThanOrEqual(2);
    const pyc = await readFile(
      join(compiled, "servers", "bytecode", "__pycache__", cached.find((f) => f.startsWith("echo_text"))!),
    );
    expect(pyc.includes(Buffer.from("/sdk/servers/bytecode/echo_text.py"))).toBe(true);

    const after = await runner.run({
      language: "python",
      code: `${listing}\nfrom servers.bytecode import echo_text`,
      tools,
    });
    expect(after).toMatchObject({ ok: true });
    expect(after.result).toContain("__pycache__");
  });
});
