/**
 * The host's own memory and CPU stay within a stated budget whatever a program does on the bridge (docs/security.md,
 * "Host budget"). Each abusive program runs in a host process of its own (a tiny host built from src/, with a real
 * MCP server in it and the real sandbox), which reports the growth of its peak resident memory over an idle
 * baseline (VmHWM after clear_refs) and the CPU it spent (process.cpuUsage: the bridge, the tool gate, the server).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

/** The budget per run, stated in docs/security.md. */
const HOST_BUDGET = { rssGrowthBytes: 256 * 1024 * 1024, cpuMs: 3000 };

const root = join(import.meta.dirname, "..", "..");
// In the checkout (bare imports resolve from its node_modules), in a folder git ignores; writable by whoever runs
// the tests (node_modules may be a shared, read-only install).
const outDir = join(root, ".skills", `host-budget-${process.pid}`);
let host: string;

const PROGRAMS: Record<string, { language: "python" | "typescript"; code: string; limits?: object }> = {
  // Many large tool calls, written raw, answers never read: the worker's own reader thread is stalled first (it
  // would otherwise read and drop them). 180 MB of calls: a host that kept reading them would let the program finish
  // (or spend more than the budget's CPU parsing them) well before the timeout.
  unread: {
    language: "python",
    limits: { timeoutMs: 4000 },
    code: `
import json, os, sys, time
def run(input):
    sys._skills_bridge._dispatch = lambda message: time.sleep(3600)
    fd = int(os.environ.get("SKILLS_BRIDGE_FD", "3"))
    text = "x" * 60000
    for i in range(3000):
        os.write(fd, (json.dumps({"jsonrpc": "2.0", "id": i, "method": "tools/call",
                                  "params": {"server": "battery", "tool": "echo", "arguments": {"text": text}}}) + "\\n").encode())
    return "sent"
`,
  },
  // 300,000 requests for a method that does not exist.
  unknown: {
    language: "python",
    code: `
import os
def run(input):
    fd = int(os.environ.get("SKILLS_BRIDGE_FD", "3"))
    batch = b"".join(b'{"jsonrpc":"2.0","id":%d,"method":"no/such"}\\n' % i for i in range(1000))
    try:
        for _ in range(300):
            os.write(fd, batch)
    except OSError:
        pass
    return "sent"
`,
  },
  // Tool calls nested far deeper than any recursive walk of the host survives.
  deep: {
    language: "typescript",
    code: `
import { writeSync } from "node:fs";
export async function run() {
  const fd = Number(process.env.SKILLS_BRIDGE_FD ?? 3);
  const deep = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"server":"battery","tool":"echo","arguments":{"text":' + "[".repeat(200_000) + "]".repeat(200_000) + "}}}\\n");
  for (let i = 0; i < 2000; i++) {
    let off = 0;
    while (off < deep.length) {
      try { off += writeSync(fd, deep, off); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "EAGAIN") return "closed"; }
    }
  }
  return "sent";
}
`,
  },
  // A flood of valid "log" notifications: nothing to refuse, only bytes.
  notes: {
    language: "python",
    code: `
import os
def run(input):
    fd = int(os.environ.get("SKILLS_BRIDGE_FD", "3"))
    note = b'{"jsonrpc":"2.0","method":"log","params":{"level":"info","message":"' + b"z" * 4000 + b'"}}\\n'
    try:
        for _ in range(100000):
            os.write(fd, note)
    except OSError:
        pass
    return "sent"
`,
  },
  // Legal but heavy: every call of max_tool_calls at once, with large arguments, through the SDK. It must finish, so
  // its timeout leaves room for a loaded machine (2-4 s of wall time alone; the budget measured is CPU and memory).
  legal: {
    language: "python",
    limits: { timeoutMs: 40_000 },
    code: `
import asyncio
from servers._runtime import call_tool_async, ToolError
async def one(i):
    try:
        return len((await call_tool_async("battery", "echo", {"text": "y" * 60000}))["echoed"])
    except ToolError as e:
        return e.code
async def main():
    return await asyncio.gather(*(one(i) for i in range(1000)))
def run(input):
    out = asyncio.run(main())
    return {"ok": sum(1 for x in out if x == 60000), "other": sorted(set(x for x in out if x != 60000))}
`,
  },
};

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  host = join(outDir, "host.mjs");
  await build({
    stdin: {
      contents: `
        import { readFileSync, writeFileSync } from "node:fs";
        import { runProgram } from "./src/sandbox/index.js";
        import { startBatteryServer } from "./test/security/helpers.js";
        const program = JSON.parse(process.argv[2]);
        const backend = await startBatteryServer();
        // warm up: interpreters, SDK trees, the bundler, the server
        for (const language of ["python", "typescript"]) {
          await runProgram({ language, code: language === "python" ? "def run(i):\\n    return 1\\n" : "export async function run() { return 1; }", tools: backend.tools, backend });
        }
        const hwm = () => Number(/^VmHWM:\\s+(\\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024;
        globalThis.gc?.();
        const baseline = process.memoryUsage().rss;
        writeFileSync("/proc/self/clear_refs", "5");
        const cpu = process.cpuUsage();
        const run = await runProgram({ ...program, tools: backend.tools, backend, limits: { timeoutMs: 10000, ...program.limits } });
        const used = process.cpuUsage(cpu);
        const out = { rssGrowthBytes: hwm() - baseline, cpuMs: (used.user + used.system) / 1000,
          run: { ok: run.ok, killedBy: run.killedBy, error: run.error, durationMs: run.durationMs, result: run.result } };
        process.stdout.write(JSON.stringify(out) + "\\n");
        await backend.close();
        process.exit(0);
      `,
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile: host,
    // RUNTIME_DIR is found from import.meta.url: point it at the real src/sandbox.
    define: { "import.meta.url": JSON.stringify(`file://${join(root, "src", "sandbox", "runtimeFiles.ts")}`) },
    logLevel: "silent",
  });
}, 60_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

