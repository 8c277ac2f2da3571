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
    await addSkill("broken/entry-no-run");
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
    const result = await validate({ paths: [join(FIXTURES, "broken")], strict: true, profile: "claude", cwd: project });
    expect(result.summary.skills).toBeGreaterThanOrEqual(40);
    expect(result.summary.valid).toBe(0);
  });

  it("fails a path the user named that holds no skill (exit 1), naming the file to add", async () => {
    await mkdir(join(project, "somewhere", "deeper"), { recursive: true });
    const result = await validate({ paths: ["somewhere"], cwd: project });
    expect(result.ok).toBe(false);
    expect(result.skills).toEqual([
      {
        dir: "somewhere",
        name: "somewhere",
        kind: "instruction",
        ok: false,
        errors: [
          expect.objectContaining({
            code: "SKILL_MD_MISSING",
            file: "somewhere/SKILL.md",
            line: 1,
            message: "no SKILL.md in somewhere or in any folder below it: it holds no skill",
          }),
        ],
        warnings: [],
      },
    ]);
  });

  it("fails a folder with only a lower-case skill.md, given by path or as the file", async () => {
    await mkdir(join(project, "notes"));
    await writeFile(join(project, "notes", "skill.md"), "---\nname: notes\ndescription: Notes.\n---\nBody\n");
    for (const path of ["notes", "notes/skill.md"]) {
      const result = await validate({ paths: [path], cwd: project });
      expect(result.ok).toBe(false);
      expect(result.skills.map((s) => s.errors.map((e) => [e.code, e.file, e.hint]))).toEqual([
        [["SKILL_MD_MISSING", "notes/SKILL.md", "rename it: mv notes/skill.md notes/SKILL.md"]],
      ]);
    }
  });

  it("validates an instruction skill (SKILL.md only) and says so", async () => {
    await addSkill("agent-skills/pdf-form-filling");
    const result = await validate({ paths: [], cwd: project, strict: true });
    expect(result.ok).toBe(true);
    expect(result.skills).toEqual([
      {
        dir: "skills/pdf-form-filling",
        name: "pdf-form-filling",
        kind: "instruction",
        ok: true,
        errors: [],
        warnings: [],
      },
    ]);
  });

  it("reports the SKILL.md name in every mode, valid or not", async () => {
    await addSkill("broken/name-mismatch");
    await addSkill("broken/folder-mismatch");
    await addSkill("broken/bad-range");
    for (const strict of [false, true]) {
      const result = await validate({ paths: [], cwd: project, strict });
      const names = Object.fromEntries(result.skills.map((s) => [s.dir, s.name]));
      expect(names).toEqual({
        "skills/bad-range": "bad-range",
        "skills/folder-mismatch": "another-name",
        "skills/name-mismatch": "name-mismatch",
      });
    }
  });

  it("adds a vendor profile's rules from --profile or skills.config.json", async () => {
    await addSkill("broken/name-reserved-claude");
    const plain = await validate({ paths: [], cwd: project, strict: true });
    expect(plain.ok).toBe(true);
    expect(plain.profile).toBeUndefined();
    const option = await validate({ paths: [], cwd: project, profile: "claude" });
    expect(option.profile).toBe("claude");
    expect(option.skills[0]!.errors.map((e) => e.code)).toEqual(["NAME_RESERVED"]);
    await writeFile(join(project, "skills.config.json"), JSON.stringify({ profile: "claude" }));
    const configured = await validate({ paths: [], cwd: project });
    expect(configured.skills[0]!.errors.map((e) => e.code)).toEqual(["NAME_RESERVED"]);
  });

  it("refuses an unknown profile in skills.config.json with its position", async () => {
    await writeFile(join(project, "skills.config.json"), '{\n  "profile": "claud"\n}\n');
    const error = (await validate({ paths: [], cwd: project }).catch((e: unknown) => e)) as SkillsError;
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.data).toMatchObject({ line: 2, column: 14, hint: 'did you mean "claude"?' });
  });
});
