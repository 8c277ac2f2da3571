/**
 * Public-style Agent Skills folders (SKILL.md with scripts/, references/ and assets/, no manifest.yaml): valid as the
 * specification says, listed as instruction skills, and `run` / `test` say why they cannot run and what would make
 * them runnable. Through the command functions and through the built CLI.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSkill } from "../../src/commands/run.js";
import { runTests } from "../../src/commands/test.js";
import { validate } from "../../src/commands/validate.js";
import { SkillsError } from "../../src/errors.js";
import { skillsAsync as runCli } from "../helpers/cli.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/agent-skills");
const NAMES = ["pdf-form-filling", "release-notes", "код-ревью"];
let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-instruction-"));
  await writeFile(join(project, "package.json"), "{}\n");
  for (const name of NAMES) await cp(join(FIXTURES, name), join(project, "skills", name), { recursive: true });
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe("instruction skills", () => {
  it("validate in every mode, with no warnings", async () => {
    for (const strict of [false, true]) {
      const result = await validate({ paths: [], cwd: project, strict });
      expect(result.skills.map((s) => [s.name, s.kind, s.ok, s.errors.length + s.warnings.length])).toEqual(
        NAMES.map((name) => [name, "instruction", true, 0]),
      );
    }
  });

  it("run says there is no manifest.yaml and what to add", async () => {
    const error = (await runSkill({ cwd: project, ref: "release-notes" }).catch((e: unknown) => e)) as SkillsError;
    expect(error).toBeInstanceOf(SkillsError);
    expect(error.code).toBe("SKILL_NOT_RUNNABLE");
    expect(error.kind).toBe("input");
    expect(error.message).toBe(
      "release-notes is an instruction skill: skills/release-notes has SKILL.md but no manifest.yaml, so there is nothing to run (an agent reads its instructions instead)",
    );
    expect(error.data.file).toBe("skills/release-notes/manifest.yaml");
    expect(error.data.hint).toMatch(
      /^to make it runnable, add skills\/release-notes\/manifest.yaml with name: release-notes, version: 0.1.0, language: python and entry: main.py/,
    );
  });

  it("test lists them with a word and runs nothing", async () => {
    const result = await runTests({ cwd: project, paths: ["skills/код-ревью"] });
    expect(result.ok).toBe(true);
    expect(result.summary.total).toBe(0);
    expect(result.skills[0]!.name).toBe("код-ревью");
    expect(result.skills[0]!.warnings.map((w) => [w.code, w.file])).toEqual([
      ["NOT_RUNNABLE", "skills/код-ревью/manifest.yaml"],
    ]);
  });

  it("through the CLI: validate --json names them, run exits 2 with the fix", async () => {
    const validated = await runCli(["validate", "--json"], { cwd: project });
    expect(validated.code).toBe(0);
    const json = JSON.parse(validated.stdout) as { skills: { name: string; kind: string }[] };
    expect(json.skills.map((s) => [s.name, s.kind])).toEqual(NAMES.map((name) => [name, "instruction"]));
    const text = await runCli(["validate"], { cwd: project });
    expect(text.stdout).toContain("✓ код-ревью skills/код-ревью instruction skill");
    const run = await runCli(["run", "pdf-form-filling"], { cwd: project });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "skills/pdf-form-filling/manifest.yaml  SKILL_NOT_RUNNABLE  pdf-form-filling is an instruction skill",
    );
    expect(run.stderr).toContain("hint: to make it runnable, add skills/pdf-form-filling/manifest.yaml");
  });

  it("through the CLI: a folder named on the command line with no SKILL.md fails (exit 1), and is no kind of skill", async () => {
    await mkdir(join(project, "empty-folder"));
    const result = await runCli(["validate", "empty-folder"], { cwd: project });
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n")[0]).toBe("✗ empty-folder empty-folder (1 error)");
    expect(result.stdout).toContain("empty-folder/SKILL.md:1:1  SKILL_MD_MISSING  no SKILL.md in empty-folder");
  });
});
