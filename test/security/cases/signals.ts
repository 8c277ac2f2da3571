/** Hostile programs: signalling and tracing host processes. */
import { expect } from "vitest";
import type { HostileCase } from "./common.js";

export const signals: HostileCase[] = [
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
