import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { generateSdk, renderSignatures, sdkLayout, sdkParams } from "../../../src/core/codegen/index.js";
import { SkillsError } from "../../../src/errors.js";
import type { ToolInfo } from "../../../src/contracts/tools.js";
import {
  FAKE_RUNTIME,
  checkPythonStructure,
  checkTsStructure,
  compilePython,
  compileTs,
  hasMypy,
  runPython,
  tempDir,
  typecheckPython,
  writeFiles,
} from "./helpers.js";
import { readRuntimeSources } from "../../../src/commands/sdk.js";

function tool(
  server: string,
  name: string,
  inputSchema: unknown = { type: "object" },
  extra: Partial<ToolInfo> = {},
): ToolInfo {
  return {
    server,
    serverInfo: { name: `${server}-server`, version: "1.0.0" },
    name,
    inputSchema: inputSchema as ToolInfo["inputSchema"],
    ...extra,
  };
}

const TOOLS = [
  tool("fs", "read_file", { type: "object", properties: { path: { type: "string" } }, required: ["path"] }),
  tool("fs", "write-file", { type: "object", properties: { path: { type: "string" }, content: { type: "string" } } }),
  tool("my-server", "ping"),
  tool("my_server", "ping"),
];

describe("generateSdk", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("lays out the tree: per-server packages, an index per server, the runtime, sorted by path", () => {
    const files = generateSdk(TOOLS, { lang: "both", runtime: FAKE_RUNTIME });
    expect(files.map((file) => file.path)).toEqual([
      "servers/__init__.py",
      "servers/_runtime.py",
      "servers/_runtime.ts",
      "servers/fs/__init__.py",
      "servers/fs/index.ts",
      "servers/fs/read_file.py",
      "servers/fs/read_file.ts",
      "servers/fs/write_file.py",
      "servers/fs/write_file.ts",
      "servers/my_server/__init__.py",
      "servers/my_server/index.ts",
      "servers/my_server/ping.py",
      "servers/my_server/ping.ts",
      "servers/my_server_2/__init__.py",
      "servers/my_server_2/index.ts",
      "servers/my_server_2/ping.py",
      "servers/my_server_2/ping.ts",
    ]);
    expect(files.find((file) => file.path === "servers/_runtime.py")!.content).toBe(FAKE_RUNTIME.python);
    expect(files.find((file) => file.path === "servers/__init__.py")!.content).toContain(
      '__all__ = ["fs", "my_server", "my_server_2"]',
    );
    const myServer2 = files.find((file) => file.path === "servers/my_server_2/ping.py")!.content;
    expect(myServer2).toContain('_call_tool("my-server", "ping"');
  });

  it("writes only the language asked for", () => {
    const python = generateSdk(TOOLS, { lang: "python", runtime: { python: "" } }).map((file) => file.path);
    expect(python.every((path) => path.endsWith(".py"))).toBe(true);
    const ts = generateSdk(TOOLS, { lang: "ts", runtime: { ts: "" } }).map((file) => file.path);
    expect(ts.every((path) => path.endsWith(".ts"))).toBe(true);
  });

  it("is deterministic: the order of the tools does not matter, duplicates are dropped", () => {
    const files = generateSdk(TOOLS, { lang: "both", runtime: FAKE_RUNTIME });
    const shuffled = [TOOLS[3]!, TOOLS[1]!, TOOLS[0]!, TOOLS[2]!, TOOLS[0]!];
    expect(generateSdk(shuffled, { lang: "both", runtime: FAKE_RUNTIME })).toEqual(files);
    expect(generateSdk([], { lang: "both", runtime: FAKE_RUNTIME }).map((file) => file.path)).toEqual([
      "servers/__init__.py",
      "servers/_runtime.py",
      "servers/_runtime.ts",
    ]);
  });

  it("fails clearly on a missing runtime or an unknown language", () => {
    expect(() => generateSdk(TOOLS, { lang: "python", runtime: {} })).toThrow(/Python runtime/);
    expect(() => generateSdk(TOOLS, { lang: "ts", runtime: {} })).toThrow(/TypeScript runtime/);
    const bad = () => generateSdk(TOOLS, { lang: "rust" as never, runtime: FAKE_RUNTIME });
    expect(bad).toThrow(SkillsError);
    expect(bad).toThrow(/unknown SDK language: rust/);
  });

  it("tolerates hand-edited tools: no serverInfo, non-string title and description", async () => {
    const odd = {
      server: "s",
      name: "odd",
      title: 42,
      description: { not: "text" },
      inputSchema: { type: "object", properties: { a: { type: "string" } } },
    } as unknown as ToolInfo;
    const files = generateSdk([odd], { lang: "both", runtime: FAKE_RUNTIME });
    const py = files.find((file) => file.path === "servers/s/odd.py")!.content;
    expect(py).toContain("(s unknown version)");
    expect(py).toContain('"""Call the tool odd of the MCP server s.');
    expect(renderSignatures(odd).python).toBe("def odd(*, a: Optional[str] = None) -> Any");
    const dir = await tempDir("sdk-odd");
    dirs.push(dir);
    await writeFiles(dir, files);
    expect(await compilePython(dir)).toBe("");
  });

  it("keeps a __proto__ property as a real key (no prototype tricks)", async () => {
    const schema = JSON.parse(
      '{"type":"object","properties":{"__proto__":{"type":"string"},"a":{"type":"number"}},"required":["__proto__"]}',
    );
    const files = generateSdk([tool("s", "t", schema)], { lang: "both", runtime: FAKE_RUNTIME });
    const py = files.find((file) => file.path === "servers/s/t.py")!.content;
    expect(py).toContain('"__proto__": str,');
    expect(py).toContain('{"__proto__": proto, "a": a}');
    const ts = files.find((file) => file.path === "servers/s/t.ts")!.content;
    expect(ts).toContain("__proto__: string;");
    const dir = await tempDir("sdk-proto");
    dirs.push(dir);
    await writeFiles(dir, files);
    expect(await compileTs(dir)).toBe("");
    const calls = await runPython(
      dir,
      "import json\nfrom servers import _runtime\nfrom servers.s import t\nt(proto='p')\nprint(json.dumps(_runtime.CALLS))",
    );
    expect(JSON.stringify(calls)).toBe('[{"server":"s","tool":"t","args":{"__proto__":"p"}}]');
  }, 60_000);
});

