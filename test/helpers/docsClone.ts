/**
 * For the tests that run the docs verbatim (test/e2e/quickstart.test.ts, test/e2e/readmeTour.test.ts): a copy of the
 * repository as a fresh clone has it, the fenced blocks of a markdown file, and a shell block run as a user pastes it.
 */
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "./cli.js";

/** A copy of the repository's sources and docs, with its node_modules and (built) bin linked in. */
export async function docsClone(prefix: string): Promise<string> {
  const clone = await mkdtemp(join(tmpdir(), prefix));
  for (const entry of [".mcp.json", "package.json", "README.md", "docs", "skills", "src"]) {
    await cp(join(REPO, entry), join(clone, entry), { recursive: true });
  }
  await symlink(join(REPO, "node_modules"), join(clone, "node_modules"));
  // ./bin/skills.js as the docs type it: node follows the link to the repository's bin/ and its built dist/.
  await symlink(join(REPO, "bin"), join(clone, "bin"));
  return clone;
}

export interface Block {
  lang: string;
  text: string;
  /** The paragraph before the block: says which file a code block belongs to. */
  before: string;
}

export function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  // A fence of four backticks holds one of three (a SKILL.md with its example).
  const fence = /^(`{3,})(\w*)\n([\s\S]*?)^\1$/gm;
  let last = 0;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    const before = markdown.slice(last, match.index).trim().split("\n\n").pop() ?? "";
    found.push({ lang: match[2] ?? "", text: match[3] ?? "", before });
    last = match.index + match[0].length;
  }
  return found;
}

/** Runs a shell block as a user pastes it (`./bin/skills.js` is the built CLI); `npm install` is the clone's setup. */
export function runShell(clone: string, text: string): { code: number | null; stdout: string; stderr: string } {
  const script = [
    "set -e",
    text
      .split("\n")
      .filter((line) => !line.startsWith("npm install"))
      .join("\n"),
  ].join("\n");
  const result = spawnSync("bash", ["-c", script], {
    cwd: clone,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
