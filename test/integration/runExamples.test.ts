/**
 * The example skills in skills/ are part of the product: each passes `validate --strict`, declares tool ranges the
 * bundled servers satisfy, has a success and a failure test case, and its SKILL.md tells an agent when to use it.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { validate } from "../../src/commands/validate.js";
import { parseTestFile } from "../../src/core/testing/parseTestFile.js";
import { loadSkill } from "../../src/store/loadSkill.js";

const repo = resolve(import.meta.dirname, "../..");
const EXAMPLES = ["summarize-directory", "find-todos", "knowledge-graph", "everything-chain", "import-contacts"];

describe("example skills", () => {
  test("every example passes validate --strict", async () => {
    const result = await validate({ paths: ["skills"], strict: true, cwd: repo });
    expect(result.skills.map((skill) => [skill.name, skill.ok, skill.errors.length, skill.warnings.length])).toEqual(
      expect.arrayContaining(EXAMPLES.map((name) => [name, true, 0, 0])),
    );
  });

  test("both languages are covered", async () => {
    const languages = new Set<string>();
    for (const name of EXAMPLES) {
      const loaded = await loadSkill(join(repo, "skills", name));
      if (!loaded.ok) throw new Error(`${name} does not load`);
      languages.add(loaded.value.manifest.language);
    }
    expect([...languages].sort()).toEqual(["python", "typescript"]);
  });

  for (const name of EXAMPLES) {
    test(`${name}: schema line, tool ranges of the bundled servers, a success and a failure case`, async () => {
      const dir = join(repo, "skills", name);
      const manifest = await readFile(join(dir, "manifest.yaml"), "utf8");
      expect(manifest.split("\n")[0]).toBe("# yaml-language-server: $schema=../../schemas/manifest.schema.json");
      const loaded = await loadSkill(dir);
      if (!loaded.ok) throw new Error(`${name} does not load`);
      const ranges = Object.entries(loaded.value.manifest.tools ?? {});
      expect(ranges.length).toBeGreaterThan(0);
      const serverVersions: Record<string, string> = { filesystem: "^0.2.0", memory: "^0.6.0", everything: "^2.0.0" };
      for (const [key, range] of ranges) expect(range).toBe(serverVersions[key.split("/")[0] as string]);

      const files = (await readdir(join(dir, "tests"))).filter((file) => file.endsWith(".yaml"));
      const cases = [];
      for (const file of files) {
        const parsed = parseTestFile(await readFile(join(dir, "tests", file), "utf8"), file);
        if (!parsed.ok) throw new Error(`${name}/tests/${file}: ${parsed.errors[0]?.message}`);
        cases.push(...parsed.value);
      }
      const kinds = cases.map((located) => ("error" in (located.case.expect ?? {}) ? "failure" : "success"));
      expect(kinds).toContain("success");
      expect(kinds).toContain("failure");

      expect(loaded.value.body).toMatch(/## When to use it/);
      expect(loaded.value.body).toMatch(/## How to use it/);
    });
  }
});
