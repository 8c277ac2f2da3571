/**
 * runProgram against real bwrap, real python3 and node, and a real MCP server (McpServer over InMemoryTransport).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SkillsError } from "../../src/errors.js";
import { createRunner, detectIsolation, runProgram } from "../../src/sandbox/index.js";
import type { RunRequest } from "../../src/contracts/run.js";
import {
  type TestBackend,
  createTestBackend,
  leftoverCgroups,
  settledSandboxProcesses,
} from "../unit/sandbox/helpers.js";

let backend: TestBackend;
const run = (request: Omit<RunRequest, "tools" | "backend"> & Partial<RunRequest>) =>
  runProgram({ tools: backend.tools, backend, ...request });

beforeAll(async () => {
  backend = await createTestBackend();
});

afterAll(async () => {
  await backend.close();
});

describe("entry conventions and the SDK", () => {
  test("python: run(input) with SDK imports returns the result", async () => {
    const result = await run({
      language: "python",
      code: [
        "from servers.demo import add, items",
        "def run(input):",
        "    big = [i for i in items(count=100) if i['size'] >= 900]",
        "    return {'sum': add(a=input['a'], b=2)['sum'], 'big': len(big)}",
      ].join("\n"),
      input: { a: 40 },
    });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({
      ok: true,
      result: { sum: 42, big: 10 },
      isolation: "bwrap",
      timedOut: false,
      killedBy: null,
    });
    expect(result.toolCalls.map((c) => [c.tool, c.ok])).toEqual([
      ["demo/items", true],
      ["demo/add", true],
    ]);
    expect(result.toolCalls[0]!.bytesOut).toBeGreaterThan(1000);
    expect(result.toolCalls[0]!.bytesIn).toBe(JSON.stringify({ count: 100 }).length);
  });

  test("python: notebook-style script assigning result, with prints captured apart from the result", async () => {
    const result = await run({ language: "python", code: "print('working')\nresult = {'n': 3}" });
    expect(result).toMatchObject({ ok: true, result: { n: 3 }, logs: "working\n" });
  });

  test("python: async def run and top-level await both work", async () => {
    const a = await run({ language: "python", code: "async def run(input):\n    return input * 2", input: 21 });
    expect(a.result).toBe(42);
    const b = await run({
      language: "python",
      code: "from servers._runtime import call_tool_async\nresult = await call_tool_async('demo', 'add', {'a': 1, 'b': 1})",
    });
    expect(b.result).toEqual({ sum: 2 });
  });

  test("typescript: export async function run(input) with SDK imports", async () => {
    const result = await run({
      language: "typescript",
      code: [
        'import { add, echo } from "servers/demo";',
        "interface In { a: number }",
        "export async function run(input: In): Promise<unknown> {",
        "  console.log('ts here');",
        "  const s = await add({ a: input.a, b: 1 });",
        "  return { s, e: await echo({ text: '[1,2]' }) };",
        "}",
      ].join("\n"),
      input: { a: 1 },
    });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ ok: true, result: { s: { sum: 2 }, e: [1, 2] }, logs: "ts here\n" });
  });

  test("typescript: notebook-style top-level `const result` with top-level await", async () => {
    const result = await run({
      language: "typescript",
      code: 'import { add } from "servers/demo";\nconst r = await add({ a: 2, b: 3 }) as { sum: number };\nconst result = r.sum * 10;',
    });
    expect(result).toMatchObject({ ok: true, result: 50 });
  });

  test("javascript: plain JS runs too", async () => {
    const result = await run({
      language: "javascript",
      code: "export function run(input) { return input.map((x) => x + 1); }",
      input: [1, 2],
    });
    expect(result.result).toEqual([2, 3]);
  });

  test("a skill folder: entry file read from it, relative imports work, mounted read-only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skill-"));
    try {
      writeFileSync(join(dir, "helper.py"), "def double(x):\n    return x * 2\n");
      writeFileSync(
        join(dir, "main.py"),
        "import os\nfrom helper import double\ndef run(input):\n    try:\n        open('/skill/x', 'w')\n        ro = False\n    except OSError:\n        ro = True\n    return {'v': double(input), 'ro': ro, 'files': sorted(os.listdir('/skill'))}\n",
      );
      writeFileSync(join(dir, "util.ts"), "export const triple = (x: number): number => x * 3;\n");
      writeFileSync(
        join(dir, "main.ts"),
        'import { triple } from "./util";\nexport async function run(input: number) { return triple(input); }\n',
      );
      const py = await run({ language: "python", skillDir: dir, entryFile: "main.py", input: 4 });
      expect(py.result).toEqual({ v: 8, ro: true, files: ["helper.py", "main.py", "main.ts", "util.ts"] });
      const ts = await run({ language: "typescript", skillDir: dir, entryFile: "main.ts", input: 4 });
      expect(ts.result).toBe(12);
      // A private (0700) folder is copied for the sandbox; a world-readable one is bound in place. Both work.
      chmodSync(dir, 0o755);
      const bound = await run({ language: "python", skillDir: dir, entryFile: "main.py", input: 5 });
      expect(bound.result).toMatchObject({ v: 10, ro: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a readable skill inside a private (0700) parent is copied, without its tests and cassettes", async () => {
    const parent = mkdtempSync(join(tmpdir(), "skills-private-parent-"));
    const dir = join(parent, "skill");
    try {
      chmodSync(parent, 0o700);
      mkdirSync(join(dir, "tests"), { recursive: true, mode: 0o755 });
      mkdirSync(join(dir, "cassettes"), { mode: 0o755 });
      chmodSync(dir, 0o755);
      writeFileSync(join(dir, "tests", "basic.yaml"), "name: basic\n");
      writeFileSync(join(dir, "cassettes", "basic.json"), "{}\n");
      writeFileSync(join(dir, "main.py"), "import os\ndef run(input):\n    return sorted(os.listdir('/skill'))\n");
      const py = await run({ language: "python", skillDir: dir, entryFile: "main.py" });
      expect(py.error).toBeUndefined();
      expect(py.result).toEqual(["main.py"]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  test("a missing interpreter is a clear SANDBOX_FAILED, not a crash", async () => {
    const runner = createRunner({ python: "/nonexistent/python3", pool: { python: 1 } });
    await expect(runner.run({ language: "python", code: "result = 1", tools: [] })).rejects.toMatchObject({
      code: "SANDBOX_FAILED",
      message: "the python interpreter /nonexistent/python3 does not exist or is not executable",
    });
    await runner.close();
  });

  test("a missing entry file is an input error", async () => {
    await expect(run({ language: "python", skillDir: tmpdir(), entryFile: "nope.py" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(run({ language: "python" })).rejects.toBeInstanceOf(SkillsError);
  });
});

describe("concurrent tool calls", () => {
  test("python threads share one bridge: 8 calls of 150 ms finish together", async () => {
    const result = await run({
      language: "python",
      code: [
        "import threading, time",
        "from servers.demo import echo",
        "def run(input):",
        "    out = []",
        "    ts = [threading.Thread(target=lambda i=i: out.append(echo(text=str(i), delay_ms=150))) for i in range(8)]",
        "    t = time.time()",
        "    [x.start() for x in ts]; [x.join() for x in ts]",
        "    return {'n': sorted(out), 'ms': (time.time() - t) * 1000}",
      ].join("\n"),
    });
    expect(result.error).toBeUndefined();
    const value = result.result as { n: number[]; ms: number };
    expect(value.n).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(value.ms).toBeLessThan(8 * 150);
    expect(result.toolCalls).toHaveLength(8);
  });

  test("a forked child cannot use the bridge (it would race its parent for answers)", async () => {
    const result = await run({
      language: "python",
      code: [
        "import os",
        "from servers.demo import add",
        "from servers._runtime import ToolError",
        "def run(input):",
        "    r, w = os.pipe()",
        "    pid = os.fork()",
        "    if pid == 0:",
        "        try:",
        "            add(a=1, b=1)",
        "            os.write(w, b'called')",
        "        except ToolError as e:",
        "            os.write(w, e.code.encode())",
        "        os._exit(0)",
        "    os.waitpid(pid, 0)",
        "    return [os.read(r, 100).decode(), add(a=2, b=2)['sum']]",
      ].join("\n"),
    });
    expect(result.result).toEqual(["BRIDGE_FORKED", 4]);
  });

  test("python asyncio.gather and TS Promise.all run calls concurrently", async () => {
    const py = await run({
      language: "python",
      code: "import asyncio, time\nfrom servers._runtime import call_tool_async\nt = time.time()\nv = await asyncio.gather(*[call_tool_async('demo', 'echo', {'text': str(i), 'delayMs': 150}) for i in range(6)])\nresult = {'v': v, 'ms': (time.time() - t) * 1000}",
    });
    expect((py.result as { v: number[] }).v).toEqual([0, 1, 2, 3, 4, 5]);
    expect((py.result as { ms: number }).ms).toBeLessThan(6 * 150);
    const ts = await run({
      language: "typescript",
      code: 'import { echo } from "servers/demo";\nexport async function run() { const t = Date.now(); const v = await Promise.all([0,1,2,3,4,5].map((i) => echo({ text: String(i), delayMs: 150 }))); return { v, ms: Date.now() - t }; }',
    });
    expect((ts.result as { v: number[] }).v).toEqual([0, 1, 2, 3, 4, 5]);
    expect((ts.result as { ms: number }).ms).toBeLessThan(6 * 150);
  });

  test("tool wait time is not CPU time", async () => {
    const result = await run({
      language: "python",
      code: "from servers.demo import echo\nresult = echo(text='1', delay_ms=400)",
    });
    expect(result.ok).toBe(true);
    expect(result.durationMs).toBeGreaterThan(400);
    expect(result.cpuMs).toBeLessThan(200);
  });
});

describe("bridge refusals surface as ToolError inside the program", () => {
  const probe = (call: string) =>
    [
      "from servers._runtime import ToolError, call_tool",
      "def run(input):",
      "    try:",
      `        ${call}`,
      "        return 'no error'",
      "    except ToolError as e:",
      "        return {'code': e.code, 'message': e.message, 'server': e.server, 'tool': e.tool}",
    ].join("\n");

  test("an undeclared tool: TOOL_NOT_DECLARED, never forwarded", async () => {
    const result = await run({
      language: "python",
      code: probe("call_tool('demo', 'add', {'a': 1, 'b': 2})"),
      tools: backend.tools.filter((t) => t.name !== "add"),
    });
    expect(result.result).toMatchObject({ code: "TOOL_NOT_DECLARED", server: "demo", tool: "add" });
    expect((result.result as { message: string }).message).toMatch(/demo\/add is not declared/);
    expect(backend.calls.some((c) => c.tool === "add" && c.args.a === 1 && c.args.b === 2)).toBe(false);
    expect(result.toolCalls).toEqual([
      expect.objectContaining({ tool: "demo/add", ok: false, error: "TOOL_NOT_DECLARED" }),
    ]);
  });

  test("arguments that break the inputSchema: TOOL_ARGS_INVALID with the pointer", async () => {
    const wrongType = await run({ language: "python", code: probe("call_tool('demo', 'add', {'a': 'one', 'b': 2})") });
    expect(wrongType.result).toMatchObject({ code: "TOOL_ARGS_INVALID" });
    expect((wrongType.result as { message: string }).message).toMatch(/at \/a: must be number/);
    const missing = await run({ language: "python", code: probe("call_tool('demo', 'add', {'a': 1})") });
    expect((missing.result as { message: string }).message).toMatch(/at \/b: must have required property 'b'/);
    const notObject = await run({
      language: "typescript",
      code: 'import { callTool, ToolError } from "servers/_runtime";\nexport async function run() { try { await callTool("demo", "add", [1] as never); } catch (e) { return (e as ToolError).code; } }',
    });
    expect(notObject.result).toBe("TOOL_ARGS_INVALID");
  });

  test("max_tool_calls: the call after the limit gets TOOL_CALL_LIMIT", async () => {
    const result = await run({
      language: "python",
      code: probe("[call_tool('demo', 'add', {'a': i, 'b': 0}) for i in range(4)]"),
      limits: { maxToolCalls: 3 },
    });
    expect(result.result).toMatchObject({ code: "TOOL_CALL_LIMIT" });
    expect(result.toolCalls.filter((c) => c.ok)).toHaveLength(3);
  });

  test("a tool's own error (isError) raises with the server's message", async () => {
    const py = await run({ language: "python", code: probe("call_tool('demo', 'fail', {})") });
    expect(py.result).toMatchObject({ code: "TOOL_ERROR", message: "disk on fire" });
    const ts = await run({
      language: "typescript",
      code: 'import { callTool, ToolError } from "servers/_runtime";\nexport async function run() { try { await callTool("demo", "fail", {}); } catch (e) { return [e instanceof ToolError, (e as ToolError).message, (e as ToolError).code]; } }',
    });
    expect(ts.result).toEqual([true, "disk on fire", "TOOL_ERROR"]);
    expect(py.toolCalls[0]).toMatchObject({ ok: false, error: "TOOL_ERROR" });
  });

  test("no backend connected: TOOL_CALL_FAILED", async () => {
    const result = await runProgram({
      language: "python",
      code: probe("call_tool('demo', 'add', {'a': 1, 'b': 2})"),
      tools: backend.tools,
    });
    expect(result.result).toMatchObject({ code: "TOOL_CALL_FAILED" });
  });

  test("an uncaught tool error fails the run with PROGRAM_ERROR and the traceback", async () => {
    const result = await run({
      language: "python",
      code: "from servers._runtime import call_tool\ndef run(input):\n    return call_tool('demo', 'fail', {})",
    });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("PROGRAM_ERROR");
    expect(result.error?.message).toContain("disk on fire");
    expect(result.error?.stack).toContain("line 3, in run");
  });

  test("interceptor: beforeCall rewrites arguments, afterCall rewrites results, audit lands in pii", async () => {
    const result = await run({
      language: "python",
      code: "from servers.demo import echo\nresult = echo(text='[EMAIL_1]')",
      interceptor: {
        beforeCall: (_s, _t, args) => ({ ...args, text: '"alice@example.com"' }),
        afterCall: (_s, _t, value) => ({
          content: [{ type: "text", text: JSON.stringify(`seen ${JSON.stringify(value).length}`) }],
        }),
        checkOutput: (value) => value,
        audit: () => ({ emails: 1 }),
      },
    });
    expect(backend.calls.at(-1)?.args).toMatchObject({ text: '"alice@example.com"' });
    expect(result.result).toMatch(/^seen \d+$/);
    expect(result.pii).toEqual({ emails: 1 });
  });

  test("checkOutput refusing a result fails the run with its code", async () => {
    const result = await run({
      language: "python",
      code: "result = 'secret'",
      interceptor: {
        beforeCall: (_s, _t, a) => a,
        afterCall: (_s, _t, r) => r,
        checkOutput: (value) => {
          if (JSON.stringify(value).includes("secret"))
            throw new SkillsError("PII_LEAK", "the result contains a raw email");
          return value;
        },
      },
    });
    expect(result).toMatchObject({ ok: false, error: { code: "PII_LEAK" } });
    expect(result.result).toBeUndefined();
  });
});

describe("results, errors and budgets", () => {
  test("a result over max_output_bytes is replaced by an explicit truncation notice; ok stays true", async () => {
    const result = await run({ language: "python", code: "result = 'x' * 5000", limits: { maxOutputBytes: 100 } });
    expect(result.ok).toBe(true);
    expect(result.result).toMatchObject({ truncated: true, preview: `"${"x".repeat(99)}` });
    expect(result.truncated?.result).toMatch(/5002 bytes of JSON, over the 100-byte limit/);
    expect(result.warnings?.some((w) => w.includes("max_output_bytes"))).toBe(true);
    const ts = await run({
      language: "typescript",
      code: "export const result = 'y'.repeat(5000);",
      limits: { maxOutputBytes: 100 },
    });
    expect(ts.truncated?.result).toMatch(/over the 100-byte limit/);
  });

  test("stdout and stderr floods are capped with a visible notice", async () => {
    const result = await run({
      language: "python",
      code: "import sys\nfor i in range(20000):\n    print('line', i)\n    sys.stderr.write('err\\n')\nresult = 1",
      limits: { maxLogBytes: 1000 },
    });
    expect(result.ok).toBe(true);
    expect(result.logs.startsWith("line 0\n")).toBe(true);
    expect(result.logs.length).toBeLessThan(1200);
    expect(result.logs).toMatch(/more bytes of stdout were dropped: over the 1000-byte log limit/);
    expect(result.truncated?.stderr).toMatch(/stderr were dropped/);
  });

  test("output schema mismatch: OUTPUT_INVALID with the pointer", async () => {
    const result = await run({
      language: "python",
      code: "result = {'count': 'three'}",
      outputSchema: { type: "object", properties: { count: { type: "integer" } }, required: ["count"] },
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: "OUTPUT_INVALID", pointer: "/count" });
    expect(result.error?.message).toMatch(/at \/count: must be integer/);
    expect(result.result).toEqual({ count: "three" });
    const good = await run({
      language: "python",
      code: "result = {'count': 3}",
      outputSchema: { type: "object", properties: { count: { type: "integer" } } },
    });
    expect(good.ok).toBe(true);
  });

  test("a result that is not JSON-serialisable fails clearly", async () => {
    const py = await run({ language: "python", code: "result = {1, 2}" });
    expect(py).toMatchObject({ ok: false, error: { code: "RESULT_NOT_SERIALIZABLE" } });
    expect(py.error?.message).toMatch(/set is not JSON serializable/);
    const ts = await run({
      language: "typescript",
      code: "const a: Record<string, unknown> = {}; a.self = a; export const result = a;",
    });
    expect(ts).toMatchObject({ ok: false, error: { code: "RESULT_NOT_SERIALIZABLE" } });
    const nan = await run({ language: "python", code: "result = float('nan')" });
    expect(nan.error?.code).toBe("RESULT_NOT_SERIALIZABLE");
  });

  test("program exceptions: PROGRAM_ERROR with message and stack (no worker frames)", async () => {
    const py = await run({ language: "python", code: "def run(input):\n    return 1 / 0" });
    expect(py.error).toMatchObject({ code: "PROGRAM_ERROR", message: "ZeroDivisionError: division by zero" });
    expect(py.error?.stack).not.toContain("worker.py");
    const ts = await run({
      language: "typescript",
      code: "export async function run() { throw new RangeError('nope'); }",
    });
    expect(ts.error).toMatchObject({ code: "PROGRAM_ERROR", message: "RangeError: nope" });
    const syntax = await run({ language: "python", code: "def run(:\n  pass" });
    expect(syntax.error?.message).toMatch(/SyntaxError/);
  });

  test("a TypeScript compile error names file:line:col and never starts a process", async () => {
    const result = await run({ language: "typescript", code: "export const x = 1;\nconst = ;", entryFile: "main.ts" });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("PROGRAM_ERROR");
    expect(result.error?.message).toMatch(/^main\.ts:2:7: /);
  });

  test("an import of a server that is not declared fails at bundle time with a hint", async () => {
    const result = await run({
      language: "typescript",
      code: 'import { x } from "servers/nope";\nexport const result = x;',
    });
    expect(result.error?.message).toMatch(/no generated SDK module "servers\/nope"/);
  });

  test("a program that exits without a result fails with SANDBOX_FAILED", async () => {
    const result = await run({ language: "python", code: "import os\nos._exit(3)" });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("SANDBOX_FAILED");
    const exit = await run({ language: "python", code: "import sys\nsys.exit(2)" });
    expect(exit.error?.message).toMatch(/exit\(2\)/);
  });
});

describe("limits kill the whole tree", () => {
  test("wall-clock timeout: timedOut, killedBy timeout, children in their own session die too", async () => {
    const started = Date.now();
    const result = await run({
      language: "python",
      code: "import subprocess, time\nsubprocess.Popen(['/usr/bin/setsid', '/usr/bin/sleep', '300'])\ntime.sleep(300)",
      limits: { timeoutMs: 500 },
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ ok: false, timedOut: true, killedBy: "timeout", error: { code: "TIMEOUT" } });
    expect(await settledSandboxProcesses()).toEqual([]);
    const ts = await run({
      language: "typescript",
      code: "export async function run() { while (true) {} }",
      limits: { timeoutMs: 500 },
    });
    expect(ts).toMatchObject({ timedOut: true, killedBy: "timeout" });
  });

  test("CPU budget: a spin loop is killed with killedBy cpu", async () => {
    const result = await run({
      language: "python",
      code: "while True:\n    pass",
      limits: { cpuMs: 1000, timeoutMs: 10_000 },
    });
    expect(result).toMatchObject({ ok: false, killedBy: "cpu", error: { code: "CPU_LIMIT" } });
  });

  test("memory: the cgroup (or the heap flag) stops a memory bomb", async () => {
    const py = await run({
      language: "python",
      code: "x = []\nwhile True:\n    x.append(bytearray(10_000_000))",
      limits: { memoryMb: 64 },
    });
    expect(py).toMatchObject({ ok: false, killedBy: "memory", error: { code: "MEMORY_LIMIT" } });
    const ts = await run({
      language: "typescript",
      code: "const a: string[] = []; while (true) a.push('x'.repeat(1e6) + Math.random());",
      limits: { memoryMb: 64 },
    });
    expect(ts).toMatchObject({ ok: false, killedBy: "memory", error: { code: "MEMORY_LIMIT" } });
  });

  test("many files cannot fill the disk: /workspace is a size-capped tmpfs charged to the memory limit", async () => {
    const result = await run({
      language: "python",
      code: [
        "import errno, os",
        "def run(input):",
        "    written = 0",
        "    try:",
        "        for i in range(100):",
        "            with open(f'/workspace/f{i}.bin', 'wb') as f:",
        "                for _ in range(8):",
        "                    f.write(b'x' * (1 << 20))",
        "                    written += 1 << 20",
        "    except OSError as e:",
        "        return {'written': written, 'error': errno.errorcode[e.errno]}",
        "    return {'written': written}",
      ].join("\n"),
      limits: { memoryMb: 64, maxFileBytes: 16 * 1024 * 1024 },
    });
    if (result.ok) {
      expect(result.result).toMatchObject({ error: "ENOSPC" });
      expect((result.result as { written: number }).written).toBeLessThanOrEqual(64 * 1024 * 1024);
    } else {
      expect(result.killedBy).toBe("memory");
    }
  });

  test("fork bomb: the pids limit holds and the run still ends", async () => {
    const result = await run({
      language: "python",
      code: "import os\nn = 0\ntry:\n    while True:\n        if os.fork() == 0:\n            import time; time.sleep(30); os._exit(0)\n        n += 1\nexcept OSError as e:\n    result = {'forked': n, 'error': e.strerror}",
      limits: { maxProcesses: 20 },
    });
    expect(result.ok).toBe(true);
    expect((result.result as { forked: number }).forked).toBeLessThanOrEqual(20);
    expect(await settledSandboxProcesses()).toEqual([]);
  });
});

test("an AbortSignal cancels the run and kills its tree", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const result = await run({ language: "python", code: "import time\ntime.sleep(30)", signal: controller.signal });
  expect(result).toMatchObject({ ok: false, killedBy: "signal", timedOut: false, error: { code: "CANCELLED" } });
  expect(result.error?.message).toMatch(/cancelled by its caller/);
  expect(await settledSandboxProcesses()).toEqual([]);
});

describe("the bridge itself", () => {
  test("an oversized bridge message kills the worker (killedBy bridge)", async () => {
    const result = await run({
      language: "python",
      code: "import os\nos.write(3, b'{\"x\":\"' + b'a' * (9 * 1024 * 1024))\nimport time\ntime.sleep(10)",
    });
    expect(result).toMatchObject({ ok: false, killedBy: "bridge", error: { code: "BRIDGE_PROTOCOL" } });
    expect(result.error?.message).toMatch(/over the \d+-byte limit/);
  });

  test("a malformed bridge message kills the worker (killedBy bridge)", async () => {
    const result = await run({
      language: "typescript",
      code: "import { writeSync } from 'node:fs';\nwriteSync(3, 'not json\\n');\nawait new Promise((r) => setTimeout(r, 5000));",
    });
    expect(result).toMatchObject({ ok: false, killedBy: "bridge" });
    expect(result.error?.message).toMatch(/not valid JSON/);
  });

  test("a program that closes its bridge fd fails cleanly instead of hanging", async () => {
    const result = await run({
      language: "python",
      code: "import os\nos.close(3)\nresult = 1",
      limits: { timeoutMs: 10_000 },
    });
    expect(result).toMatchObject({ ok: false, timedOut: false, error: { code: "SANDBOX_FAILED" } });
    expect(result.error?.message).toMatch(/before returning a result: .*Bad file descriptor/s);
  });

  test("a forged answer on fd 3 with a guessed id is not the run's result", async () => {
    const result = await run({
      language: "python",
      code: 'import json, os, time\nfor i in range(8):\n    os.write(3, (json.dumps({"jsonrpc": "2.0", "id": i, "result": {"ok": True, "value": "forged"}}) + "\\n").encode())\ntime.sleep(0.3)\nresult = "real"',
      limits: { timeoutMs: 5000 },
    });
    expect(result.ok).toBe(true);
    expect(result.result).toBe("real");
  });

  test("an answer forged with the real id (read from the worker's frames) still cannot bypass max_output_bytes", async () => {
    // A Python program can read its worker's memory: it can answer for it, and so choose its own result (which it
    // may anyway), but the host still applies its own checks to that answer.
    const result = await run({
      language: "python",
      code: [
        "import json, os, sys, time",
        "f = sys._getframe()",
        "while f is not None and not (isinstance(f.f_locals.get('id'), str) and f.f_locals['id'].startswith('h')):",
        "    f = f.f_back",
        'os.write(3, (json.dumps({"jsonrpc": "2.0", "id": f.f_locals["id"], "result": {"ok": True, "value": "z" * 5000}}) + "\\n").encode())',
        "time.sleep(30)",
      ].join("\n"),
      limits: { maxOutputBytes: 100, timeoutMs: 5000 },
    });
    expect(result.ok).toBe(true);
    expect(result.truncated?.result).toMatch(/5002 bytes of JSON, over the 100-byte limit/);
    expect(JSON.stringify(result.result).length).toBeLessThan(400);
    expect(await settledSandboxProcesses()).toEqual([]);
  });

  test("a program that keeps calling after its calls are refused is killed (killedBy bridge)", async () => {
    const result = await run({
      language: "python",
      code: "from servers._runtime import call_tool, ToolError\nwhile True:\n    try:\n        call_tool('demo', 'nope', {})\n    except ToolError:\n        pass",
    });
    expect(result).toMatchObject({ ok: false, killedBy: "bridge", error: { code: "BRIDGE_PROTOCOL" } });
    expect(result.error?.message).toMatch(/kept calling tools after 1000 refused calls/);
    expect(result.toolCalls).toHaveLength(1000);
  });

  test("a big but legal tool result passes through", async () => {
    const result = await run({
      language: "python",
      code: "from servers.demo import items\nresult = len(items(count=20000))",
    });
    expect(result.result).toBe(20000);
  });
});

describe("isolation", () => {
  test("the sandbox: uid 65534, only lo, no host secrets, read-only system, writable workspace and /tmp", async () => {
    const result = await run({
      language: "python",
      code: [
        "import os, socket",
        "def can(f):",
        "    try:",
        "        f(); return True",
        "    except OSError:",
        "        return False",
        "def run(input):",
        "    return {",
        "        'uid': os.getuid(), 'ifaces': [n for _, n in socket.if_nameindex()],",
        "        'root': can(lambda: os.listdir('/root')), 'shadow': can(lambda: open('/etc/shadow').read()),",
        "        'work': os.path.exists('/work'), 'usr_write': can(lambda: open('/usr/x', 'w')),",
        "        'ws': can(lambda: open('/workspace/a.txt', 'w').write('hi')), 'tmp': can(lambda: open('/tmp/a', 'w').write('hi')),",
        "        'env': sorted(os.environ), 'net': can(lambda: socket.create_connection(('1.1.1.1', 80), timeout=1)),",
        "        'cwd': os.getcwd(),",
        "    }",
      ].join("\n"),
    });
    expect(result.error).toBeUndefined();
    expect(result.result).toEqual({
      uid: 65534,
      ifaces: ["lo"],
      root: false,
      shadow: false,
      work: false,
      usr_write: false,
      ws: true,
      tmp: true,
      env: ["HOME", "LANG", "PATH", "PWD", "SKILLS_BRIDGE_FD", "TMPDIR"],
      net: false,
      cwd: "/workspace",
    });
  });

  test("detectIsolation reports bwrap on this machine", async () => {
    const report = await detectIsolation();
    expect(report).toMatchObject({ isolation: "bwrap", userns: true, setpriv: true, prlimit: true });
    expect(report.bwrap?.version).toMatch(/^\d+\.\d+/);
    expect(report.cgroup.version).not.toBeNull();
    expect(report.reasons[0]).toMatch(/bwrap/);
  });

  test("SKILLS_FORCE_ISOLATION=process: runs with limits only, loudly; requireIsolation refuses", async () => {
    process.env.SKILLS_FORCE_ISOLATION = "process";
    try {
      const report = await detectIsolation(true);
      expect(report.isolation).toBe("process");
      const result = await run({
        language: "python",
        code: "import os\nresult = [os.getuid() != 0, os.path.exists('/work')]",
      });
      expect(result).toMatchObject({ ok: true, isolation: "process", result: [true, true] });
      expect(result.warnings?.[0]).toMatch(/NOT sandboxed by bwrap/);
      const ts = await run({ language: "typescript", code: "export const result = 7;" });
      expect(ts).toMatchObject({ ok: true, isolation: "process", result: 7 });
      const timeout = await run({
        language: "python",
        code: "import time\ntime.sleep(60)",
        limits: { timeoutMs: 300 },
      });
      expect(timeout.killedBy).toBe("timeout");
      await expect(run({ language: "python", code: "result = 1", requireIsolation: true })).rejects.toMatchObject({
        code: "SANDBOX_UNAVAILABLE",
      });
    } finally {
      delete process.env.SKILLS_FORCE_ISOLATION;
      await detectIsolation(true);
    }
  });
});

test("after all runs: no worker processes and no run cgroups are left", async () => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await settledSandboxProcesses()).toEqual([]);
  expect(leftoverCgroups()).toEqual([]);
});
