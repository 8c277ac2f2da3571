/**
 * The SDK generator against the hostile fixture server (real MCP protocol, in-memory and over stdio): hostile names,
 * hostile descriptions, every schema shape. The tree must compile in both languages, contain no code that a server
 * wrote, and pass the right server/tool/arguments to the runtime.
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GeneratedFile, generateSdk, sdkLayout } from "../../src/core/codegen/index.js";
import { loadMcpConfig } from "../../src/mcp/config.js";
import { createClientPool } from "../../src/mcp/pool.js";
import type { ToolInfo } from "../../src/contracts/tools.js";
import {
  HOSTILE_SERVER_INFO,
  HOSTILE_TOOLS,
  createHostileServer,
  hostileServerScript,
} from "../fixtures/servers/hostile.js";
import {
  FAKE_RUNTIME,
  checkPythonStructure,
  checkTsStructure,
  compilePython,
  compileTs,
  runPython,
  runTs,
  tempDir,
  toToolInfos,
  writeFiles,
} from "../unit/codegen/helpers.js";

async function listInMemory(): Promise<ToolInfo[]> {
  const server = createHostileServer();
  const client = new Client({ name: "sdk-test", version: "1.0.0" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  try {
    const { tools } = await client.listTools();
    return toToolInfos("hostile", client.getServerVersion()!, tools);
  } finally {
    await client.close();
    await server.close();
  }
}

describe("SDK for the hostile server", () => {
  let tools: ToolInfo[];
  let files: GeneratedFile[];
  let dir: string;

  beforeAll(async () => {
    tools = await listInMemory();
    files = generateSdk(tools, { lang: "both", runtime: FAKE_RUNTIME });
    dir = await tempDir("sdk-hostile");
    await writeFiles(dir, files);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("serves every hostile tool over the real protocol", () => {
    expect(tools.map((tool) => tool.name).sort()).toEqual(HOSTILE_TOOLS.map((tool) => tool.name).sort());
    expect(tools[0]!.serverInfo).toEqual(HOSTILE_SERVER_INFO);
  });

  it("gives every tool a module in both languages, with safe, unique names", () => {
    const [layout] = sdkLayout(tools);
    const modules = layout!.tools.map((entry) => entry.names.module);
    expect(new Set(modules).size).toBe(tools.length);
    const byName = new Map(layout!.tools.map((entry) => [entry.tool.name, entry.names]));
    expect(byName.get("class")).toMatchObject({ python: "class_", ts: "class_" });
    expect(byName.get("import")).toMatchObject({ python: "import_", ts: "import_" });
    expect(byName.get("call_tool")).toMatchObject({ python: "call_tool_", ts: "callTool_" });
    expect(byName.get("callTool")).toMatchObject({ python: "call_tool_2", ts: "callTool2" });
    expect(byName.get("3d-render")).toMatchObject({ python: "tool_3d_render", ts: "tool3dRender" });
    expect(byName.get("list")).toMatchObject({ python: "list_", ts: "list" });
    expect(byName.get("delete")).toMatchObject({ python: "delete", ts: "delete_" });
    expect(byName.get("index")).toMatchObject({ module: "index_" });
    expect([byName.get("get-value")!.python, byName.get("get.value")!.python].sort()).toEqual([
      "get_value",
      "get_value_2",
    ]);
    expect(byName.get("日本語ツール")!.python).toMatch(/^u[0-9a-f]+(_u[0-9a-f]+)*$/);
    for (const entry of layout!.tools) {
      expect(files.some((file) => file.path === `servers/hostile/${entry.names.module}.py`)).toBe(true);
      expect(files.some((file) => file.path === `servers/hostile/${entry.names.module}.ts`)).toBe(true);
    }
  });

  it("compiles with tsc --strict", async () => {
    expect(await compileTs(dir)).toBe("");
  }, 60_000);

  it("compiles with py_compile", async () => {
    expect(await compilePython(dir)).toBe("");
  });

  it("contains no code a server wrote (Python AST and TS AST checks)", async () => {
    expect(await checkPythonStructure(dir)).toEqual([]);
    expect(await checkTsStructure(dir)).toEqual([]);
    const all = files.map((file) => file.content).join("\n");
    expect(all).not.toContain("\u2028");
    expect(all).not.toContain("\u202e");
    expect(all).not.toContain("\u0000");
  });

  it("imports in Python and every wrapper passes its server, tool and arguments to call_tool", async () => {
    const [layout] = sdkLayout(tools);
    const calls = layout!.tools.map((entry) => entry.names.python);
    const result = (await runPython(
      dir,
      `import inspect, json, servers.hostile as h
from servers import _runtime
for name in ${JSON.stringify(calls)}:
    fn = getattr(h, name)
    required = [p.name for p in inspect.signature(fn).parameters.values() if p.default is inspect.Parameter.empty and p.kind == p.KEYWORD_ONLY]
    fn(**{param: None for param in required})
h.hostile_params(class_="c", my_field_2=1, my_field_3=2, my_field=None, from_="f", k="k", extra={"nested": 1}, type="t", input="i", additional="x")
h.with_output(n=3)
print(json.dumps(_runtime.CALLS))`,
    )) as { server: string; tool: string; args: Record<string, unknown> }[];
    expect(result.slice(0, calls.length).map((call) => call.tool)).toEqual(
      layout!.tools.map((entry) => entry.tool.name),
    );
    expect(result.every((call) => call.server === "hostile")).toBe(true);
    expect(result[0]).toEqual({ server: "hostile", tool: "3d-render", args: {} });
    const params = result[calls.length]!;
    // The SDK client's schema parsing drops a property named "__proto__" (unit tests cover it without a client).
    expect(params.tool).toBe("hostile_params");
    expect(params.args).toEqual({
      class: "c",
      "my-field": 1,
      myField: 2,
      from: "f",
      _k: "k",
      extra: { nested: 1 },
      type: "t",
      input: "i",
      additional: "x",
    });
    expect(result[calls.length + 1]).toEqual({ server: "hostile", tool: "with_output", args: { n: 3 } });
  });

  it("imports in TypeScript and passes arguments (undefined dropped) to callTool", async () => {
    const result = (await runTs(
      dir,
      `import { calls } from "./servers/_runtime.js";
import { class_, callTool_, callTool2, hostileParams, tool3dRender, withOutput } from "./servers/hostile/index.js";
await class_({ value: "v" });
await callTool_({ y: 1 });
await callTool2({ x: undefined });
await tool3dRender();
await hostileParams({ class: "c", ["__proto__"]: "p", "my-field": 1, self: undefined });
const out = await withOutput({ n: 2 });
console.log(JSON.stringify({ calls, out }));`,
    )) as { calls: { server: string; tool: string; args: Record<string, unknown> }[]; out: unknown };
    expect(result.calls.map((call) => call.tool)).toEqual([
      "class",
      "call_tool",
      "callTool",
      "3d-render",
      "hostile_params",
      "with_output",
    ]);
    expect(result.calls[2]!.args).toEqual({});
    expect(Object.keys(result.calls[4]!.args)).toEqual(["class", "__proto__", "my-field"]);
    expect(result.out).toEqual({ server: "hostile", tool: "with_output", args: { n: 2 } });
  });

  it("types outputs when there is an outputSchema and leaves them unknown otherwise", () => {
    const withOutput = files.find((file) => file.path === "servers/hostile/with_output.ts")!.content;
    expect(withOutput).toContain("export interface WithOutputOutput {");
    expect(withOutput).toContain("doubled: number;");
    const without = files.find((file) => file.path === "servers/hostile/without_output.ts")!.content;
    expect(without).toContain("export type WithoutOutputOutput = unknown;");
    const withPy = files.find((file) => file.path === "servers/hostile/with_output.py")!.content;
    expect(withPy).toContain("class WithOutputOutput(TypedDict):");
    const withoutPy = files.find((file) => file.path === "servers/hostile/without_output.py")!.content;
    expect(withoutPy).toContain("WithoutOutputOutput: TypeAlias = Any");
  });

  it("generates the same tree over stdio as in memory", async () => {
    const script = await hostileServerScript();
    const configDir = await tempDir("sdk-hostile-stdio");
    try {
      await writeFile(
        join(configDir, ".mcp.json"),
        JSON.stringify({ mcpServers: { hostile: { command: process.execPath, args: [script] } } }),
      );
      const config = await loadMcpConfig({ cwd: configDir });
      const pool = createClientPool(config);
      let stdioTools: ToolInfo[];
      try {
        stdioTools = await pool.listTools();
      } finally {
        await pool.close();
      }
      expect(generateSdk(stdioTools, { lang: "both", runtime: FAKE_RUNTIME })).toEqual(files);
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  }, 60_000);
});
