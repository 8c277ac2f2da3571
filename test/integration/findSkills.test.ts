/** findSkillDirs and resolveSkillRef over real folders. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SkillsError } from "../../src/errors.js";
import { defaultConfig, type ProjectConfig } from "../../src/store/config.js";
import { findSkillDirs, isSkillDir, resolveSkillRef } from "../../src/store/findSkills.js";

let base: string;
let config: ProjectConfig;

async function skill(path: string, file = "SKILL.md") {
  await mkdir(join(base, path), { recursive: true });
  await writeFile(join(base, path, file), "x");
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "skills-find-"));
  await skill("skills/alpha");
  await skill("skills/beta", "manifest.yaml");
  await skill("skills/group/gamma");
  await skill("skills/alpha/nested-not-searched");
  await skill("skills/node_modules/hidden-dep");
  await skill("skills/.cache/hidden-dot");
  await skill("skills/.git/hidden-git");
  await mkdir(join(base, "skills/empty-folder"));
  await skill("other/delta");
  config = defaultConfig(base);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("findSkillDirs", () => {
  it("finds skill folders recursively, skipping node_modules, .git and dot-folders, not below a skill", async () => {
    expect(await findSkillDirs([join(base, "skills")])).toEqual(
      ["alpha", "beta", "group/gamma"].map((p) => join(base, "skills", p)),
    );
  });

  it("takes a skill folder as itself and merges several paths", async () => {
    expect(await findSkillDirs([join(base, "skills/alpha"), join(base, "other"), join(base, "skills/alpha")])).toEqual([
      join(base, "other/delta"),
      join(base, "skills/alpha"),
    ]);
  });

  it("returns nothing for an empty folder", async () => {
    expect(await findSkillDirs([join(base, "skills/empty-folder")])).toEqual([]);
  });

  it("throws NOT_FOUND for a missing path or a file", async () => {
    await expect(findSkillDirs([join(base, "nope")])).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(findSkillDirs([join(base, "skills/alpha/SKILL.md")])).rejects.toThrow(/is a file, not a folder/);
  });

  it("recognises skill folders", async () => {
    expect(await isSkillDir(join(base, "skills/beta"))).toBe(true);
    expect(await isSkillDir(join(base, "skills/group"))).toBe(false);
  });
});

describe("resolveSkillRef", () => {
  it("resolves a name under the roots, also nested", async () => {
    expect(await resolveSkillRef("alpha", config)).toBe(join(base, "skills/alpha"));
    expect(await resolveSkillRef("gamma", config)).toBe(join(base, "skills/group/gamma"));
  });

  it("resolves a path", async () => {
    expect(await resolveSkillRef(join(base, "other/delta"), config)).toBe(join(base, "other/delta"));
  });

  it("suggests close names for a typo", async () => {
    const error = (await resolveSkillRef("alpah", config).catch((e: unknown) => e)) as SkillsError;
    expect(error).toBeInstanceOf(SkillsError);
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toMatch(/no skill named "alpah"/);
    expect(error.data.hint).toBe('did you mean "alpha"?');
  });

  it("lists known skills when nothing is close", async () => {
    const error = (await resolveSkillRef("zzzzzzzz", config).catch((e: unknown) => e)) as SkillsError;
    expect(error.data.hint).toMatch(/known skills: alpha, beta, gamma/);
  });

  it("says how to start when there are no skills", async () => {
    const error = (await resolveSkillRef("x", { ...config, roots: [join(base, "missing")] }).catch(
      (e: unknown) => e,
    )) as SkillsError;
    expect(error.data.hint).toMatch(/skills new/);
  });

  it("refuses a path that is not a skill folder", async () => {
    await expect(resolveSkillRef(join(base, "skills/group"), config)).rejects.toThrow(/is not a skill folder/);
    await expect(resolveSkillRef("./nowhere/x", config)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
