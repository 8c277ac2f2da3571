/** The `validate` command function over real folders: paths, roots from config, notes, summary, usage errors. */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validate } from "../../src/commands/validate.js";
import { SkillsError } from "../../src/errors.js";

const FIXTURES = join(import.meta.dirname, "../fixtures");
let project: string;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-validate-"));
  await writeFile(join(project, "package.json"), "{}\n");
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

async function addSkill(from: string, to = from.split("/").pop()!) {
  await cp(join(FIXTURES, from), join(project, "skills", to), { recursive: true });
}

describe("validate()", () => {
  it("validates the configured roots when no path is given", async () => {
    await addSkill("valid/minimal-python");
    await addSkill("broken/bad-range");
    const result = await validate({ paths: [], cwd: project });
    expect(result.ok).toBe(false);
    expect(result.summary).toEqual({ skills: 2, valid: 1, invalid: 1, errors: 1, warnings: 0 });
    const bad = result.skills.find((s) => s.name === "bad-range")!;
    expect(bad.dir).toBe("skills/bad-range");
    expect(bad.errors[0]).toMatchObject({
      code: "TOOL_RANGE_INVALID",
      file: "skills/bad-range/manifest.yaml",
      line: 8,
      pointer: "/tools/filesystem~1list_directory",
    });
  });

  it("names files relative to cwd, also from a subfolder", async () => {
    await addSkill("broken/bad-semver");
    const result = await validate({ paths: ["bad-semver"], cwd: join(project, "skills") });
    expect(result.skills[0]!.errors[0]!.file).toBe("bad-semver/manifest.yaml");
  });

  it("is ok with warnings by default and fails with --strict", async () => {
    await addSkill("broken/unknown-key-frontmatter");
    const loose = await validate({ paths: ["skills"], cwd: project });
    expect(loose.ok).toBe(true);
    expect(loose.summary.warnings).toBe(1);
    const strict = await validate({ paths: ["skills"], strict: true, cwd: project });
    expect(strict.ok).toBe(false);
    expect(strict.strict).toBe(true);
    expect(strict.summary.errors).toBe(1);
  });

  it("explains a missing default skills/ folder instead of failing", async () => {
    const result = await validate({ paths: ["skills"], cwd: project });
    expect(result).toMatchObject({ ok: true, skills: [] });
    expect(result.notes.join("\n")).toMatch(/skills does not exist yet/);
    const implicit = await validate({ paths: [], cwd: project });
    expect(implicit.notes.join("\n")).toMatch(/skills new/);
  });

  it("explains an empty skills/ folder", async () => {
    await mkdir(join(project, "skills"));
    const result = await validate({ paths: [], cwd: project });
    expect(result.ok).toBe(true);
    expect(result.notes.join("\n")).toMatch(/no skills found in skills/);
  });

  it("raises NOT_FOUND (exit 2) for a path that does not exist", async () => {
    const error = await validate({ paths: ["nope"], cwd: project }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SkillsError);
    expect((error as SkillsError).code).toBe("NOT_FOUND");
    expect((error as SkillsError).kind).toBe("input");
  });

  it("takes SKILL.md or manifest.yaml as their skill folder", async () => {
    await addSkill("broken/bad-semver");
    for (const file of ["skills/bad-semver/manifest.yaml", "skills/bad-semver/SKILL.md"]) {
      const result = await validate({ paths: [file], cwd: project });
      expect(result.skills.map((s) => s.dir)).toEqual(["skills/bad-semver"]);
    }
  });

  it("raises NOT_FOUND when a configured root is a file", async () => {
    await writeFile(join(project, "skills"), "oops");
    await expect(validate({ paths: [], cwd: project })).rejects.toThrow(
      /the skills root skills is a file, not a folder/,
    );
  });

  it("raises NOT_FOUND for a file given as a path", async () => {
    await writeFile(join(project, "file.txt"), "x");
    await expect(validate({ paths: ["file.txt"], cwd: project })).rejects.toThrow(/is a file, not a folder/);
  });

  it("searches nested folders but not node_modules, .git or dot-folders", async () => {
    await addSkill("valid/minimal-python", "group/minimal-python");
    await cp(join(FIXTURES, "broken/bad-range"), join(project, "skills/node_modules/bad-range"), { recursive: true });
    await cp(join(FIXTURES, "broken/bad-range"), join(project, "skills/.hidden/bad-range"), { recursive: true });
    const result = await validate({ paths: [], cwd: project });
    expect(result.skills.map((s) => s.dir)).toEqual(["skills/group/minimal-python"]);
    expect(result.ok).toBe(true);
  });

  it("uses roots from skills.config.json", async () => {
    await writeFile(join(project, "skills.config.json"), JSON.stringify({ roots: ["lib/skills"] }));
    await cp(join(FIXTURES, "valid/minimal-python"), join(project, "lib/skills/minimal-python"), { recursive: true });
    const result = await validate({ paths: [], cwd: project });
    expect(result.skills.map((s) => s.dir)).toEqual(["lib/skills/minimal-python"]);
  });

  it("validates the whole broken fixture folder without throwing", async () => {
    const result = await validate({ paths: [join(FIXTURES, "broken")], strict: true, cwd: project });
    expect(result.summary.skills).toBeGreaterThanOrEqual(40);
    expect(result.summary.valid).toBe(0);
  });
});
