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
    expect(result.skills[0]).toMatchObject({ valid: true, warnings: 1 });
    expect(result.skills[2]!.description).toBe("Finds large files under a folder.");
  });

  it("judges validity strictly with strict: true", async () => {
    await cp(join(FIXTURES, "broken/folder-mismatch"), join(project, "skills/folder-mismatch"), { recursive: true });
    const result = await listSkills({ cwd: project, strict: true });
    expect(result.skills[0]).toMatchObject({ valid: false, errors: 1 });
  });

  it("lists an unreadable skill under its folder name", async () => {
    await cp(join(FIXTURES, "broken/missing-manifest"), join(project, "skills/missing-manifest"), { recursive: true });
    const result = await listSkills({ cwd: project });
    expect(result.skills[0]).toMatchObject({ name: "missing-manifest", valid: false, tools: [] });
    expect(result.skills[0]!.version).toBeUndefined();
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
