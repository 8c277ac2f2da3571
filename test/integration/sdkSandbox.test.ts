/**
 * The generated SDK end to end: programs in the real sandbox import wrappers with hostile names, the calls travel
 * over the bridge to the hostile fixture server (over stdio, through the client pool), and results come back
 * unwrapped. Proves the generator, the runtime and the bridge agree on names and arguments.
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMcpConfig } from "../../src/mcp/config.js";
import { type ClientPool, createClientPool } from "../../src/mcp/pool.js";
import type { ToolInfo } from "../../src/contracts/tools.js";
import { runProgram } from "../../src/sandbox/index.js";
import { hostileServerScript } from "../fixtures/servers/hostile.js";
import { tempDir } from "../unit/codegen/helpers.js";

describe("generated SDK in the sandbox, against the hostile server", () => {
  let pool: ClientPool;
  let tools: ToolInfo[];
  let configDir: string;

  beforeAll(async () => {
    const script = await hostileServerScript();
    configDir = await tempDir("sdk-sandbox");
    await writeFile(
      join(configDir, ".mcp.json"),
      JSON.stringify({ mcpServers: { hostile: { command: process.execPath, args: [script] } } }),
    );
    pool = createClientPool(await loadMcpConfig({ cwd: configDir }));
    const all = await pool.listTools();
    tools = all.filter((tool) =>
      ["class", "callTool", "call_tool", "with_output", "hostile_params"].includes(tool.name),
    );
  }, 60_000);

  afterAll(async () => {
    await pool?.close();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it("Python: keyword, SDK-name and colliding wrappers reach the right tools; outputs unwrap", async () => {
    const result = await runProgram({
      language: "python",
      tools,
      backend: pool,
      code: `from servers.hostile import class_, call_tool_, call_tool_2, with_output, hostile_params

def run(input):
    return {
        "class": class_(value="v"),
        "call_tool": call_tool_(y=1),
        "callTool": call_tool_2(x=None),
        "with_output": with_output(n=21),
        "params": hostile_params(class_="c", my_field_2=1.5, from_="f", type="t", additional="x"),
    }
`,
    });
    expect(result.error ?? null).toBeNull();
    expect(result.ok).toBe(true);
    expect(result.result).toEqual({
      class: { tool: "class", arguments: { value: "v" } },
      call_tool: { tool: "call_tool", arguments: { y: 1 } },
      callTool: { tool: "callTool", arguments: {} },
      with_output: { doubled: 42 },
      params: {
        tool: "hostile_params",
        arguments: { class: "c", "my-field": 1.5, from: "f", type: "t", additional: "x" },
      },
    });
    expect(result.toolCalls.map((call) => call.tool)).toEqual([
      "hostile/class",
      "hostile/call_tool",
      "hostile/callTool",
      "hostile/with_output",
      "hostile/hostile_params",
    ]);
  }, 60_000);

  it("TypeScript: the same through `servers/hostile`", async () => {
    const result = await runProgram({
      language: "typescript",
      tools,
      backend: pool,
      code: `import { class_, callTool_, callTool2, withOutput } from "servers/hostile";

export async function run() {
  const [a, b, c, d] = await Promise.all([class_({ value: "v" }), callTool_({ y: 2 }), callTool2(), withOutput({ n: 5 })]);
  return { a, b, c, d };
}
`,
    });
    expect(result.error ?? null).toBeNull();
    expect(result.result).toEqual({
      a: { tool: "class", arguments: { value: "v" } },
      b: { tool: "call_tool", arguments: { y: 2 } },
      c: { tool: "callTool", arguments: {} },
      d: { doubled: 10 },
    });
  }, 60_000);
});
