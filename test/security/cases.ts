/**
 * The hostile programs. Each case is a program (Python or TypeScript) plus what must hold afterwards: about the run
 * (contained: refused, killed, or failing cleanly) and about the host (nothing written, nothing leaked, nobody
 * signalled, nothing left running). Values from the host (paths, ports, secrets) are baked into the source.
 */
import { existsSync } from "node:fs";
import { expect } from "vitest";
import type { RunLimits, RunResult } from "../../src/sandbox/types.js";
import { everythingSaid, MARKER, type RecordingBackend } from "./helpers.js";

export interface HostContext {
  /** A secret set in the host's environment before any run. */
  canary: string;
  /** A file with secret content in the host user's home folder. */
  homeCanaryPath: string;
  homeCanaryContent: string;
  /** The repository root (its .git/config must stay unreadable). */
  repo: string;
  /** First line of the host's /etc/shadow, when the test can read it. */
  shadowLine?: string;
  /** A host folder the programs try to write into. */
  hostDir: string;
  /** The test process: programs try to signal and trace it. */
  hostPid: number;
  trapPort: number;
  trapConnections: () => number;
  abstractName: string;
  abstractConnections: () => number;
  signalsReceived: () => number;
  backend: RecordingBackend;
}

export interface HostileCase {
  name: string;
  language: "python" | "typescript";
  /** Tool names of the battery server the program may call. */
  tools?: string[];
  limits?: Partial<RunLimits>;
  code: (host: HostContext) => string;
  check: (run: RunResult, host: HostContext) => void | Promise<void>;
}

const PY_MARK = `open("/proc/self/comm", "w").write(${JSON.stringify(MARKER)})\n`;

/** A contained run ended by the sandbox (not by the program finishing its attack). */
function expectStopped(run: RunResult, maxMs: number): void {
  expect(run.ok).toBe(false);
  expect(run.durationMs).toBeLessThan(maxMs);
}

function expectNotContains(run: RunResult, ...secrets: (string | undefined)[]): void {
  const said = everythingSaid(run);
  for (const secret of secrets) if (secret) expect(said).not.toContain(secret);
}

const secrets: HostileCase[] = [
  {
    name: "py: read the host user's home folder and a canary file in it",
    language: "python",
    code: (h) => `
import os
def run(input):
    out = {}
    for path in ["/root", ${JSON.stringify(h.homeCanaryPath.replace(/\/[^/]+$/, ""))}]:
        try:
            out[path] = os.listdir(path)
        except Exception as e:
            out[path] = "refused: " + type(e).__name__
    try:
        out["canary"] = open(${JSON.stringify(h.homeCanaryPath)}).read()
    except Exception as e:
        out["canary"] = "refused: " + type(e).__name__
    return out
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expectNotContains(run, h.homeCanaryContent, h.homeCanaryPath.split("/").pop());
    },
  },
  {
    name: "py: read /etc/shadow",
    language: "python",
    code: () => `
def run(input):
    try:
        return {"shadow": open("/etc/shadow").read()}
    except Exception as e:
        return {"refused": type(e).__name__}
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expect(run.result).toHaveProperty("refused");
      expectNotContains(run, h.shadowLine);
    },
  },
  {
    name: "ts: read the repository's .git/config (absolute and walking up)",
    language: "typescript",
    code: (h) => `
import { readFileSync } from "node:fs";
export async function run() {
  const found: string[] = [];
  const tries = [${JSON.stringify(`${h.repo}/.git/config`)}];
  for (let i = 0; i < 8; i++) tries.push("../".repeat(i) + ".git/config");
  for (const path of tries) {
    try { found.push(readFileSync(path, "utf8")); } catch (e) { found.push("refused " + (e as Error).message.split(":")[0]); }
  }
  return found;
}
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      expect(everythingSaid(run)).not.toContain("repositoryformatversion");
    },
  },
  {
    name: "py: dump the environment and every readable /proc/*/environ",
    language: "python",
    code: () => `
import os
def run(input):
    seen = dict(os.environ)
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                seen["proc" + pid] = open("/proc/%s/environ" % pid, "rb").read().decode("utf8", "replace")
            except Exception as e:
                seen["proc" + pid] = type(e).__name__
    print(seen)
    return seen
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expectNotContains(run, h.canary);
    },
  },
  {
    name: "ts: dump process.env and the parent's environ",
    language: "typescript",
    code: () => `
import { readFileSync, readdirSync } from "node:fs";
export async function run() {
  const seen: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const pid of readdirSync("/proc").filter((p) => /^\\d+$/.test(p))) {
    try { seen["proc" + pid] = readFileSync("/proc/" + pid + "/environ", "latin1"); } catch (e) { seen["proc" + pid] = String(e); }
  }
  console.log(JSON.stringify(seen));
  console.error(JSON.stringify(seen));
  return seen;
}
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expectNotContains(run, h.canary);
    },
  },
  {
    name: "py: look for host processes in /proc",
    language: "python",
    code: (h) => `
import os
def run(input):
    cmdlines = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdlines.append(open("/proc/%s/cmdline" % pid, "rb").read().replace(b"\\0", b" ").decode())
            except Exception:
                pass
    host = os.path.exists("/proc/${h.hostPid}/cmdline") and open("/proc/${h.hostPid}/cmdline", "rb").read().decode("utf8", "replace")
    return {"count": len(cmdlines), "cmdlines": cmdlines, "host": host}
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      const said = everythingSaid(run);
      expect(said).not.toContain("vitest");
      expect(said).not.toContain("mcp-server");
      // a private pid namespace: only the sandbox's own few processes
      expect((run.result as { count: number }).count).toBeLessThan(10);
    },
  },
];

