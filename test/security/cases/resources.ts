/**
 * Hostile programs: exhausting the machine: processes, threads, memory, CPU, time, disk, output; escaping children.
 * A bomb or a flood runs until its limit stops it: the limits take effect at once (a process cap, a log cap), so a
 * few seconds of timeout show the run contained as well as more would; the rest of the suite waits meanwhile.
 */
import { expect } from "vitest";
import { MARKER } from "../helpers.js";
import { type HostileCase, PY_MARK, expectStopped } from "./common.js";

export const resources: HostileCase[] = [
  {
    name: "py: fork bomb",
    language: "python",
    limits: { maxProcesses: 32, timeoutMs: 2500 },
    code: () => `${PY_MARK}
import os, time
def run(input):
    end = time.time() + 30
    while time.time() < end:
        try:
            os.fork()
        except OSError:
            pass
`,
    check: (run) => expectStopped(run, 15_000),
  },
  {
    name: "ts: shell fork bomb",
    language: "typescript",
    limits: { maxProcesses: 32, timeoutMs: 2500 },
    code: () => `
import { spawnSync } from "node:child_process";
export async function run() {
  spawnSync("/bin/sh", ["-c", ":(){ :|:& };:; sleep 30", "${MARKER}"], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 30000));
}
`,
    check: (run) => expectStopped(run, 15_000),
  },
  {
    name: "py: thread bomb",
    language: "python",
    limits: { maxProcesses: 32, timeoutMs: 2500 },
    code: () => `${PY_MARK}
import threading, time
def run(input):
    threads = 0
    while True:
        threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
        threads += 1
`,
    check: (run) => {
      expect(run.ok).toBe(false);
      expect(run.durationMs).toBeLessThan(15_000);
    },
  },
  {
    name: "ts: worker-thread bomb",
    language: "typescript",
    limits: { maxProcesses: 32, timeoutMs: 5000, memoryMb: 512 },
    code: () => `
import { Worker } from "node:worker_threads";
export async function run() {
  const workers = [];
  for (let i = 0; i < 10000; i++) workers.push(new Worker("setInterval(() => {}, 1000)", { eval: true }));
  await new Promise((r) => setTimeout(r, 30000));
}
`,
    check: (run) => expectStopped(run, 20_000),
  },
  {
    name: "py: memory bomb",
    language: "python",
    limits: { memoryMb: 96, timeoutMs: 8000 },
    code: () => `
def run(input):
    hog = []
    while True:
        hog.append(bytearray(8 * 1024 * 1024))
`,
    check: (run) => {
      expectStopped(run, 20_000);
      expect(run.killedBy).toBe("memory");
    },
  },
  {
    name: "ts: memory bomb",
    language: "typescript",
    limits: { memoryMb: 256, timeoutMs: 10_000 },
    code: () => `
export async function run() {
  const hog: unknown[] = [];
  for (;;) { hog.push(Buffer.alloc(8 * 1024 * 1024, 1)); hog.push(new Array(1_000_000).fill({ x: 1 })); }
}
`,
    check: (run) => {
      expectStopped(run, 25_000);
      expect(run.killedBy).toBe("memory");
    },
  },
  {
    name: "py: CPU spin",
    language: "python",
    limits: { cpuMs: 1000, timeoutMs: 15_000 },
    code: () => `
def run(input):
    while True:
        pass
`,
    check: (run) => {
      expectStopped(run, 15_000);
      expect(run.killedBy).toBe("cpu");
      expect(run.error?.code).toBe("CPU_LIMIT");
    },
  },
  {
    name: "ts: CPU spin",
    language: "typescript",
    limits: { cpuMs: 1000, timeoutMs: 15_000 },
    code: () => `
export async function run() {
  for (;;) {}
}
`,
    check: (run) => {
      expectStopped(run, 15_000);
      expect(run.killedBy).toBe("cpu");
      expect(run.error?.code).toBe("CPU_LIMIT");
    },
  },
  {
    name: "py: sleep forever",
    language: "python",
    limits: { timeoutMs: 1500 },
    code: () => `
import time
def run(input):
    time.sleep(10 ** 6)
`,
    check: (run) => {
      expectStopped(run, 8000);
      expect(run.timedOut).toBe(true);
      expect(run.killedBy).toBe("timeout");
    },
  },
  {
    name: "ts: wait forever",
    language: "typescript",
    limits: { timeoutMs: 1500 },
    code: () => `
export async function run() {
  await new Promise((resolve) => setTimeout(resolve, 1e9));
}
`,
    check: (run) => {
      expectStopped(run, 8000);
      expect(run.timedOut).toBe(true);
      expect(run.killedBy).toBe("timeout");
    },
  },
  {
    name: "py: a child that escapes into its own session (setsid, double fork)",
    language: "python",
    code: () => `${PY_MARK}
import os, subprocess, sys
def run(input):
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "${MARKER}"], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)", "${MARKER}"])
        os._exit(0)
    return "spawned"
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      expect(run.result).toBe("spawned");
    },
  },
  {
    name: "ts: a detached, unref'd child",
    language: "typescript",
    code: () => `
import { spawn } from "node:child_process";
export async function run() {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", "${MARKER}"], { detached: true, stdio: "ignore" });
  child.unref();
  return "spawned";
}
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      expect(run.result).toBe("spawned");
    },
  },
  {
    name: "py: fill the disk through the workspace",
    language: "python",
    limits: { maxFileBytes: 8 * 1024 * 1024, timeoutMs: 8000 },
    code: () => `
import signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
def run(input):
    written = 0
    chunk = b"x" * (1 << 20)
    try:
        with open("fill.bin", "wb") as f:
            while True:
                f.write(chunk)
                f.flush()
                written += len(chunk)
    except OSError as e:
        return {"written": written, "stopped": e.__class__.__name__}
`,
    check: (run) => {
      expect(run.durationMs).toBeLessThan(20_000);
      if (run.ok) expect((run.result as { written: number }).written).toBeLessThanOrEqual(8 * 1024 * 1024);
    },
  },
  {
    name: "ts: fill /tmp with many files",
    language: "typescript",
    limits: { memoryMb: 256, timeoutMs: 6000 },
    code: () => `
import { writeFileSync } from "node:fs";
export async function run() {
  const chunk = Buffer.alloc(4 * 1024 * 1024, 120);
  let files = 0;
  try { for (;;) { writeFileSync("/tmp/fill-" + files, chunk); files++; } }
  catch (e) { return { files, stopped: (e as NodeJS.ErrnoException).code }; }
}
`,
    check: (run) => {
      expect(run.durationMs).toBeLessThan(25_000);
      if (run.ok) expect((run.result as { files: number }).files * 4).toBeLessThan(1024);
    },
  },
  {
    name: "py: flood stdout",
    language: "python",
    limits: { maxLogBytes: 64 * 1024, timeoutMs: 3000 },
    code: () => `
import sys
def run(input):
    line = "x" * 65535 + "\\n"
    for _ in range(100000):
        sys.stdout.write(line)
    return "flooded"
`,
    check: (run) => {
      expect(run.durationMs).toBeLessThan(20_000);
      expect(run.logs.length).toBeLessThan(64 * 1024 + 4096);
      expect(Boolean(run.truncated?.logs) || run.killedBy === "output").toBe(true);
    },
  },
  {
    name: "ts: flood stdout and stderr",
    language: "typescript",
    limits: { maxLogBytes: 64 * 1024, timeoutMs: 3000 },
    code: () => `
import { writeSync } from "node:fs";
export async function run() {
  const line = "y".repeat(65535) + "\\n";
  for (let i = 0; i < 20000; i++) { writeSync(1, line); writeSync(2, line); }
  return "flooded";
}
`,
    check: (run) => {
      expect(run.durationMs).toBeLessThan(20_000);
      expect(run.logs.length).toBeLessThan(64 * 1024 + 4096);
      expect(run.stderr.length).toBeLessThan(64 * 1024 + 4096);
    },
  },
];