interface Measured {
  rssGrowthBytes: number;
  cpuMs: number;
  run: { ok: boolean; killedBy: string | null; error?: { code: string; message: string }; durationMs: number; result?: unknown };
}

function measure(name: string): Measured {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const out = spawnSync(process.execPath, ["--expose-gc", host, JSON.stringify(PROGRAMS[name])], {
    cwd: root,
    encoding: "utf8",
    env,
    timeout: 60_000,
  });
  const line = out.stdout.trim().split("\n").pop() ?? "";
  if (!line.startsWith("{")) throw new Error(`the host for "${name}" failed: ${out.stderr.slice(-2000)}`);
  const measured = JSON.parse(line) as Measured;
  if (process.env.SKILLS_BUDGET_REPORT) {
    console.log(
      `${name}: rss +${(measured.rssGrowthBytes / 1024 / 1024).toFixed(1)} MiB, cpu ${Math.round(measured.cpuMs)} ms, ` +
        `${measured.run.killedBy ?? (measured.run.ok ? "ok" : measured.run.error?.code)} in ${Math.round(measured.run.durationMs)} ms ${measured.run.error?.message ?? ""}`,
    );
  }
  return measured;
}

function expectWithinBudget(measured: Measured): void {
  expect(measured.rssGrowthBytes).toBeLessThan(HOST_BUDGET.rssGrowthBytes);
  expect(measured.cpuMs).toBeLessThan(HOST_BUDGET.cpuMs);
}

describe("the host's memory and CPU per run, whatever the program does", () => {
  test("many large tool calls whose answers are never read: back-pressure, then the timeout", () => {
    const measured = measure("unread");
    expect(measured.run.ok).toBe(false);
    // the host stopped reading: the program blocks on its own writes until its timeout
    expect(measured.run.killedBy).toBe("timeout");
    expectWithinBudget(measured);
  });

  test("300,000 requests for unknown methods: killed at the refusal limit", () => {
    const measured = measure("unknown");
    expect(measured.run.killedBy).toBe("bridge");
    expect(measured.run.error?.message).toMatch(/1000 refused/);
    expectWithinBudget(measured);
  });

  test("tool calls nested 200,000 deep: refused unparsed, killed at the refusal or byte limit", () => {
    const measured = measure("deep");
    expect(measured.run.killedBy).toBe("bridge");
    expect(measured.run.error?.message).toMatch(/refused|bytes over the bridge/);
    expectWithinBudget(measured);
  });

  test("a flood of log notifications: killed at the byte limit", () => {
    const measured = measure("notes");
    expect(measured.run.killedBy).toBe("bridge");
    expect(measured.run.error?.message).toMatch(/more than 67108864 bytes/);
    expectWithinBudget(measured);
  });

  test("1,000 concurrent legal calls with 60 KB arguments: all answered, within the same budget", () => {
    const measured = measure("legal");
    expect(measured.run.ok).toBe(true);
    expect(measured.run.result).toEqual({ ok: 1000, other: [] });
    expectWithinBudget(measured);
  }, 60_000);
});
