/**
 * docs/quickstart.md and the README's tour, run verbatim against the built CLI in a copy of the repository (as a
 * fresh clone has it): every `./bin/skills.js` command must exit 0, and the examples must show something. The quick
 * start's file edits are made as its text says (replace the file, or replace `input:` and `output:`).
 */
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { REPO } from "../helpers/cli.js";

let clone: string;

beforeAll(async () => {
  clone = await mkdtemp(join(tmpdir(), "skills-quickstart-"));
  for (const entry of [".mcp.json", "package.json", "README.md", "docs", "skills", "src"]) {
    await cp(join(REPO, entry), join(clone, entry), { recursive: true });
  }
  await symlink(join(REPO, "node_modules"), join(clone, "node_modules"));
  // ./bin/skills.js as the docs type it: node follows the link to the repository's bin/ and its built dist/.
  await symlink(join(REPO, "bin"), join(clone, "bin"));
});

afterAll(async () => {
  if (clone) await rm(clone, { recursive: true, force: true });
});

interface Block {
  lang: string;
  text: string;
  /** The paragraph before the block: says which file a code block belongs to. */
  before: string;
}

function blocks(markdown: string): Block[] {
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
function runShell(text: string): { code: number | null; stdout: string; stderr: string } {
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

describe("docs/quickstart.md, verbatim", () => {
  test("every command works, and the new skill runs, records, replays and validates", async () => {
    const doc = await readFile(join(REPO, "docs/quickstart.md"), "utf8");
    const outputs: string[] = [];
    let edits = 0;
    for (const block of blocks(doc)) {
      const skill = join(clone, "skills/list-docs");
      if (block.lang === "sh") {
        const result = runShell(block.text);
        expect(result.code, `${block.text}\n${result.stdout}\n${result.stderr}`).toBe(0);
        outputs.push(result.stdout);
      } else if (block.lang === "python" && block.before.includes("skills/list-docs/main.py")) {
        await writeFile(join(skill, "main.py"), block.text);
        edits++;
      } else if (block.lang === "yaml" && block.before.includes("skills/list-docs/manifest.yaml")) {
        const manifestFile = join(skill, "manifest.yaml");
        const text = await readFile(manifestFile, "utf8");
        const manifest = parse(text);
        Object.assign(manifest, parse(block.text));
        const schemaLine = text.split("\n")[0];
        await writeFile(manifestFile, `${schemaLine}\n${stringify(manifest)}`);
        edits++;
      } else if (block.lang === "markdown" && block.before.includes("skills/list-docs/SKILL.md")) {
        await writeFile(join(skill, "SKILL.md"), block.text);
        edits++;
      } else if (block.lang === "yaml" && block.before.includes("skills/list-docs/tests/basic.yaml")) {
        await writeFile(join(skill, "tests/basic.yaml"), block.text);
        edits++;
      }
    }
    expect(edits).toBe(4);
    const all = outputs.join("\n");
    // Step 2's examples show results, step 4's skill lists the docs, step 5 records, replays and validates.
    expect(all).toMatch(/"filesWithTodos": 2/);
    expect(all).toMatch(/"warmest": "Chicago"/);
    expect(all).toMatch(/"quickstart\.md"/);
    expect(all).toMatch(/recorded 1 cassette/);
    expect(all).toMatch(/ok: 1 skill checked \(strict\), 1 valid/);
    const cassette = JSON.parse(await readFile(join(clone, "skills/list-docs/cassettes/basic.json"), "utf8"));
    expect(cassette.calls.map((call: { server: string; tool: string }) => `${call.server}/${call.tool}`)).toEqual([
      "filesystem/list_directory",
    ]);
  }, 240_000);
});

describe("the README's tour, verbatim", () => {
  test("every command works and the examples find something", async () => {
    const readme = await readFile(join(REPO, "README.md"), "utf8");
    const tour = blocks(readme.slice(readme.indexOf("## A short tour"))).find((block) => block.lang === "sh");
    expect(tour).toBeDefined();
    const result = runShell(tour!.text);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/"total": 5/);
    expect(result.stdout).toMatch(/"outgoing": \[\s*"maintains parser"\s*\]/);
    expect(result.stdout).toMatch(/^\s*42$/m);
  }, 240_000);
});
