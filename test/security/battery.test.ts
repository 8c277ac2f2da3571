/**
 * The security battery: hostile programs in both languages, run through the real sandbox (bwrap, setpriv, rlimits,
 * cgroups) with a real MCP server behind the bridge. Each asserts containment and that the host is unharmed; the
 * last test checks that nothing the programs started is still running.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stopBundlers } from "../../src/sandbox/bundler.js";
import { runProgram } from "../../src/sandbox/index.js";
import { sdkRoot } from "../../src/sandbox/sdk.js";
import { workerUidBlock } from "../../src/sandbox/worker.js";
import { CASES, type HostContext } from "./cases/index.js";
import {
  descendantsOf,
  leftovers,
  MARKER,
  settle,
  startAbstractTrap,
  startBatteryServer,
  startTrapServer,
} from "./helpers.js";

const repo = resolve(import.meta.dirname, "../..");
let host: HostContext;
let cleanups: (() => Promise<void> | void)[] = [];
let signals = 0;
let diskFreeBefore = 0;
const onSignal = () => {
  signals++;
};

beforeAll(async () => {
  const canary = `canary-${randomBytes(12).toString("hex")}`;
  process.env.SKILLS_BATTERY_SECRET = canary;
  process.on("SIGUSR2", onSignal);
  const hostDir = mkdtempSync(join(tmpdir(), "skills-battery-host-"));
  const homeCanaryPath = join(homedir(), `.skills-battery-${randomBytes(6).toString("hex")}`);
  const homeCanaryContent = `home-secret-${randomBytes(12).toString("hex")}`;
  writeFileSync(homeCanaryPath, homeCanaryContent, { mode: 0o600 });
  let shadowLine: string | undefined;
  try {
    shadowLine = readFileSync("/etc/shadow", "utf8").split("\n")[0];
  } catch {
    shadowLine = undefined;
  }
  const trap = await startTrapServer();
  const abstractName = `skills-battery-${randomBytes(6).toString("hex")}`;
  const abstractTrap = await startAbstractTrap(abstractName);
  const backend = await startBatteryServer();
  diskFreeBefore = statfsSync(tmpdir()).bavail * statfsSync(tmpdir()).bsize;
  cleanups = [
    () => trap.close(),
    () => abstractTrap.close(),
    () => backend.close(),
    () => rmSync(hostDir, { recursive: true, force: true }),
    () => rmSync(homeCanaryPath, { force: true }),
    () => {
      delete process.env.SKILLS_BATTERY_SECRET;
      process.off("SIGUSR2", onSignal);
    },
  ];
  host = {
    canary,
    homeCanaryPath,
    homeCanaryContent,
    repo,
    sdkCache: sdkRoot(),
    shadowLine,
    hostDir,
    hostPid: process.pid,
    trapPort: trap.port,
    trapConnections: trap.connections,
    abstractName,
    abstractConnections: abstractTrap.connections,
    signalsReceived: () => signals,
    backend,
  };
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe("the leftover scan", () => {
  test("sees a marked process (so an empty scan after the battery means something)", async () => {
    const child = spawn("/usr/bin/python3", ["-c", "import time; time.sleep(30)", MARKER], { stdio: "ignore" });
    try {
      const seen = await settle(() => (leftovers().some((proc) => proc.pid === child.pid) ? [] : ["not yet"]), 5000);
      expect(seen).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
    const gone = await settle(() => leftovers().filter((proc) => proc.pid === child.pid), 5000);
    expect(gone).toEqual([]);
  });

  test.runIf(process.getuid?.() === 0)("sees a process running as one of the runs' uids", async () => {
    const uids = { first: workerUidBlock(), count: 1000 };
    const child = spawn("/bin/sleep", ["30"], { stdio: "ignore", uid: uids.first + 999, gid: uids.first + 999 });
    try {
      const seen = await settle(
        () => (leftovers({ uids }).some((proc) => proc.pid === child.pid) ? [] : ["not yet"]),
        5000,
      );
      expect(seen).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe.concurrent("security battery", () => {
  for (const hostile of CASES) {
    test(hostile.name, { timeout: 60_000 }, async () => {
      const tools = host.backend.tools.filter((tool) => hostile.tools?.includes(tool.name));
      const run = await runProgram({
        language: hostile.language,
        code: hostile.code(host),
        tools,
        backend: host.backend,
        limits: { timeoutMs: 5000, memoryMb: 256, ...hostile.limits },
        requireIsolation: true,
      });
      if (process.env.SKILLS_BATTERY_DUMP) {
        const brief = { ...run, logs: run.logs.slice(0, 300), stderr: run.stderr.slice(0, 300) };
        appendFileSync(
          process.env.SKILLS_BATTERY_DUMP,
          `${JSON.stringify({ case: hostile.name, run: brief }).slice(0, 3000)}\n`,
        );
      }
      // every run is really isolated, and nothing host-side leaks whatever the program did
      expect(run.isolation).toBe("bwrap");
      expect(JSON.stringify(run)).not.toContain(host.canary);
      await hostile.check(run, host);
    });
  }
});

describe("after the battery", () => {
  test("the host is unharmed: no signal arrived, processes still start, the disk has room", () => {
    expect(signals).toBe(0);
    expect(execFileSync("/bin/echo", ["alive"]).toString().trim()).toBe("alive");
    const free = statfsSync(tmpdir()).bavail * statfsSync(tmpdir()).bsize;
    expect(diskFreeBefore - free).toBeLessThan(256 * 1024 * 1024);
  });

  test("no process of the runs is left", async () => {
    // The bundler keeps one idle child for the next bundle (it is no run's process): ended here to scan cleanly.
    stopBundlers();
    // Our runs got outside uids from this process's block (other test files' runs use their own blocks), and
    // the hostile programs marked their process names.
    const scope = { uids: process.getuid?.() === 0 ? { first: workerUidBlock(), count: 1000 } : undefined };
    const left = await settle(() => leftovers(scope), 8000);
    expect(left.map((proc) => `${proc.pid} ${proc.comm} ${proc.cmdline}`)).toEqual([]);
    const children = await settle(
      () => descendantsOf(process.pid).filter((proc) => /bwrap|python|node|setpriv|prlimit|sh$/.test(proc.comm)),
      8000,
    );
    expect(children.map((proc) => `${proc.pid} ${proc.comm} ${proc.cmdline}`)).toEqual([]);
  });
});
