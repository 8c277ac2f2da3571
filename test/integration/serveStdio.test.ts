/**
 * `skills serve` over stdio, as Claude Code or Cursor start it: the built binary, driven by the SDK's Client, with the
 * repository's real .mcp.json servers and the real sandbox. Search, code with tools, errors, parallel runs, sessions,
 * skills and resources; then the way it ends: the client closing stdin, or SIGTERM, with a run in flight.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { countTokens } from "../../src/core/discovery/index.js";
import { ProcessStdioTransport } from "../../src/mcp/pool/stdioTransport.js";
import { CLI, REPO } from "../helpers/cli.js";
import { descendants, survivors } from "../helpers/processes.js";
import { testStateEnv } from "../helpers/serveProject.js";

type Answer = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: unknown };

interface Served {
  client: Client;
  transport: ProcessStdioTransport;
  stderr: string[];
}

async function startServer(cwd: string, args: string[] = []): Promise<Served> {
  const stderr: string[] = [];
  const transport = new ProcessStdioTransport({
    command: process.execPath,
    args: [CLI, "serve", ...args],
    env: { NO_COLOR: "1", ...testStateEnv() },
    cwd,
    graceMs: 10_000,
    onStderr: (text) => stderr.push(text),
  });
  const client = new Client({ name: "stdio-test-client", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport, stderr };
}

const call = (served: Served, name: string, args: Record<string, unknown>) =>
  served.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 }) as Promise<Answer>;

let served: Served;

beforeAll(async () => {
  served = await startServer(REPO);
}, 60_000);

afterAll(async () => {
  await served?.client.close();
});

describe("skills serve over stdio", () => {
  test("lists six tools in at most 1,500 tokens, and tells the client how they fit together", async () => {
    const { tools } = await served.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      "search_tools",
      "execute_code",
      "list_skills",
      "get_skill",
      "run_skill",
      "save_skill",
    ]);
    expect(await countTokens(JSON.stringify(tools))).toBeLessThanOrEqual(1500);
    expect(served.client.getInstructions()).toContain("Servers: filesystem, memory, everything.");
    expect(served.client.getServerVersion()).toMatchObject({ name: "skills" });
  });

  test("search_tools finds tools at each detail level, full in the language asked for", async () => {
    const summary = await call(served, "search_tools", { query: "read a text file", limit: 3 });
    const results = summary.structuredContent!.results as { key: string; summary?: string }[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.map((hit) => hit.key)).toContain("filesystem/read_text_file");
    expect(results[0]!.summary).toBeTruthy();

    const names = await call(served, "search_tools", { query: "sum two numbers", detail: "name", limit: 1 });
    expect(names.structuredContent!.results).toEqual([{ key: "everything/get-sum" }]);

    const python = await call(served, "search_tools", { query: "get-sum", detail: "full", limit: 1 });
    const py = (python.structuredContent!.results as Record<string, unknown>[])[0]!;
    expect(py).toMatchObject({
      key: "everything/get-sum",
      import: "from servers.everything import get_sum",
      signature: expect.stringMatching(/^def get_sum\(\*, a: float, b: float\)/),
      input_schema: { type: "object", required: ["a", "b"] },
    });
    expect(JSON.stringify(py)).not.toContain("Promise<");
    const ts = await call(served, "search_tools", {
      query: "get-sum",
      detail: "full",
      limit: 1,
      language: "typescript",
    });
    const entry = (ts.structuredContent!.results as Record<string, unknown>[])[0]!;
    expect(entry.import).toBe('import { getSum } from "servers/everything";');
    expect(entry.signature).toMatch(/^getSum\(input: \{ a: number; b: number; \}\): Promise</);
    expect(JSON.stringify(entry)).not.toContain("def get_sum");
  });

  test("search_tools refuses bad arguments with a message the model can act on", async () => {
    const answer = await call(served, "search_tools", { query: "x", detail: "everything", limit: 500 });
    expect(answer.isError).toBe(true);
    const text = (answer.content as { text: string }[])[0]!.text;
    expect(text).toContain("/detail must be equal to one of the allowed values");
    expect(text).toContain("/limit must be <= 50");
  });

  test("execute_code calls real tools from Python and TypeScript", async () => {
    const python = await call(served, "execute_code", {
      language: "python",
      code: [
        "from servers.everything import get_sum",
        "from servers.filesystem import read_text_file",
        "total = get_sum(a=20, b=22)",
        'head = read_text_file(path="package.json", head=2)["content"]',
        "result = {'sum': total, 'first': head.splitlines()[0]}",
      ].join("\n"),
      tools: ["everything/get-sum", "filesystem/read_text_file"],
    });
    expect(python.isError).toBeUndefined();
    expect(python.structuredContent).toMatchObject({
      ok: true,
      result: { first: "{" },
      tool_calls: { "everything/get-sum": 1, "filesystem/read_text_file": 1 },
    });
    expect(JSON.stringify(python.structuredContent!.result)).toContain("42");

    const typescript = await call(served, "execute_code", {
      language: "typescript",
      code: 'import { getSum } from "servers/everything";\nexport const result = await getSum({ a: 1, b: 2 });',
    });
    expect(typescript.structuredContent).toMatchObject({ ok: true, tool_calls: { "everything/get-sum": 1 } });
  });

  test("a tool the call did not allow is refused inside the program", async () => {
    const answer = await call(served, "execute_code", {
      language: "python",
      code: "from servers.everything import get_sum\nresult = get_sum(a=1, b=2)",
      tools: ["filesystem/read_text_file"],
    });
    expect(answer.isError).toBe(true);
    expect(JSON.stringify(answer.structuredContent!.error)).toMatch(/everything/);
  });

  test("an unknown tool key is an error naming the server's tools", async () => {
    const answer = await call(served, "execute_code", {
      language: "python",
      code: "result = 1",
      tools: ["everything/nope"],
    });
    expect(answer.isError).toBe(true);
    expect((answer.content as { text: string }[])[0]!.text).toMatch(
      /^TOOL_NOT_FOUND: server "everything" has no tool "nope"/,
    );
  });

  test("a syntax error comes back with its message and line; the server goes on", async () => {
    const python = await call(served, "execute_code", { language: "python", code: "x = 1\ny = (\n" });
    expect(python.isError).toBe(true);
    expect(python.structuredContent).toMatchObject({
      ok: false,
      error: { code: "PROGRAM_ERROR", message: expect.stringContaining("SyntaxError"), line: 2 },
    });
    const ts = await call(served, "execute_code", { language: "typescript", code: "const a = 1;\nconst b = ;\n" });
    expect(ts.structuredContent).toMatchObject({ ok: false, error: { code: "PROGRAM_ERROR", line: 2 } });
    const raised = await call(served, "execute_code", {
      language: "python",
      code: "import sys\nprint('to stderr', file=sys.stderr)\ndef f():\n    return 1 / 0\nf()\n",
    });
    expect(raised.structuredContent).toMatchObject({
      ok: false,
      stderr: "to stderr\n",
      error: { message: "ZeroDivisionError: division by zero", line: 4 },
    });
    expect(String((raised.structuredContent!.error as { traceback: string }).traceback)).not.toContain("_runtime");
    expect(
      (await call(served, "execute_code", { language: "python", code: "result = 'still here'" })).structuredContent,
    ).toMatchObject({ ok: true, result: "still here" });
  });

  test("the sandbox holds: no host files, no network, no writes outside the workspace; a runaway is stopped", async () => {
    const code = [
      "import socket",
      "out = {}",
      "try:",
      f("    open(%r).read()", `${REPO}/package.json`),
      "except OSError as e: out['host_file'] = type(e).__name__",
      "try:",
      "    socket.create_connection(('1.1.1.1', 53), timeout=2)",
      "except OSError as e: out['network'] = type(e).__name__",
      "try:",
      "    open('/usr/planted', 'w')",
      "except OSError as e: out['write'] = type(e).__name__",
      "result = out",
    ].join("\n");
    const contained = await call(served, "execute_code", { language: "python", code });
    expect(contained.structuredContent).toMatchObject({
      ok: true,
      result: { host_file: "FileNotFoundError", network: "OSError", write: "OSError" },
    });
    const runaway = await call(served, "execute_code", {
      language: "python",
      code: "while True: pass",
      timeout_ms: 500,
    });
    expect(runaway.isError).toBe(true);
    expect(runaway.structuredContent).toMatchObject({ ok: false, error: { killed_by: "timeout" } });
  });

  test("8 executions at once each get their own sandbox", async () => {
    const code = (n: number) =>
      [
        "import os, time",
        `open('marker-${n}', 'w').write('${n}')`,
        "time.sleep(0.5)",
        `result = {'n': ${n}, 'files': sorted(f for f in os.listdir('.') if f.startswith('marker'))}`,
      ].join("\n");
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, n) => call(served, "execute_code", { language: "python", code: code(n) })),
    );
    const wall = performance.now() - started;
    answers.forEach((answer, n) => {
      expect(answer.structuredContent).toMatchObject({ ok: true, result: { n, files: [`marker-${n}`] } });
    });
    // side by side, not one after another (8 x 0.5 s)
    expect(wall).toBeLessThan(3800);
  });

  test("a session keeps its variables between calls, in Python and TypeScript", async () => {
    const first = await call(served, "execute_code", { language: "python", code: "x = 41", session_id: "new" });
    const id = first.structuredContent!.session_id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const second = await call(served, "execute_code", { language: "python", code: "x + 1", session_id: id });
    expect(second.structuredContent).toMatchObject({ ok: true, result: 42, session_id: id });

    const ts = await call(served, "execute_code", {
      language: "typescript",
      code: "let base = 40;",
      session_id: "new",
    });
    const tsId = ts.structuredContent!.session_id as string;
    const more = await call(served, "execute_code", { language: "typescript", code: "base + 2", session_id: tsId });
    expect(more.structuredContent).toMatchObject({ ok: true, result: 42 });

    const wrong = await call(served, "execute_code", { language: "typescript", code: "1", session_id: id });
    expect((wrong.content as { text: string }[])[0]!.text).toMatch(/^INVALID_ARGUMENT: session .* runs python/);
    const unknown = await call(served, "execute_code", {
      language: "python",
      code: "x",
      session_id: "no-such-session",
    });
    expect(unknown.isError).toBe(true);
    expect((unknown.content as { text: string }[])[0]!.text).toContain(
      'NOT_FOUND: there is no session no-such-session\nhint: pass session_id "new"',
    );
  });

  test("list_skills, get_skill, run_skill and the skill resources", async () => {
    const list = await call(served, "list_skills", {});
    const skills = list.structuredContent!.skills as { name: string; version: string }[];
    expect(skills.map((skill) => skill.name)).toContain("summarize-directory");

    const skill = await call(served, "get_skill", { name: "summarize-directory" });
    expect(skill.structuredContent).toMatchObject({
      name: "summarize-directory",
      version: "1.0.0",
      manifest: { entry: "main.py", tools: { "filesystem/directory_tree": "^0.2.0" } },
      signature: expect.stringMatching(
        /^run_skill \{name: "summarize-directory", input: \{ path: string; top\?: number;/,
      ),
    });
    expect(skill.structuredContent!.skill_md).toContain("# summarize-directory");

    const run = await call(served, "run_skill", {
      name: "summarize-directory",
      input: { path: "src/core/serve", top: 1 },
    });
    expect(run.structuredContent).toMatchObject({
      ok: true,
      skill: { name: "summarize-directory", version: "1.0.0" },
      result: { path: "src/core/serve", largest: [expect.objectContaining({ bytes: expect.any(Number) })] },
    });

    const badInput = await call(served, "run_skill", { name: "summarize-directory", input: { top: 0 } });
    expect(badInput.isError).toBe(true);
    expect((badInput.content as { text: string }[])[0]!.text).toMatch(/^INPUT_INVALID/);
    const tagged = await call(served, "run_skill", { name: "summarize-directory", version: "0.9.0" });
    expect(tagged.isError).toBe(true);
    const taggedText = (tagged.content as { text: string }[])[0]!.text;
    expect(taggedText).toMatch(
      /^(NOT_A_REPOSITORY|VERSION_NOT_FOUND): version 0\.9\.0 of summarize-directory cannot be run: /,
    );
    expect(taggedText).toContain("the working copy is version 1.0.0: leave out version to run it");
    const current = await call(served, "run_skill", {
      name: "summarize-directory",
      version: "1.0.0",
      input: { path: "src/core/serve", top: 1 },
    });
    expect(current.structuredContent).toMatchObject({ ok: true, skill: { version: "1.0.0" } });
    const missing = await call(served, "get_skill", { name: "summarise-directory" });
    expect((missing.content as { text: string }[])[0]!.text).toContain('did you mean "summarize-directory"?');
    const path = await call(served, "get_skill", { name: "../etc" });
    expect(path.isError).toBe(true);

    const { resources } = await served.client.listResources();
    expect(resources.map((resource) => resource.uri)).toContain("skill://summarize-directory/SKILL.md");
    const read = await served.client.readResource({ uri: "skill://summarize-directory/SKILL.md" });
    expect((read.contents[0] as { text: string }).text).toMatch(/^---\nname: summarize-directory/);
  });
});

describe("ending skills serve", () => {
  test("the client closing stdin mid-run ends the run, the sandboxes and the servers; exit code 0", async () => {
    const own = await startServer(REPO);
    const pending = call(own, "execute_code", { language: "python", code: "import time\ntime.sleep(60)" }).catch(
      (error: Error) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const pid = own.transport.pid!;
    const below = descendants(pid);
    // the upstream servers and at least one sandbox run below the server
    expect(below.length).toBeGreaterThanOrEqual(4);
    const started = Date.now();
    await own.transport.close(10_000);
    expect(own.transport.exitStatus).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(await survivors(below)).toEqual([]);
    await pending;
    expect(own.stderr.join("")).toContain("skills serve: stopped after execute_code 1");
  }, 60_000);

  test("SIGTERM mid-run ends everything the same way", async () => {
    const own = await startServer(REPO);
    const pending = call(own, "execute_code", {
      language: "python",
      code: "import time\ntime.sleep(60)",
      session_id: "new",
    }).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const pid = own.transport.pid!;
    const below = descendants(pid);
    expect(below.length).toBeGreaterThanOrEqual(4);
    process.kill(pid, "SIGTERM");
    for (let i = 0; i < 200 && !own.transport.exitStatus; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(own.transport.exitStatus).toEqual({ code: 0, signal: null });
    expect(await survivors(below)).toEqual([]);
    await pending;
    await own.client.close();
  }, 60_000);
});

function f(template: string, value: string): string {
  return template.replace("%r", JSON.stringify(value));
}