const writes: HostileCase[] = [
  {
    name: "py: write files outside the workspace (host dir, repo, /etc, /usr)",
    language: "python",
    code: (h) => `
import os
def run(input):
    out = {}
    for path in [${JSON.stringify(`${h.hostDir}/escape-py.txt`)}, ${JSON.stringify(`${h.repo}/ESCAPE-py.txt`)}, "/etc/escape-py", "/usr/escape-py", "/escape-py"]:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write("escaped")
            out[path] = "written (inside the sandbox only)"
        except Exception as e:
            out[path] = "refused: " + type(e).__name__
    return out
`,
    check: (_run, h) => {
      expect(existsSync(`${h.hostDir}/escape-py.txt`)).toBe(false);
      expect(existsSync(`${h.repo}/ESCAPE-py.txt`)).toBe(false);
      expect(existsSync("/etc/escape-py")).toBe(false);
      expect(existsSync("/usr/escape-py")).toBe(false);
      expect(existsSync("/escape-py")).toBe(false);
    },
  },
  {
    name: "ts: write outside the workspace and into the program's own folder",
    language: "typescript",
    code: (h) => `
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
export async function run() {
  const out: Record<string, string> = {};
  const paths = [${JSON.stringify(`${h.hostDir}/escape-ts.txt`)}, ${JSON.stringify(`${h.repo}/ESCAPE-ts.txt`)}, "/etc/escape-ts", "../escape-ts", "/skill/escape-ts"];
  for (const path of paths) {
    try { mkdirSync(dirname(path), { recursive: true }); writeFileSync(path, "escaped"); out[path] = "written (sandbox only)"; }
    catch (e) { out[path] = "refused " + (e as NodeJS.ErrnoException).code; }
  }
  return out;
}
`,
    check: (_run, h) => {
      expect(existsSync(`${h.hostDir}/escape-ts.txt`)).toBe(false);
      expect(existsSync(`${h.repo}/ESCAPE-ts.txt`)).toBe(false);
      expect(existsSync("/etc/escape-ts")).toBe(false);
      expect(existsSync(`${h.repo}/escape-ts`)).toBe(false);
    },
  },
  {
    name: "py: escape through symlinks and hard links made in the workspace",
    language: "python",
    code: (h) => `
import os
def run(input):
    out = {}
    target = ${JSON.stringify(`${h.hostDir}/escape-link.txt`)}
    try:
        os.symlink(target, "link")
        with open("link", "w") as f:
            f.write("escaped")
        out["symlink"] = "written (sandbox only)"
    except Exception as e:
        out["symlink"] = "refused: " + type(e).__name__
    try:
        os.link("/etc/passwd", "passwd-link")
        out["hardlink"] = "linked"
    except Exception as e:
        out["hardlink"] = "refused: " + type(e).__name__
    return out
`,
    check: (_run, h) => {
      expect(existsSync(`${h.hostDir}/escape-link.txt`)).toBe(false);
    },
  },
];

