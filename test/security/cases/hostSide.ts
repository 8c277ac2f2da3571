/**
 * Hostile programs against what the host does for a run, not the sandbox itself: nested user namespaces, answers
 * forged for the host's own "execute" request, unknown and too deeply nested bridge messages, and host paths seen
 * through /proc/self/mountinfo.
 */
import { expect } from "vitest";
import type { HostileCase } from "./common.js";

/** The result a forged answer claims (Python literal). */
const FORGED_RESULT = `{"ok": True, "value": "forged"}`;

export const hostSide: HostileCase[] = [
  {
    name: "py: nested user namespace (unshare -Ur, then mount a tmpfs)",
    language: "python",
    code: () => `
import subprocess
def run(input):
    p = subprocess.run(["unshare", "-Ur", "sh", "-c", "mount -t tmpfs none /tmp && echo mounted"],
                       capture_output=True, text=True)
    return {"code": p.returncode, "out": p.stdout, "err": p.stderr}
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      const result = run.result as { code: number; out: string; err: string };
      expect(result.code).not.toBe(0);
      expect(result.out).not.toContain("mounted");
      expect(result.err).toMatch(/unshare failed/);
    },
  },
  {
    name: "ts: nested user namespace through the unshare(2) call of a child (unshare -Ur id -u)",
    language: "typescript",
    code: () => `
import { spawnSync } from "node:child_process";
export async function run() {
  const p = spawnSync("unshare", ["-Ur", "id", "-u"], { encoding: "utf8" });
  return { code: p.status, out: p.stdout, err: p.stderr };
}
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      const result = run.result as { code: number; out: string; err: string };
      expect(result.code).not.toBe(0);
      expect(result.out.trim()).not.toBe("0");
    },
  },
  {
    name: "py: answer the host's execute request itself (guessed ids), then return the real value",
    language: "python",
    limits: { timeoutMs: 8000 },
    code: () => `
import os, json
def run(input):
    fd = int(os.environ.get("SKILLS_BRIDGE_FD", "3"))
    for i in list(range(0, 64)) + ["1", "0", None]:
        os.write(fd, (json.dumps({"jsonrpc": "2.0", "id": i, "result": ${FORGED_RESULT}}) + "\\n").encode())
    return "real"
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      expect(run.result).toBe("real");
    },
  },
  {
    name: "ts: answer the host's execute request itself (guessed ids, string and number), then return the real value",
    language: "typescript",
    limits: { timeoutMs: 8000 },
    code: () => `
import { writeSync } from "node:fs";
export async function run() {
  const fd = Number(process.env.SKILLS_BRIDGE_FD ?? 3);
  const ids: unknown[] = [null, "1", "0"];
  for (let i = 0; i < 64; i++) ids.push(i);
  for (const id of ids) writeSync(fd, JSON.stringify({ jsonrpc: "2.0", id, result: { ok: true, value: "forged" } }) + "\\n");
  await new Promise((r) => setTimeout(r, 200));
  return "real";
}
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      expect(run.result).toBe("real");
    },
  },
  {
    name: "ts: rewrite the worker's own answer (patch JSON.stringify and Socket.prototype.write)",
    language: "typescript",
    limits: { timeoutMs: 8000 },
    code: () => `
import { Socket } from "node:net";
export async function run() {
  const stringify = JSON.stringify;
  JSON.stringify = ((value: unknown, ...rest: unknown[]) => {
    const v = value as { result?: { value?: unknown } };
    if (v && typeof v === "object" && v.result && "value" in v.result) v.result.value = "forged";
    return (stringify as (...a: unknown[]) => string)(value, ...rest);
  }) as typeof JSON.stringify;
  const write = Socket.prototype.write;
  Socket.prototype.write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
    const text = typeof chunk === "string" ? chunk.replace('"value":"real"', '"value":"forged"') : chunk;
    return (write as (...a: unknown[]) => boolean).call(this, text, ...rest);
  } as typeof Socket.prototype.write;
  return "real";
}
`,
    check: (run) => {
      expect(run.ok).toBe(true);
      expect(run.result).toBe("real");
    },
  },
  {
    name: "py: 300,000 requests for unknown methods (each counts as a refused message)",
    language: "python",
    limits: { timeoutMs: 20_000 },
    code: () => `
import os
def run(input):
    fd = int(os.environ.get("SKILLS_BRIDGE_FD", "3"))
    batch = b"".join(b'{"jsonrpc":"2.0","id":%d,"method":"no/such"}\\n' % i for i in range(1000))
    try:
        for _ in range(300):
            os.write(fd, batch)
    except OSError:
        pass
    return "flooded"
`,
    check: (run) => {
      expect(run.ok).toBe(false);
      expect(run.killedBy).toBe("bridge");
      expect(run.error?.message).toMatch(/refused|unknown method/i);
      expect(run.durationMs).toBeLessThan(15_000);
    },
  },
  {
    name: "ts: tool calls nested 100,000 levels deep (would overflow the host's stack)",
    language: "typescript",
    tools: ["echo"],
    limits: { timeoutMs: 20_000 },
    code: () => `
import { writeSync } from "node:fs";
export async function run() {
  const fd = Number(process.env.SKILLS_BRIDGE_FD ?? 3);
  const send = (depth: number, i: number): boolean => {
    const deep = "[".repeat(depth) + "]".repeat(depth);
    const line = '{"jsonrpc":"2.0","id":' + (900000 + i) + ',"method":"tools/call","params":{"server":"battery","tool":"echo","arguments":{"text":' + deep + '}}}\\n';
    const buf = Buffer.from(line);
    let off = 0;
    while (off < buf.length) {
      try { off += writeSync(fd, buf, off); } catch (e) { if ((e as NodeJS.ErrnoException).code !== "EAGAIN") return false; }
    }
    return true;
  };
  // a few that would overflow any recursive walk, then enough to pass the refusal limit
  for (let i = 0; i < 5; i++) if (!send(100_000, i)) return "closed";
  for (let i = 5; i < 1500; i++) if (!send(5_000, i)) return "closed";
  return "sent";
}
`,
    check: (run, h) => {
      expect(run.ok).toBe(false);
      expect(run.killedBy).toBe("bridge");
      expect(run.error?.message).toMatch(/nested|refused/i);
      expect(run.durationMs).toBeLessThan(15_000);
      expect(h.backend.received.some((call) => call.tool === "echo" && typeof call.args.text !== "string")).toBe(false);
    },
  },
  {
    name: "py: /proc/self/mountinfo names no host path of the checkout, the SDK cache or the runtime",
    language: "python",
    code: () => `
import os
def run(input):
    return {"mountinfo": open("/proc/self/mountinfo").read(), "sdk": sorted(os.listdir("/sdk"))}
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      const result = run.result as { mountinfo: string; sdk: string[] };
      expect(result.mountinfo).toContain(" /runtime ");
      expect(result.mountinfo).not.toContain(h.repo);
      expect(result.mountinfo).not.toContain(h.sdkCache);
      expect(result.mountinfo).not.toMatch(/skills-sdk-/);
      // only the run's own SDK tree is mounted, at /sdk itself
      expect(result.sdk).toContain("servers");
    },
  },
  {
    name: "ts: /proc/self/mountinfo names no host path; /sdk holds only the run's own tool set",
    language: "typescript",
    tools: ["echo"],
    code: () => `
import { readFileSync, readdirSync } from "node:fs";
export async function run() {
  return { mountinfo: readFileSync("/proc/self/mountinfo", "utf8"), servers: readdirSync("/sdk/servers") };
}
`,
    check: (run, h) => {
      expect(run.ok).toBe(true);
      const result = run.result as { mountinfo: string; servers: string[] };
      expect(result.mountinfo).not.toContain(h.repo);
      expect(result.mountinfo).not.toContain(h.sdkCache);
      expect(result.servers).toContain("battery");
    },
  },
];
