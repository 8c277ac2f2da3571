/** Hostile programs: writing outside the workspace, directly and through links. */
import { existsSync } from "node:fs";
import { expect } from "vitest";
import type { HostileCase } from "./common.js";

export const writes: HostileCase[] = [
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