const network: HostileCase[] = [
  {
    name: "py: connect to a TCP server on the host's loopback and to the internet",
    language: "python",
    code: (h) => `
import socket
def run(input):
    out = {}
    for host, port in [("127.0.0.1", ${h.trapPort}), ("1.1.1.1", 53), ("8.8.8.8", 443)]:
        try:
            s = socket.create_connection((host, port), timeout=1)
            out["%s:%d" % (host, port)] = "connected"
            s.close()
        except Exception as e:
            out["%s:%d" % (host, port)] = "refused: " + type(e).__name__
    return out
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expect(h.trapConnections()).toBe(0);
      expect(JSON.stringify(run.result)).not.toContain('"connected"');
    },
  },
  {
    name: "ts: fetch and net.connect to the host's loopback",
    language: "typescript",
    code: (h) => `
import { connect } from "node:net";
export async function run() {
  const out: Record<string, string> = {};
  try { await fetch("http://127.0.0.1:${h.trapPort}/", { signal: AbortSignal.timeout(1500) }); out.fetch = "connected"; }
  catch (e) { out.fetch = "refused " + String((e as Error).cause ?? e); }
  out.net = await new Promise((resolve) => {
    const socket = connect(${h.trapPort}, "127.0.0.1");
    socket.on("connect", () => { socket.destroy(); resolve("connected"); });
    socket.on("error", (e) => resolve("refused " + e.message));
    setTimeout(() => { socket.destroy(); resolve("timeout"); }, 1500);
  });
  return out;
}
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expect(h.trapConnections()).toBe(0);
      expect(JSON.stringify(run.result)).not.toContain('"connected"');
    },
  },
  {
    name: "py: connect to the host's abstract UNIX socket",
    language: "python",
    code: (h) => `
import socket
def run(input):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect("\\0${h.abstractName}")
        return "connected"
    except Exception as e:
        return "refused: " + type(e).__name__
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expect(run.result).not.toBe("connected");
      expect(h.abstractConnections()).toBe(0);
    },
  },
  {
    name: "ts: resolve and reach a public host name",
    language: "typescript",
    code: () => `
import { lookup } from "node:dns/promises";
export async function run() {
  try { const a = await lookup("example.com"); return "resolved " + a.address; }
  catch (e) { return "refused " + (e as NodeJS.ErrnoException).code; }
}
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      expect(String(run.result)).toMatch(/^refused/);
    },
  },
];

const signals: HostileCase[] = [
  {
    name: "py: signal the parent, every process (kill -1) and the host test process",
    language: "python",
    code: (h) => `
import os, signal
def run(input):
    out = {}
    for name, pid in [("ppid", os.getppid()), ("all", -1), ("host", ${h.hostPid}), ("init", 1)]:
        try:
            os.kill(pid, signal.SIGUSR2)
            out[name] = "sent"
        except Exception as e:
            out[name] = "refused: " + type(e).__name__
    return out
`,
    check: (_run, h) => {
      expect(h.signalsReceived()).toBe(0);
    },
  },
  {
    name: "ts: process.kill the parent, -1 and the host test process",
    language: "typescript",
    code: (h) => `
export async function run() {
  const out: Record<string, string> = {};
  for (const [name, pid] of [["ppid", process.ppid], ["all", -1], ["host", ${h.hostPid}]] as const) {
    try { process.kill(pid, "SIGUSR2"); out[name] = "sent"; } catch (e) { out[name] = "refused " + (e as NodeJS.ErrnoException).code; }
  }
  return out;
}
`,
    check: (_run, h) => {
      expect(h.signalsReceived()).toBe(0);
    },
  },
  {
    name: "py: ptrace-attach to the host process and read its memory",
    language: "python",
    code: (h) => `
def run(input):
    out = {}
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        out["attach"] = libc.ptrace(16, ${h.hostPid}, None, None)
        out["attach_parent"] = libc.ptrace(16, __import__("os").getppid(), None, None)
    except Exception as e:
        out["attach"] = "refused: " + type(e).__name__
    try:
        with open("/proc/${h.hostPid}/mem", "rb") as f:
            out["mem"] = len(f.read(16))
    except Exception as e:
        out["mem"] = "refused: " + type(e).__name__
    return out
`,
    check: (run, h) => {
      const result = run.result as Record<string, unknown> | undefined;
      if (run.ok && result) {
        expect(result.attach === -1 || String(result.attach).startsWith("refused")).toBe(true);
        expect(String(result.mem)).toMatch(/^refused/);
      }
      expect(h.signalsReceived()).toBe(0);
    },
  },
];

