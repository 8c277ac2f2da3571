/**
 * docs/quickstart.md, run verbatim against the built CLI in a copy of the repository (as a fresh clone has it): every
 * `./bin/skills.js` command must exit 0, and the examples must show something. The quick start's file edits are made
 * as its text says (replace the file, or replace `input:` and `output:`). The README's tour: readmeTour.test.ts.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { REPO } from "../helpers/cli.js";
import { blocks, docsClone, runShell } from "../helpers/docsClone.js";

let clone: string;

beforeAll(async () => {
  clone = await docsClone("skills-quickstart-");
});

afterAll(async () => {
  if (clone) await rm(clone, { recursive: true, force: true });
});

describe("docs/quickstart.md, verbatim", () => {
  test("every command works, and the new skill runs, records, replays and validates", async () => {
    const doc = await readFile(join(REPO, "docs/quickstart.md"), "utf8");
    const outputs: string[] = [];
    let edits = 0;
    for (const block of blocks(doc)) {
      const skill = join(clone, "skills/list-docs");
      if (block.lang === "sh") {
        const result = runShell(clone, block.text);
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
