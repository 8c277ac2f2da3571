/** `skills log` and `skills diff` over a real repository with releases, moves and uncommitted work. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { diff } from "../../src/commands/diff.js";
import { log } from "../../src/commands/log.js";
import { isSkillsError } from "../../src/errors.js";
import { commitAll, git, makeRepo, removeRepo, tagRelease, writeSkill } from "../helpers/gitRepo.js";

let repo: string;
const required = { type: "object", properties: { n: { type: "integer" } }, required: ["n"] };
const withWind = {
  type: "object",
  properties: { value: { type: "string" }, wind: { type: "number" } },
  required: ["value"],
};

beforeAll(async () => {
  repo = await makeRepo();
  await writeSkill(repo, "greet", { version: "1.0.0" });
  commitAll(repo, "greet 1.0.0");
  tagRelease(repo, "greet", "1.0.0");
  await writeSkill(repo, "greet", { version: "1.1.0", output: withWind });
  commitAll(repo, "greet: wind");
  tagRelease(repo, "greet", "1.1.0");
  await writeSkill(repo, "greet", { version: "2.0.0", output: withWind, input: required });
  commitAll(repo, "greet: n is required");
  tagRelease(repo, "greet", "2.0.0");
  await writeFile(join(repo, "skills/greet/main.py"), 'def run(input):\n    return {"value": "next"}\n');
  commitAll(repo, "greet: says next");
  await writeFile(join(repo, "skills/greet/notes.md"), "not committed\n");
});

afterAll(async () => {
  await removeRepo(repo);
});

describe("skills log", () => {
  test("lists the releases newest first, with dates and the interface changes between them", async () => {
    const result = await log({ cwd: repo, skill: "greet" });
    expect(result.name).toBe("greet");
    expect(result.dir).toBe("skills/greet");
    expect(result.releases.map((r) => [r.version, r.previous, r.requiredBump, r.actualBump])).toEqual([
      ["2.0.0", "1.1.0", "major", "major"],
      ["1.1.0", "1.0.0", "minor", "minor"],
      ["1.0.0", null, "none", "none"],
    ]);
    expect(result.releases[0]!.changes.map((c) => c.message)).toEqual(["input: argument `n` is now required"]);
    expect(result.releases[1]!.changes.map((c) => c.rule)).toEqual(["response-field-added"]);
    expect(result.releases[0]!.date).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(result.releases[0]!.commit).toBe(git(repo, "rev-parse", "greet@2.0.0^{commit}").trim());
  });

  test("shows the commits since the last release and what is not committed", async () => {
    const result = await log({ cwd: repo, skill: "greet" });
    expect(result.unreleased.since).toBe("greet@2.0.0");
    expect(result.unreleased.commits.map((c) => c.subject)).toEqual(["greet: says next"]);
    expect(result.unreleased.uncommitted).toEqual(["?? skills/greet/notes.md"]);
  });

  test("a skill never released: all its commits, and no releases", async () => {
    await writeSkill(repo, "other");
    commitAll(repo, "other", ["skills/other"]);
    const result = await log({ cwd: repo, skill: "other" });
    expect(result.releases).toEqual([]);
    expect(result.unreleased).toMatchObject({ since: null, commits: [{ subject: "other" }] });
  });

  test("a skill removed from the work tree still shows its releases", async () => {
    const gone = await makeRepo();
    try {
      await writeSkill(gone, "old", { version: "1.0.0" });
      commitAll(gone, "old");
      tagRelease(gone, "old", "1.0.0");
      git(gone, "rm", "-rq", "skills/old");
      commitAll(gone, "remove old");
      const result = await log({ cwd: gone, skill: "old" });
      expect(result.dir).toBeNull();
      expect(result.releases.map((r) => r.version)).toEqual(["1.0.0"]);
    } finally {
      await removeRepo(gone);
    }
  });

  test("an unknown skill is NOT_FOUND", async () => {
    const error = await log({ cwd: repo, skill: "nothing-here" }).catch((e: unknown) => e);
    expect(isSkillsError(error) && error.code).toBe("NOT_FOUND");
  });
});

describe("skills diff", () => {
  test("default: the last release .. the work tree (uncommitted files included)", async () => {
    const result = await diff({ cwd: repo, skill: "greet" });
    expect(result.from).toEqual({ label: "greet@2.0.0", version: "2.0.0", path: "skills/greet" });
    expect(result.to).toEqual({ label: "work tree", version: "2.0.0", path: "skills/greet" });
    expect(result.changes).toEqual([]);
    expect(result.files).toEqual(["main.py", "notes.md"]);
    expect(result).toMatchObject({ requiredBump: "patch", actualBump: "none" });
  });

  test("between two versions", async () => {
    const result = await diff({ cwd: repo, skill: "greet", range: "1.0.0..2.0.0" });
    expect(result.changes.map((c) => [c.rule, c.bump])).toEqual([
      ["request-parameter-became-required", "major"],
      ["response-field-added", "minor"],
    ]);
    expect(result.requiredBump).toBe("major");
    expect(result.actualBump).toBe("major");
  });

  test("versions, latest and git refs mix", async () => {
    const result = await diff({ cwd: repo, skill: "greet", range: "latest..HEAD" });
    expect(result.from.label).toBe("greet@2.0.0");
    expect(result.to).toMatchObject({ label: "HEAD", version: "2.0.0" });
    expect(result.files).toEqual(["main.py"]);
    const one = await diff({ cwd: repo, skill: "greet", range: "1.1.0" });
    expect(one.to.label).toBe("work tree");
    expect(one.requiredBump).toBe("major");
  });

  test("a side that is neither a release nor a ref lists the versions", async () => {
    const error = await diff({ cwd: repo, skill: "greet", range: "9.9.9.." }).catch((e: unknown) => e);
    expect(isSkillsError(error) && error.code).toBe("VERSION_NOT_FOUND");
    expect(isSkillsError(error) && error.data.hint).toBe(
      "released versions: 2.0.0, 1.1.0, 1.0.0; or a branch, tag or commit",
    );
  });

  test("a skill without releases says to name a ref", async () => {
    const error = await diff({ cwd: repo, skill: "other" }).catch((e: unknown) => e);
    expect(isSkillsError(error) && error.code).toBe("VERSION_NOT_FOUND");
    expect(isSkillsError(error) && error.message).toBe("other has no releases to compare the work tree with");
    const head = await diff({ cwd: repo, skill: "other", range: "HEAD.." });
    expect(head.changes).toEqual([]);
    expect(head.requiredBump).toBe("none");
  });
});
