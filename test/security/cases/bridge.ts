/** Hostile programs: abusing the bridge: floods, malformed and oversized messages, undeclared tools, bad arguments, results, call limits. */
import { expect } from "vitest";
import type { HostileCase } from "./common.js";

export const bridge: HostileCase[] = [
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
