/** Hostile programs: reading host secrets: home folder, /etc/shadow, the repo, the environment, other processes. */
import { expect } from "vitest";
import { everythingSaid } from "../helpers.js";
import { type HostileCase, expectNotContains } from "./common.js";

export const secrets: HostileCase[] = [
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
