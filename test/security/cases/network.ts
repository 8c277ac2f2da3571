/** Hostile programs: reaching the network, the host loopback and its abstract UNIX sockets. */
import { expect } from "vitest";
import type { HostileCase } from "./common.js";

export const network: HostileCase[] = [
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
