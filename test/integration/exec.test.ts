/**
 * `skills exec` through its command function: programs in both languages with tools from the repo's .mcp.json
 * (only their servers start), --all-tools, stdin/file sources, and every usage error. The servers are the repo's,
 * bundled, with the memory server's graph in a temporary folder (test/helpers/testServers.ts: repoServersConfig).
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { piiLine } from "../../src/cli/render/run.js";
import { parseLanguage, parsePiiMode, parseTimeout, parseToolKeys } from "../../src/cli/parse/execution.js";
import { execCode } from "../../src/commands/exec.js";
import { openToolset } from "../../src/commands/shared/toolset.js";
import { SkillsError } from "../../src/errors.js";
import { repoServersConfig } from "../helpers/testServers.js";

const repo = resolve(import.meta.dirname, "../..");
let scratch: string;
/** The repo's servers, for runs in the repo (`configPath`). */
let servers: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "skills-exec-test-"));
  await chmod(scratch, 0o755);
  // in a folder of its own: a run in the scratch folder finds no .mcp.json above it
  servers = await repoServersConfig(join(scratch, "servers"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function caught(promise: Promise<unknown>): Promise<SkillsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SkillsError);
  return error as SkillsError;
}

describe("exec", () => {
  test("python with one tool: result, logs and the tool call record", async () => {
    const result = await execCode({
      language: "python",
      code: "from servers.everything import get_sum\nprint('adding')\nresult = get_sum(a=20, b=22)[0]['text']\n",
      tools: ["everything/get-sum"],
      cwd: repo,
      configPath: servers,
    });
    expect(result.ok).toBe(true);
    expect(result.run.result).toBe("The sum of 20 and 22 is 42.");
    expect(result.run.logs).toBe("adding\n");
    expect(result.tools).toEqual(["everything/get-sum"]);
    expect(result.run.toolCalls).toEqual([expect.objectContaining({ tool: "everything/get-sum", ok: true })]);
  });

  test("typescript with run(input) and --input", async () => {
    const result = await execCode({
      language: "typescript",
      code: `import { getStructuredContent } from "servers/everything";
export async function run(input: { city: string }) {
  const weather = (await getStructuredContent({ location: input.city })) as { temperature: number };
  return { city: input.city, hot: weather.temperature > 30 };
}`,
      tools: ["everything/get-structured-content"],
      input: '{"city": "Chicago"}',
      cwd: repo,
      configPath: servers,
    });
    expect(result.ok).toBe(true);
    expect(result.run.result).toMatchObject({ city: "Chicago", hot: expect.any(Boolean) });
  });

  test("a program read from a file", async () => {
    const file = join(scratch, "prog.py");
    await writeFile(file, "def run(input):\n    return sum(range(input['n'] + 1))\n");
    const result = await execCode({ language: "python", file, input: '{"n": 100}', cwd: repo, configPath: servers });
    expect(result.source).toBe(file);
    expect(result.run.result).toBe(5050);
  });

  test("a tool that was not allowed is refused inside the program", async () => {
    const result = await execCode({
      language: "python",
      code: "from servers._runtime import call_tool, ToolError\ntry:\n    call_tool('everything', 'echo', {'message': 'x'})\n    result = 'called'\nexcept ToolError as e:\n    result = e.code\n",
      tools: ["everything/get-sum"],
      cwd: repo,
      configPath: servers,
    });
    expect(result.run.result).toBe("TOOL_NOT_DECLARED");
  });

  test("a program that raises is a failed run with the traceback", async () => {
    const result = await execCode({
      language: "python",
      code: "def run(input):\n    return 1 / 0\n",
      cwd: repo,
      configPath: servers,
    });
    expect(result.ok).toBe(false);
    expect(result.run.error?.code).toBe("PROGRAM_ERROR");
    expect(result.run.error?.message).toContain("ZeroDivisionError");
    expect(result.run.error?.stack).toContain("line 2");
  });

  test("a TypeScript compile error names the line", async () => {
    const result = await execCode({
      language: "typescript",
      code: "export const result = ;\n",
      cwd: repo,
      configPath: servers,
    }).catch((error: unknown) => error);
    const message =
      result instanceof SkillsError
        ? result.message
        : (result as { run: { error?: { message: string } } }).run.error?.message;
    expect(message).toMatch(/:1:/);
  });

  test("--all-tools allows every tool of every configured server", async () => {
    const toolset = await openToolset({
      cwd: repo,
      configPath: servers,
      cacheDir: join(scratch, "cache-all"),
      all: true,
    });
    try {
      expect(toolset.servers.sort()).toEqual(["everything", "filesystem", "memory"]);
      const keys = toolset.tools.map((tool) => `${tool.server}/${tool.name}`);
      expect(keys).toContain("filesystem/read_text_file");
      expect(keys).toContain("memory/search_nodes");
      expect(keys).toContain("everything/echo");
    } finally {
      await toolset.close();
    }
  });

  test("only the servers of the allowed tools are started", async () => {
    const toolset = await openToolset({
      cwd: repo,
      configPath: servers,
      cacheDir: join(scratch, "cache"),
      keys: ["memory/read_graph"],
    });
    try {
      expect(toolset.servers).toEqual(["memory"]);
      const pool = toolset.backend as unknown as { startedServers(): string[] };
      expect(pool.startedServers()).toEqual(["memory"]);
    } finally {
      await toolset.close();
    }
  });
});