describe("sdkParams", () => {
  it("maps Python keyword arguments to the keys the server receives", () => {
    const info = tool("s", "t", {
      type: "object",
      properties: {
        dryRun: { type: "boolean" },
        from: { type: "string" },
        "my-field": { type: "number" },
        my_field: { type: "number" },
      },
      required: ["from"],
      additionalProperties: true,
    });
    expect(sdkParams(info)).toEqual({
      params: [
        { key: "dryRun", python: "dry_run", required: false },
        { key: "from", python: "from_", required: true },
        { key: "my-field", python: "my_field_2", required: false },
        { key: "my_field", python: "my_field", required: false },
      ],
      extra: "extra",
    });
    expect(sdkParams(tool("s", "none", { type: "object", properties: {} }))).toEqual({ params: [] });
  });
});

describe("renderSignatures", () => {
  it.each([
    [
      tool("fs", "read_text_file", {
        type: "object",
        properties: { path: { type: "string" }, head: { type: "number" } },
        required: ["path"],
      }),
      "readTextFile(input: { path: string; head?: number; }): Promise<unknown>",
      "def read_text_file(*, path: str, head: Optional[float] = None) -> Any",
    ],
    [
      tool("s", "no-args", { type: "object", properties: {} }),
      "noArgs(input?: Record<string, never>): Promise<unknown>",
      "def no_args() -> Any",
    ],
    [
      tool("s", "open"),
      "open(input?: { [key: string]: unknown; }): Promise<unknown>",
      "def open_(**extra: Any) -> Any",
    ],
    [
      tool(
        "s",
        "out",
        { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
        {
          outputSchema: { type: "object", properties: { items: { type: "array", items: { type: "string" } } } },
        },
      ),
      "out(input: { n: number; }): Promise<{ items?: string[]; }>",
      "def out(*, n: int) -> dict[str, Any]",
    ],
  ])("%#", (info, ts, python) => {
    expect(renderSignatures(info)).toEqual({ ts, python });
  });
});

/** A small seeded PRNG, so a failing fuzz case can be reproduced. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const NASTY_TEXT = [
  '"""',
  "'''",
  "*/",
  "/*",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: hostile text on purpose
  "`${x}`",
  "\\",
  "\n",
  "\u2028",
  "é",
  "日本",
  " ",
  "-",
  ".",
  "class",
  "0",
  "__init__",
];
const TYPES = ["string", "number", "integer", "boolean", "null", "object", "array", "bogus", 7];