const resources: HostileCase[] = [
  {
    name: "py: fork bomb",
    language: "python",
    limits: { maxProcesses: 32, timeoutMs: 4000 },
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
    limits: { maxProcesses: 32, timeoutMs: 4000 },
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
    limits: { maxProcesses: 32, timeoutMs: 4000 },
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
    limits: { maxLogBytes: 64 * 1024, timeoutMs: 5000 },
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
    limits: { maxLogBytes: 64 * 1024, timeoutMs: 5000 },
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

const bridge: HostileCase[] = [
  {
    name: "py: flood the bridge with requests and notifications",
    language: "python",
    tools: ["echo"],
    limits: { maxToolCalls: 50, timeoutMs: 8000 },
    code: () => `
import json, os
def run(input):
    fd = int(os.environ.get("SKILLS_BRIDGE_FD", "3"))
    batch = b"".join(
        (json.dumps({"jsonrpc": "2.0", "id": 10**6 + i, "method": "tools/call",
                     "params": {"server": "battery", "tool": "echo", "arguments": {"text": "x"}}}) + "\\n").encode()
        for i in range(2000))
    notes = (json.dumps({"jsonrpc": "2.0", "method": "log", "params": {"level": "info", "message": "z" * 1000}}) + "\\n").encode() * 2000
    for _ in range(5):
        os.write(fd, batch)
        os.write(fd, notes)
    return "flooded"
`,
    check: (run, h) => {
      expect(run.durationMs).toBeLessThan(20_000);
      expect(h.backend.received.filter((call) => call.tool === "echo").length).toBeLessThanOrEqual(50);
    },
  },
  {
    name: "py: malformed bridge message (raw bytes on fd 3)",
    language: "python",
    limits: { timeoutMs: 5000 },
    code: () => `
import os, time
def run(input):
    os.write(int(os.environ.get("SKILLS_BRIDGE_FD", "3")), b"\\x00\\xffthis is {not json\\n")
    time.sleep(3)
    return "still here"
`,
    check: (run) => {
      expect(run.ok).toBe(false);
      expect(run.durationMs).toBeLessThan(15_000);
    },
  },
  {
    name: "ts: oversized bridge message (9 MiB without a newline)",
    language: "typescript",
    limits: { timeoutMs: 8000, memoryMb: 512 },
    code: () => `
import { writeSync } from "node:fs";
export async function run() {
  const fd = Number(process.env.SKILLS_BRIDGE_FD ?? 3);
  const big = Buffer.alloc(9 * 1024 * 1024, 97);
  let off = 0;
  while (off < big.length) { try { off += writeSync(fd, big, off); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e; } }
  await new Promise((r) => setTimeout(r, 5000));
  return "still here";
}
`,
    check: (run) => {
      expect(run.ok).toBe(false);
      expect(run.durationMs).toBeLessThan(20_000);
    },
  },
  {
    name: "ts: JSON-RPC that is valid JSON but not a valid request",
    language: "typescript",
    limits: { timeoutMs: 5000 },
    code: () => `
import { writeSync } from "node:fs";
export async function run() {
  const fd = Number(process.env.SKILLS_BRIDGE_FD ?? 3);
  writeSync(fd, JSON.stringify({ jsonrpc: "1.0", id: {}, method: ["tools/call"], params: 7 }) + "\\n");
  writeSync(fd, JSON.stringify({ jsonrpc: "2.0", id: 424242, result: { forged: true } }) + "\\n");
  await new Promise((r) => setTimeout(r, 3000));
  return "still here";
}
`,
    check: (run) => {
      expect(run.durationMs).toBeLessThan(15_000);
      if (run.ok) expect(run.result).toBe("still here");
    },
  },
  {
    name: "py: call a tool that is not declared",
    language: "python",
    tools: ["echo"],
    code: () => `
from servers._runtime import call_tool, ToolError
def run(input):
    try:
        call_tool("battery", "delete_everything", {})
        return "called"
    except ToolError as e:
        return e.code
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expect(run.result).toBe("TOOL_NOT_DECLARED");
      expect(h.backend.received.some((call) => call.tool === "delete_everything")).toBe(false);
    },
  },
  {
    name: "ts: call an undeclared tool through the raw bridge",
    language: "typescript",
    tools: ["echo"],
    code: () => `
export async function run() {
  const bridge = (globalThis as Record<symbol, { request(m: string, p: unknown): Promise<{ error?: { data?: { code?: string } } }> }>)[Symbol.for("skills.bridge")];
  const response = await bridge.request("tools/call", { server: "battery", tool: "delete_everything", arguments: {} });
  return response.error?.data?.code ?? "called";
}
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expect(run.result).toBe("TOOL_NOT_DECLARED");
      expect(h.backend.received.some((call) => call.tool === "delete_everything")).toBe(false);
    },
  },
  {
    name: "py: call a tool with arguments that break its schema",
    language: "python",
    tools: ["echo"],
    code: () => `
from servers._runtime import call_tool, ToolError
def run(input):
    try:
        call_tool("battery", "echo", {"text": {"$where": "1"}, "extra": True})
        return "called"
    except ToolError as e:
        return e.code
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expect(run.result).toBe("TOOL_ARGS_INVALID");
      expect(h.backend.received.some((call) => call.tool === "echo" && typeof call.args.text !== "string")).toBe(false);
    },
  },
  {
    name: "ts: call add with strings (schema check before the server)",
    language: "typescript",
    tools: ["add"],
    code: () => `
import { add } from "servers/battery";
export async function run() {
  try { await add({ a: "1; DROP TABLE", b: 2 } as never); return "called"; }
  catch (e) { return (e as { code?: string }).code; }
}
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      expect(run.result).toBe("TOOL_ARGS_INVALID");
      expect(h.backend.received.some((call) => call.tool === "add" && typeof call.args.a !== "number")).toBe(false);
    },
  },
  {
    name: "py: return a result that is not JSON-serialisable",
    language: "python",
    code: () => `
def run(input):
    return {"handle": open("/dev/null"), "nan": float("nan")}
`,
    check: (run) => {
      expect(run.ok).toBe(false);
      expect(run.error?.message).toMatch(/JSON|serial/i);
    },
  },
  {
    name: "ts: return a BigInt inside a circular object",
    language: "typescript",
    code: () => `
export async function run() {
  const value: Record<string, unknown> = { big: 10n };
  value.self = value;
  return value;
}
`,
    check: (run) => {
      expect(run.ok).toBe(false);
      expect(run.error?.message).toMatch(/JSON|serial|circular|BigInt/i);
    },
  },
  {
    name: "py: exceed max_tool_calls",
    language: "python",
    tools: ["add"],
    limits: { maxToolCalls: 3 },
    code: () => `
from servers._runtime import call_tool, ToolError
def run(input):
    codes = []
    for i in range(10):
        try:
            call_tool("battery", "add", {"a": 9000 + i, "b": 1})
            codes.append("ok")
        except ToolError as e:
            codes.append(e.code)
    return codes
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      const codes = run.result as string[];
      expect(codes.filter((code) => code === "ok")).toHaveLength(3);
      expect(codes.slice(3).every((code) => code === "TOOL_CALL_LIMIT")).toBe(true);
      expect(
        h.backend.received.filter(
          (call) => call.tool === "add" && Number(call.args.a) >= 9000 && Number(call.args.a) < 9010,
        ),
      ).toHaveLength(3);
    },
  },
  {
    name: "ts: exceed max_tool_calls with concurrent calls",
    language: "typescript",
    tools: ["add"],
    limits: { maxToolCalls: 3 },
    code: () => `
import { add } from "servers/battery";
export async function run() {
  const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => add({ a: 7000 + i, b: 1 })));
  return settled.map((s) => (s.status === "fulfilled" ? "ok" : (s.reason as { code?: string }).code));
}
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      const codes = run.result as string[];
      expect(codes.filter((code) => code === "ok")).toHaveLength(3);
      expect(codes.filter((code) => code === "TOOL_CALL_LIMIT")).toHaveLength(7);
      expect(
        h.backend.received.filter(
          (call) => call.tool === "add" && Number(call.args.a) >= 7000 && Number(call.args.a) < 7010,
        ),
      ).toHaveLength(3);
    },
  },
];

export const CASES: HostileCase[] = [...secrets, ...writes, ...network, ...signals, ...resources, ...bridge];
export const GROUPS = { secrets, writes, network, signals, resources, bridge };