describe("exec usage errors", () => {
  test("no code, or code given twice", async () => {
    expect((await caught(execCode({ language: "python", cwd: repo, configPath: servers }))).code).toBe("USAGE");
    expect(
      (await caught(execCode({ language: "python", code: "1", file: "x.py", cwd: repo, configPath: servers }))).code,
    ).toBe("USAGE");
  });

  test("a --file that does not exist", async () => {
    const error = await caught(
      execCode({ language: "python", file: "no/such/prog.py", cwd: repo, configPath: servers }),
    );
    expect(error.code).toBe("NOT_FOUND");
    expect(error.data.file).toBe("no/such/prog.py");
  });

  test("bad --input JSON", async () => {
    const error = await caught(
      execCode({ language: "python", code: "result = 1", input: "{nope}", cwd: repo, configPath: servers }),
    );
    expect(error.code).toBe("INPUT_INVALID");
    expect(error.data).toMatchObject({ line: 1, column: 2 });
  });

  test("--lang values", () => {
    expect(parseLanguage("py")).toBe("python");
    expect(parseLanguage("TypeScript")).toBe("typescript");
    expect(parseLanguage("js")).toBe("javascript");
    expect(() => parseLanguage("cobol")).toThrow(/unknown language "cobol"/);
    expect(() => parseLanguage(undefined)).toThrow(/--lang is required/);
  });

  test("--timeout values", () => {
    expect(parseTimeout(undefined)).toBeUndefined();
    expect(parseTimeout("2500")).toBe(2500);
    expect(parseTimeout(100)).toBe(100);
    for (const bad of ["soon", "-5", "0", "1.5"])
      expect(() => parseTimeout(bad)).toThrow(/whole number of milliseconds/);
  });

  test("--tools keys", () => {
    expect(parseToolKeys("a/b, c/d,a/b")).toEqual(["a/b", "c/d"]);
    expect(parseToolKeys(["a/b", "c/d-e"])).toEqual(["a/b", "c/d-e"]);
    expect(() => parseToolKeys("read_file")).toThrow(/not a tool key/);
  });

  test("a tool key whose tool does not exist, and an unknown server", async () => {
    const missing = await caught(
      execCode({
        language: "python",
        code: "result = 1",
        tools: ["everything/get_sum"],
        cwd: repo,
        configPath: servers,
      }),
    );
    expect(missing.code).toBe("TOOL_NOT_FOUND");
    expect(missing.data.hint).toContain('did you mean "get-sum"');
    const server = await caught(
      execCode({ language: "python", code: "result = 1", tools: ["slack/post"], cwd: repo, configPath: servers }),
    );
    expect(server.code).toBe("SERVER_NOT_FOUND");
  });

  test("no .mcp.json anywhere above, when tools are asked for", async () => {
    const error = await caught(execCode({ language: "python", code: "result = 1", tools: ["a/b"], cwd: scratch }));
    expect(error.code).toBe("MCP_CONFIG_NOT_FOUND");
  });
});

describe("PII in exec", () => {
  test("tool results are tokenized before the program sees them; tokens are restored on the way to a tool", async () => {
    const tag = randomBytes(4).toString("hex");
    const email = `ada.${tag}@example.com`;
    const result = await execCode({
      language: "python",
      tools: ["memory/create_entities", "memory/search_nodes"],
      code: `from servers.memory import create_entities, search_nodes
create_entities(entities=[{"name": "PiiSource ${tag}", "entityType": "person", "observations": ["mail ${email}"]}])
seen = search_nodes(query="PiiSource ${tag}")["entities"][0]["observations"]
create_entities(entities=[{"name": "PiiCopy ${tag}", "entityType": "person", "observations": seen}])
result = seen
`,
      cwd: repo,
      configPath: servers,
    });
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result.run.result)).toMatch(/^\["mail \[EMAIL_\d+\]"\]$/);
    // the real value reached the tool: the memory server stored it under the copy
    const memory = await readFile(join(scratch, "servers", "memory.jsonl"), "utf8");
    const copy = memory.split("\n").find((line) => line.includes(`PiiCopy ${tag}`));
    expect(copy).toContain(email);
    expect(piiLine(result.run.pii)).toMatch(
      /^pii \(default\): the program saw \d+ values? of tool results as tokens? \(\[EMAIL_1\]…\), 1 restored in tool arguments \(email/,
    );
  });

  test("--pii off passes values through", async () => {
    const result = await execCode({
      language: "python",
      tools: ["everything/echo"],
      code: 'from servers.everything import echo\nresult = echo(message="bob@example.com")[0]["text"]\n',
      pii: "off",
      cwd: repo,
      configPath: servers,
    });
    expect(result.run.result).toBe("Echo: bob@example.com");
  });

  test("an unknown --pii mode is a usage error", () => {
    expect(parsePiiMode(undefined)).toBeUndefined();
    expect(parsePiiMode("strict")).toBe("strict");
    expect(() => parsePiiMode("paranoid")).toThrow(/unknown --pii mode "paranoid"/);
  });
});
