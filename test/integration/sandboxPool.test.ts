/** Warm pool: pre-spawned single-use workers, hand-off, refill, fresh process per run, clean close. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createRunner } from "../../src/sandbox/index.js";
import type { Runner } from "../../src/contracts/run.js";
import {
  type TestBackend,
  createTestBackend,
  leftoverCgroups,
  settledSandboxProcesses,
} from "../unit/sandbox/helpers.js";

let backend: TestBackend;
let runner: Runner;

async function waitForPool(want: { python: number; typescript: number }): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const size = runner.poolSize();
    if (size.python >= want.python && size.typescript >= want.typescript) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`pool never filled: ${JSON.stringify(runner.poolSize())}`);
}

beforeAll(async () => {
  backend = await createTestBackend();
  runner = createRunner({ pool: { python: 2, typescript: 1 } });
});

afterAll(async () => {
  await runner.close();
  await backend.close();
});

test("the pool fills in the background and a run takes a warm worker, then refills", async () => {
  await waitForPool({ python: 2, typescript: 1 });
  const result = await runner.run({
    language: "python",
    code: "from servers.demo import add\nresult = add(a=1, b=2)",
    tools: backend.tools,
    backend,
  });
  expect(result).toMatchObject({ ok: true, result: { sum: 3 }, isolation: "bwrap" });
  await waitForPool({ python: 2, typescript: 1 });
  const ts = await runner.run({
    language: "typescript",
    code: 'import { add } from "servers/demo";\nexport const result = await add({ a: 2, b: 2 });',
    tools: backend.tools,
    backend,
  });
  expect(ts).toMatchObject({ ok: true, result: { sum: 4 } });
});

test("a warm hand-off is much faster than a cold start", async () => {
  // A node worker serves only runs with the pool's rlimits: a different max_open_files forces a cold start.
  const code = "export const result = 1;";
  await runner.run({ language: "typescript", code, tools: [], limits: { maxOpenFiles: 1000 } });
  await waitForPool({ python: 0, typescript: 1 });
  const t0 = performance.now();
  const warm = await runner.run({ language: "typescript", code, tools: [] });
  const warmWall = performance.now() - t0;
  const t1 = performance.now();
  const cold = await runner.run({ language: "typescript", code, tools: [], limits: { maxOpenFiles: 1000 } });
  const coldWall = performance.now() - t1;
  expect(warm.ok && cold.ok).toBe(true);
  expect(warmWall).toBeLessThan(coldWall);
});

test("a Python worker from the pool serves any limits (it sets its own rlimits)", async () => {
  await waitForPool({ python: 2, typescript: 0 });
  const result = await runner.run({
    language: "python",
    code: "import resource\nresult = resource.getrlimit(resource.RLIMIT_NOFILE)[0]",
    tools: [],
    limits: { maxOpenFiles: 1000 },
  });
  expect(result.result).toBe(1000);
});

test("every run gets a fresh process: nothing leaks from one run to the next", async () => {
  await waitForPool({ python: 2, typescript: 1 });
  const first = await runner.run({
    language: "python",
    code: "import builtins, os\nbuiltins.LEAK = 1\nopen('/workspace/mark', 'w').write('x')\nopen('/tmp/mark', 'w').write('x')\nresult = 1",
    tools: [],
  });
  expect(first.ok).toBe(true);
  const second = await runner.run({
    language: "python",
    code: "import builtins, os\nresult = [hasattr(builtins, 'LEAK'), os.path.exists('/workspace/mark'), os.path.exists('/tmp/mark')]",
    tools: [],
  });
  expect(second.result).toEqual([false, false, false]);
});

test("a skill folder reaches a pre-spawned worker (copied at hand-off)", async () => {
  await waitForPool({ python: 1, typescript: 0 });
  const dir = mkdtempSync(join(tmpdir(), "skill-"));
  try {
    writeFileSync(join(dir, "helper.py"), "VALUE = 41\n");
    writeFileSync(join(dir, "main.py"), "from helper import VALUE\ndef run(input):\n    return VALUE + input\n");
    const result = await runner.run({ language: "python", skillDir: dir, entryFile: "main.py", input: 1, tools: [] });
    expect(result).toMatchObject({ ok: true, result: 42 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("stricter limits still apply to a warm Python worker (it lowers its own rlimits)", async () => {
  await waitForPool({ python: 1, typescript: 0 });
  const result = await runner.run({
    language: "python",
    code: "import resource\nresult = [resource.getrlimit(resource.RLIMIT_NOFILE)[0], resource.getrlimit(resource.RLIMIT_CPU)[0]]",
    tools: [],
    limits: { maxOpenFiles: 32, cpuMs: 2000 },
  });
  expect(result.result).toEqual([32, 2]);
  const killed = await runner.run({
    language: "python",
    code: "import time\ntime.sleep(30)",
    tools: [],
    limits: { timeoutMs: 300 },
  });
  expect(killed).toMatchObject({ timedOut: true, killedBy: "timeout" });
});

test("a pooled worker starts with the last run's SDK staged, and a run with other tools sees only its own", async () => {
  const listing = "import os\nresult = sorted(os.listdir('/sdk/servers'))";
  // What a run of each toolset sees at /sdk without a pool (a cold start stages its own tree).
  const cold = createRunner();
  const coldWith = (await cold.run({ language: "python", code: listing, tools: backend.tools })).result;
  const coldWithout = (await cold.run({ language: "python", code: listing, tools: [] })).result;
  await cold.close();
  expect(coldWith).toContain("demo");
  expect(coldWithout).not.toContain("demo");
  // A run without tools: the pool refills with that tree; then a run with tools takes one of those workers.
  await waitForPool({ python: 2, typescript: 0 });
  expect(await runner.run({ language: "python", code: listing, tools: [] })).toMatchObject({ warm: true });
  await waitForPool({ python: 2, typescript: 0 });
  const withTools = await runner.run({ language: "python", code: listing, tools: backend.tools });
  expect(withTools).toMatchObject({ ok: true, warm: true });
  expect(withTools.result).toEqual(coldWith);
  const call = await runner.run({
    language: "python",
    code: "from servers.demo import add\nresult = add(a=5, b=6)",
    tools: backend.tools,
    backend,
  });
  expect(call).toMatchObject({ ok: true, warm: true, result: { sum: 11 } });
  // Workers now start with the demo tree; a run without tools must not find it.
  await waitForPool({ python: 2, typescript: 0 });
  const without = await runner.run({ language: "python", code: listing, tools: [] });
  expect(without).toMatchObject({ ok: true, warm: true });
  expect(without.result).toEqual(coldWithout);
  const refused = await runner.run({ language: "python", code: "import servers.demo\nresult = 1", tools: [] });
  expect(refused).toMatchObject({ ok: false, warm: true });
  expect(refused.error?.message).toMatch(/No module named 'servers\.demo'/);
});

test("concurrent runs share the pool safely: each gets its own worker and its own answer", async () => {
  await waitForPool({ python: 2, typescript: 1 });
  const runs = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      runner.run({
        language: i % 2 === 0 ? "python" : "typescript",
        code:
          i % 2 === 0
            ? `from servers.demo import add\nresult = add(a=${i}, b=100)`
            : `import { add } from "servers/demo";\nexport const result = await add({ a: ${i}, b: 100 });`,
        tools: backend.tools,
        backend,
      }),
    ),
  );
  expect(runs.map((r) => r.result)).toEqual([0, 1, 2, 3, 4, 5].map((i) => ({ sum: i + 100 })));
});

test("close() disposes the idle workers; no process or cgroup is left", async () => {
  await waitForPool({ python: 2, typescript: 1 });
  await runner.close();
  expect(runner.poolSize()).toEqual({ python: 0, typescript: 0 });
  await expect(runner.run({ language: "python", code: "result = 1", tools: [] })).rejects.toMatchObject({
    code: "SANDBOX_FAILED",
  });
  expect(await settledSandboxProcesses()).toEqual([]);
  for (let i = 0; i < 40 && leftoverCgroups().length > 0; i += 1)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect(leftoverCgroups()).toEqual([]);
});
