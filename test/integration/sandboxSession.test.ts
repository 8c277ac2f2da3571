/** Sessions: one live worker keeps its namespace across executions; idle timeout; failures end it. */
import { afterAll, beforeAll, expect, test } from "vitest";
import { createSession } from "../../src/sandbox/index.js";
import { type TestBackend, createTestBackend, settledSandboxProcesses } from "../unit/sandbox/helpers.js";

let backend: TestBackend;

beforeAll(async () => {
  backend = await createTestBackend();
});

afterAll(async () => {
  await backend.close();
});

test("python: the namespace survives across executions; a cell's value is its last expression", async () => {
  const session = createSession({ language: "python", tools: backend.tools, backend });
  try {
    const a = await session.execute("from servers.demo import add\nx = add(a=1, b=2)['sum']\nprint('set x')");
    expect(a).toMatchObject({ ok: true, result: null, logs: "set x\n", isolation: "bwrap" });
    expect(a.toolCalls).toHaveLength(1);
    const b = await session.execute("x * 10");
    expect(b).toMatchObject({ ok: true, result: 30, logs: "" });
    const c = await session.execute("result = {'x': x}");
    expect(c.result).toEqual({ x: 3 });
    const d = await session.execute("y = 1");
    expect(d.result).toBeNull();
    const e = await session.execute("raise ValueError('bad cell')");
    expect(e).toMatchObject({ ok: false, error: { code: "PROGRAM_ERROR", message: "ValueError: bad cell" } });
    const f = await session.execute("x + y");
    expect(f.result).toBe(4);
    expect(session.closed).toBe(false);
  } finally {
    await session.close();
  }
  expect(session.closed).toBe(true);
  await expect(session.execute("1")).rejects.toMatchObject({ code: "SANDBOX_FAILED" });
});

test("typescript: top-level names of one cell are visible in the next", async () => {
  const session = createSession({ language: "typescript", tools: backend.tools, backend });
  try {
    const a = await session.execute(
      'import { add } from "servers/demo";\nconst total = ((await add({ a: 20, b: 1 })) as { sum: number }).sum;\nfunction twice(n: number): number { return n * 2; }\nconsole.log("cell one");',
    );
    expect(a).toMatchObject({ ok: true, logs: "cell one\n" });
    const b = await session.execute("const result = twice(total);");
    expect(b).toMatchObject({ ok: true, result: 42 });
    const c = await session.execute("const result = (await add({ a: total, b: 0 }) as { sum: number }).sum;");
    expect(c).toMatchObject({ ok: true, result: 21 });
    const bad = await session.execute("const = ;");
    expect(bad).toMatchObject({ ok: false, error: { code: "PROGRAM_ERROR" } });
    expect(bad.error?.message).toMatch(/cell4\.ts:1:7/);
  } finally {
    await session.close();
  }
});

test("executions run one at a time in order", async () => {
  const session = createSession({ language: "python", tools: [] });
  try {
    const results = await Promise.all([
      session.execute("import time\ntime.sleep(0.1)\nn = 1"),
      session.execute("n += 1\nn"),
      session.execute("n * 10"),
    ]);
    expect(results.map((r) => r.result)).toEqual([null, 2, 20]);
  } finally {
    await session.close();
  }
});

test("max_tool_calls counts across the whole session", async () => {
  const session = createSession({ language: "python", tools: backend.tools, backend, limits: { maxToolCalls: 2 } });
  try {
    await session.execute("from servers.demo import add\nadd(a=1, b=1)\nadd(a=1, b=1)");
    const over = await session.execute("add(a=1, b=1)");
    expect(over.error?.message).toMatch(/TOOL_CALL_LIMIT/);
  } finally {
    await session.close();
  }
});

test("a timeout kills the worker and ends the session", async () => {
  const session = createSession({ language: "python", tools: [], limits: { timeoutMs: 300 } });
  const result = await session.execute("import time\ntime.sleep(30)");
  expect(result).toMatchObject({ ok: false, timedOut: true, killedBy: "timeout" });
  expect(session.closed).toBe(true);
  await expect(session.execute("1")).rejects.toMatchObject({ code: "SANDBOX_FAILED" });
});

test("a cell that runs longer than the idle timeout is not cut off", async () => {
  const session = createSession({ language: "python", tools: [], idleTimeoutMs: 200 });
  try {
    const result = await session.execute("import time\ntime.sleep(0.6)\n'done'");
    expect(result).toMatchObject({ ok: true, result: "done" });
    expect(session.closed).toBe(false);
  } finally {
    await session.close();
  }
});

test("the idle timeout ends the session and its process", async () => {
  const session = createSession({ language: "python", tools: [], idleTimeoutMs: 300 });
  expect((await session.execute("z = 5\nz")).result).toBe(5);
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(session.closed).toBe(true);
  await expect(session.execute("z")).rejects.toMatchObject({ code: "SANDBOX_FAILED" });
  expect(await settledSandboxProcesses()).toEqual([]);
});
