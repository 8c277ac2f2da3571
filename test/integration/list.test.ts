/** `skills list` over real folders: valid and invalid skills, notes for missing or empty roots. */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listSkills } from "../../src/commands/list.js";
import { newSkill } from "../../src/commands/new.js";

const FIXTURES = join(import.meta.dirname, "../fixtures");
let project: string;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-list-"));
  await writeFile(join(project, "package.json"), "{}\n");
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

describe("listSkills", () => {
  it("lists name, version, language, tools, description and validity", async () => {
    await newSkill({
      name: "zeta",
      lang: "typescript",
      tools: ["memory/search_nodes"],
      description: "Zeta does z.",
      cwd: project,
    });
    await cp(join(FIXTURES, "valid/full-manifest"), join(project, "skills/full-manifest"), { recursive: true });
    await cp(join(FIXTURES, "broken/bad-range"), join(project, "skills/bad-range"), { recursive: true });
    await cp(join(FIXTURES, "broken/folder-mismatch"), join(project, "skills/folder-mismatch"), { recursive: true });
    const result = await listSkills({ cwd: project });
    expect(result.roots).toEqual(["skills"]);
    expect(result.skills.map((s) => s.name)).toEqual(["another-name", "bad-range", "full-manifest", "zeta"]);
    expect(result.skills[3]).toEqual({
      name: "zeta",
      dir: "skills/zeta",
      kind: "runnable",
      version: "0.1.0",
      language: "typescript",
      tools: ["memory/search_nodes"],
      description: "Zeta does z.",
      valid: true,
      errors: 0,
      warnings: 0,
    });
    expect(result.skills[1]).toMatchObject({
      name: "bad-range",
      version: "1.0.0",
      language: "python",
      valid: false,
      errors: 1,
    });
    expect(result.skills[1]!.tools).toEqual(["filesystem/read_text_file", "filesystem/list_directory"]);
    // The SKILL.md name, even when the skill is invalid because of it.
    expect(result.skills[0]).toMatchObject({ dir: "skills/folder-mismatch", valid: false, errors: 1 });
    expect(result.skills[2]!.description).toBe("Finds large files under a folder.");
  });

  it("judges validity strictly with strict: true", async () => {
    await cp(join(FIXTURES, "broken/entry-no-run"), join(project, "skills/entry-no-run"), { recursive: true });
    expect((await listSkills({ cwd: project })).skills[0]).toMatchObject({ valid: true, warnings: 1 });
    const result = await listSkills({ cwd: project, strict: true });
    expect(result.skills[0]).toMatchObject({ valid: false, errors: 1 });
  });

  it("judges validity with a vendor profile", async () => {
    await cp(join(FIXTURES, "broken/name-reserved-claude"), join(project, "skills/name-reserved-claude"), {
      recursive: true,
    });
    expect((await listSkills({ cwd: project })).skills[0]).toMatchObject({ valid: true, errors: 0 });
    const result = await listSkills({ cwd: project, profile: "claude" });
    expect(result.skills[0]).toMatchObject({ valid: false, errors: 1 });
  });

  it("lists instruction skills (SKILL.md only) as such, with their description", async () => {
    for (const name of ["pdf-form-filling", "release-notes", "код-ревью"]) {
      await cp(join(FIXTURES, "agent-skills", name), join(project, "skills", name), { recursive: true });
    }
    const result = await listSkills({ cwd: project });
    expect(result.skills.map((s) => [s.name, s.kind, s.valid, s.version, s.language, s.tools])).toEqual([
      ["pdf-form-filling", "instruction", true, undefined, undefined, []],
      ["release-notes", "instruction", true, undefined, undefined, []],
      ["код-ревью", "instruction", true, undefined, undefined, []],
    ]);
    expect(result.skills[1]!.description).toMatch(/^Drafts release notes/);
  });

  it("lists a skill without SKILL.md under its manifest's name", async () => {
    await cp(join(FIXTURES, "broken/missing-skill-md"), join(project, "skills/x"), { recursive: true });
    const result = await listSkills({ cwd: project });
    expect(result.skills[0]).toMatchObject({ name: "missing-skill-md", kind: "runnable", valid: false });
    expect(result.skills[0]!.version).toBe("1.0.0");
  });

  it("explains a root that is a file", async () => {
    await writeFile(join(project, "skills"), "oops");
    expect((await listSkills({ cwd: project })).notes[0]).toMatch(/skills is a file, not a folder/);
  });

  it("explains a missing or empty root", async () => {
    expect((await listSkills({ cwd: project })).notes[0]).toMatch(/skills does not exist yet/);
    await mkdir(join(project, "skills"));
    expect((await listSkills({ cwd: project })).notes[0]).toMatch(/no skills found in skills/);
  });
});
