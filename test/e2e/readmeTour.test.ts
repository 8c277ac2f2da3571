/**
 * The README's tour, run verbatim against the built CLI in a copy of the repository (as a fresh clone has it): every
 * command must exit 0, and the examples must find something. docs/quickstart.md: quickstart.test.ts.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO } from "../helpers/cli.js";
import { blocks, docsClone, runShell } from "../helpers/docsClone.js";

let clone: string;

beforeAll(async () => {
  clone = await docsClone("skills-readme-tour-");
});

afterAll(async () => {
  if (clone) await rm(clone, { recursive: true, force: true });
});

describe("the README's tour, verbatim", () => {
  test("every command works and the examples find something", async () => {
    const readme = await readFile(join(REPO, "README.md"), "utf8");
    const tour = blocks(readme.slice(readme.indexOf("## A short tour"))).find((block) => block.lang === "sh");
    expect(tour).toBeDefined();
    const result = runShell(clone, tour!.text);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/"total": 5/);
    expect(result.stdout).toMatch(/"outgoing": \[\s*"maintains parser"\s*\]/);
    expect(result.stdout).toMatch(/^\s*42$/m);
  }, 240_000);
});