function randomSchema(random: () => number, depth: number): unknown {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const text = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(NASTY_TEXT)).join("");
  const roll = random();
  if (depth > 4 || roll < 0.08) return pick([true, false, null, 3, "str", [], {}]);
  const schema: Record<string, unknown> = {};
  const keys = Math.floor(random() * 4) + 1;
  for (let i = 0; i < keys; i++) {
    switch (
      pick([
        "type",
        "types",
        "properties",
        "items",
        "prefixItems",
        "anyOf",
        "allOf",
        "enum",
        "const",
        "ref",
        "additional",
        "nullable",
        "pattern",
        "description",
      ])
    ) {
      case "type":
        schema.type = pick(TYPES);
        break;
      case "types":
        schema.type = [pick(TYPES), pick(TYPES)];
        break;
      case "properties": {
        const props: Record<string, unknown> = {};
        for (let p = 0; p < 1 + Math.floor(random() * 3); p++) props[text()] = randomSchema(random, depth + 1);
        schema.properties = props;
        schema.required = random() < 0.5 ? Object.keys(props).slice(0, 1) : "nope";
        break;
      }
      case "items":
        schema.items = random() < 0.2 ? [randomSchema(random, depth + 1)] : randomSchema(random, depth + 1);
        break;
      case "prefixItems":
        schema.prefixItems = [randomSchema(random, depth + 1), randomSchema(random, depth + 1)];
        break;
      case "anyOf":
        schema[pick(["anyOf", "oneOf"])] = [randomSchema(random, depth + 1), randomSchema(random, depth + 1)];
        break;
      case "allOf":
        schema.allOf = random() < 0.8 ? [randomSchema(random, depth + 1), randomSchema(random, depth + 1)] : "junk";
        break;
      case "enum":
        schema.enum = [text(), Math.floor(random() * 100) - 50, random(), true, null, { o: 1 }].slice(
          0,
          1 + Math.floor(random() * 6),
        );
        break;
      case "const":
        schema.const = pick([text(), 1, 1.5, false, null, [1]]);
        break;
      case "ref":
        schema.$ref = pick(["#", "#/$defs/a", "#/$defs/b", "#/nope", "http://x", "#/$defs/a~1b", 5]);
        break;
      case "additional":
        schema.additionalProperties = random() < 0.5 ? random() < 0.5 : randomSchema(random, depth + 1);
        break;
      case "nullable":
        schema.nullable = true;
        break;
      case "pattern":
        schema.patternProperties = { "^x": randomSchema(random, depth + 1) };
        break;
      case "description":
        schema.description = text();
        break;
    }
  }
  return schema;
}

describe("fuzz: garbage and random schemas", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("never throws, and the result compiles in both languages and imports in Python", async () => {
    // FUZZ_SEED=<n> explores other schemas (each seed a new set of 80 tools); the default is the one CI runs.
    const random = prng(Number(process.env.FUZZ_SEED ?? 20261123));
    const tools: ToolInfo[] = [];
    for (let i = 0; i < 80; i++) {
      const input = randomSchema(random, 0) as Record<string, unknown>;
      const root = typeof input === "object" && input !== null && !Array.isArray(input) ? input : {};
      const schema = {
        ...root,
        $defs: { a: randomSchema(random, 2), b: randomSchema(random, 2), "a/b": randomSchema(random, 3) },
      };
      tools.push(
        tool(
          i % 3 === 0 ? "fuzz-one" : "fuzz.two",
          `${NASTY_TEXT[i % NASTY_TEXT.length]}t${i % 7}`,
          i % 11 === 0 ? "garbage" : schema,
          {
            description: NASTY_TEXT.join(" "),
            ...(i % 2 === 0 ? { outputSchema: randomSchema(random, 0) as ToolInfo["inputSchema"] } : {}),
          },
        ),
      );
    }
    const files = generateSdk(tools, { lang: "both", runtime: FAKE_RUNTIME });
    expect(sdkLayout(tools).flatMap((server) => server.tools)).toHaveLength(tools.length);
    const dir = await tempDir("sdk-fuzz");
    dirs.push(dir);
    await writeFiles(dir, files);
    expect(await compileTs(dir)).toBe("");
    expect(await compilePython(dir)).toBe("");
    expect(await checkPythonStructure(dir)).toEqual([]);
    expect(await checkTsStructure(dir)).toEqual([]);
    const imported = await runPython(
      dir,
      "import json, servers.fuzz_one as a, servers.fuzz_two as b\nprint(json.dumps(len(a.__all__) + len(b.__all__)))",
    );
    expect(imported).toBe(tools.length * 3);
    // With the real runtime, the same tree passes mypy --strict: whatever a server sends, the SDK stays typed.
    if (hasMypy()) {
      const typed = await tempDir("sdk-fuzz-mypy");
      dirs.push(typed);
      await writeFiles(typed, generateSdk(tools, { lang: "python", runtime: await readRuntimeSources() }));
      expect(await typecheckPython(typed, ["servers"])).toBe("");
    }
  }, 120_000);
});
