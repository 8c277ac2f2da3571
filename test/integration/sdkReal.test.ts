/**
 * The SDK generated from the three real MCP servers of the repo's .mcp.json (filesystem, memory, everything),
 * started over stdio through the client pool: every tool is in the tree, the tree compiles in both languages with
 * the real runtime files, and the wrappers hand the right server/tool/arguments to the runtime.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRuntimeSources } from "../../src/commands/sdk.js";
import { type GeneratedFile, generateSdk, renderSignatures, sdkLayout } from "../../src/core/codegen/index.js";
import { loadMcpConfig } from "../../src/mcp/config.js";
import { createClientPool } from "../../src/mcp/pool.js";
import type { ToolInfo } from "../../src/contracts/tools.js";
import {
  FAKE_RUNTIME,
  REPO,
  checkPythonStructure,
  checkTsStructure,
  compilePython,
  compileTs,
  hasMypy,
  runPython,
  runTs,
  tempDir,
  typecheckPython,
  writeFiles,
} from "../unit/codegen/helpers.js";

describe("SDK for the real servers", () => {
  let tools: ToolInfo[];
  let files: GeneratedFile[];
  let dir: string;

  beforeAll(async () => {
    const config = await loadMcpConfig({ cwd: REPO });
    const pool = createClientPool(config);
    try {
      tools = await pool.listTools();
    } finally {
      await pool.close();
    }
    files = generateSdk(tools, { lang: "both", runtime: await readRuntimeSources() });
    dir = await tempDir("sdk-real");
    await writeFiles(dir, files);
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("lists the tools of all three servers", () => {
    const servers = new Set(tools.map((tool) => tool.server));
    expect([...servers].sort()).toEqual(["everything", "filesystem", "memory"]);
    expect(tools.length).toBeGreaterThan(25);
  });

  it("has a module, an export and a signature for every real tool", async () => {
    for (const server of sdkLayout(tools)) {
      const init = await readFile(join(dir, "servers", server.folder, "__init__.py"), "utf8");
      const index = await readFile(join(dir, "servers", server.folder, "index.ts"), "utf8");
      for (const { tool, names } of server.tools) {
        const py = await readFile(join(dir, "servers", server.folder, `${names.module}.py`), "utf8");
        const ts = await readFile(join(dir, "servers", server.folder, `${names.module}.ts`), "utf8");
        expect(py).toContain(`def ${names.python}(`);
        expect(py).toContain(`_call_tool(${JSON.stringify(tool.server)}, ${JSON.stringify(tool.name)}`);
        expect(ts).toContain(`export async function ${names.ts}(`);
        expect(init).toContain(`import ${names.pascal}Input, ${names.pascal}Output, ${names.python}\n`);
        expect(index).toContain(`export { ${names.ts} } from "./${names.module}.js";`);
        const signatures = renderSignatures(tool);
        expect(signatures.ts.startsWith(`${names.ts}(input`)).toBe(true);
        expect(signatures.python.startsWith(`def ${names.python}(`)).toBe(true);
      }
    }
  });

  it("copies the runtime files verbatim", async () => {
    const runtime = await readRuntimeSources();
    expect(await readFile(join(dir, "servers", "_runtime.py"), "utf8")).toBe(runtime.python);
    expect(await readFile(join(dir, "servers", "_runtime.ts"), "utf8")).toBe(runtime.ts);
  });

  it("compiles with tsc --strict, including the real runtime", async () => {
    expect(await compileTs(dir)).toBe("");
  }, 60_000);

  it("compiles with py_compile, including the real runtime", async () => {
    expect(await compilePython(dir)).toBe("");
  });

  it.skipIf(!hasMypy())(
    "passes mypy --strict, including the real runtime",
    async () => {
      expect(await typecheckPython(dir, ["servers"])).toBe("");
    },
    120_000,
  );

  it("holds nothing but declarations and wrappers", async () => {
    expect(await checkPythonStructure(dir)).toEqual([]);
    expect(await checkTsStructure(dir)).toEqual([]);
  });

  it("types read_text_file as the issue describes", () => {
    const py = files.find((file) => file.path === "servers/filesystem/read_text_file.py")!.content;
    expect(py).toMatch(
      /def read_text_file\(\*, path: str, tail: Optional\[float\] = None, head: Optional\[float\] = None\)/,
    );
    const ts = files.find((file) => file.path === "servers/filesystem/read_text_file.ts")!.content;
    expect(ts).toContain("export async function readTextFile(input: ReadTextFileInput): Promise<ReadTextFileOutput>");
  });

  describe("with a fake runtime", () => {
    let fakeDir: string;

    beforeAll(async () => {
      fakeDir = await tempDir("sdk-real-fake");
      await writeFiles(fakeDir, generateSdk(tools, { lang: "both", runtime: FAKE_RUNTIME }));
    });

    afterAll(async () => {
      if (fakeDir) await rm(fakeDir, { recursive: true, force: true });
    });

    it("Python: imports every server package and sends the call, None arguments left out", async () => {
      const calls = await runPython(
        fakeDir,
        `import json
from servers import _runtime
from servers.filesystem import read_text_file
from servers.memory import create_entities
import servers.everything
read_text_file(path="README.md", head=None, tail=3)
create_entities(entities=[{"name": "a", "entityType": "t", "observations": []}])
print(json.dumps(_runtime.CALLS))`,
      );
      expect(calls).toEqual([
        { server: "filesystem", tool: "read_text_file", args: { path: "README.md", tail: 3 } },
        {
          server: "memory",
          tool: "create_entities",
          args: { entities: [{ name: "a", entityType: "t", observations: [] }] },
        },
      ]);
    });

    it("TypeScript: imports from the server index and sends the call, undefined arguments left out", async () => {
      await writeFile(join(fakeDir, "package.json"), JSON.stringify({ type: "module" }));
      const result = await runTs(
        fakeDir,
        `import { calls } from "./servers/_runtime.js";
import { readTextFile } from "./servers/filesystem/index.js";
import { echo } from "./servers/everything/index.js";
await readTextFile({ path: "README.md", head: undefined });
await echo({ message: "hi" });
console.log(JSON.stringify(calls));`,
      );
      expect(result).toEqual([
        { server: "filesystem", tool: "read_text_file", args: { path: "README.md" } },
        { server: "everything", tool: "echo", args: { message: "hi" } },
      ]);
    });
  });
});
