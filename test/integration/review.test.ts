/**
 * `skills review`: real repositories with a main branch and a change on top (committed on a branch, or in the work
 * tree), real validation, sandboxed test replay and compat of the locks. What blocks, what does not, and what is not
 * even looked at (unchanged skills).
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { review } from "../../src/commands/review.js";
import type { ToolInfo } from "../../src/contracts/tools.js";
import { buildLock, lockTool, serializeLock } from "../../src/core/compat/lockfile.js";
import { reviewJson } from "../../src/core/review/report.js";
import { isSkillsError, type SkillsError } from "../../src/errors.js";
import { commitAll, git, makeRepo, removeRepo, tagRelease, writeSkill } from "../helpers/gitRepo.js";

let repo: string;

const units = {
  type: "object",
  properties: { n: { type: "integer" }, units: { type: "string" } },
  required: ["units"],
};
const unitsTest = { basic: { name: "basic", input: { units: "metric" }, expect: { subset: { value: "x" } } } };
const unitsCode = 'def run(input):\n    return {"value": "x"}\n';

beforeEach(async () => {
  repo = await makeRepo();
  await writeSkill(repo, "greet", { version: "1.0.0" });
  // an unchanged skill whose test fails: a review that re-tested it would block
  await writeSkill(repo, "stable", {
    version: "1.0.0",
    tests: { basic: { name: "basic", input: {}, expect: { subset: { value: "not what it returns" } } } },
  });
  commitAll(repo, "main");
  git(repo, "checkout", "-q", "-b", "change");
});

afterEach(async () => {
  await removeRepo(repo);
});

function skill(result: Awaited<ReturnType<typeof review>>, name: string) {
  const found = result.skills.find((s) => s.name === name);
  if (!found) throw new Error(`${name} not in the review: ${result.skills.map((s) => s.name).join(", ")}`);
  return found;
}

describe("the bump a change needs", () => {
  test("a required input with a patch bump is blocked and says major", async () => {
    await writeSkill(repo, "greet", { version: "1.0.1", input: units, tests: unitsTest, code: unitsCode });
    commitAll(repo, "greet: units is required");
    const result = await review({ cwd: repo, base: "main" });
    expect(result.skills.map((s) => s.name)).toEqual(["greet"]);
    const greet = skill(result, "greet");
    expect(greet).toMatchObject({
      change: "changed",
      from: "1.0.0",
      to: "1.0.1",
      requiredBump: "major",
      actualBump: "patch",
      status: "blocking",
    });
    const blocking = greet.findings.filter((f) => f.severity === "error");
    expect(blocking).toEqual([
      {
        code: "BUMP_TOO_SMALL",
        severity: "error",
        message: "the changes need a major bump (1.0.0 -> 2.0.0), but 1.0.0 -> 1.0.1 is a patch bump",
        file: "skills/greet/manifest.yaml",
        line: 2,
      },
    ]);
    expect(greet.findings).toContainEqual({
      code: "INTERFACE_CHANGE",
      severity: "info",
      message: "major: input: new required argument `units` [new-required-request-parameter]",
      file: "skills/greet/manifest.yaml",
      line: expect.any(Number),
    });
    expect(greet.tests).toEqual({ passed: 1, failed: 0 });
    expect(result.blocking).toBe(1);
    expect(result.unchanged).toBe(1);
  });

  test("the same change released as 2.0.0 passes", async () => {
    await writeSkill(repo, "greet", { version: "2.0.0", input: units, tests: unitsTest, code: unitsCode });
    commitAll(repo, "greet 2.0.0");
    const result = await review({ cwd: repo, base: "main" });
    expect(skill(result, "greet")).toMatchObject({ requiredBump: "major", actualBump: "major", status: "ok" });
    expect(result.blocking).toBe(0);
  });

  test("uncommitted changes in the work tree are reviewed too; the index is left alone", async () => {
    await writeFile(join(repo, "skills/greet/main.py"), 'def run(input):\n    return {"value": "1.0.0"}  # tidied\n');
    const index = await readFile(join(repo, ".git/index"));
    const result = await review({ cwd: repo, base: "main" });
    expect(skill(result, "greet")).toMatchObject({
      requiredBump: "patch",
      actualBump: "none",
      status: "blocking",
    });
    expect(skill(result, "greet").findings.map((f) => f.code)).toContain("BUMP_TOO_SMALL");
    expect(result.head).toBe("worktree");
    expect(await readFile(join(repo, ".git/index"))).toEqual(index);
  });

  test("only tests changed: no bump needed", async () => {
    await writeSkill(repo, "greet", {
      version: "1.0.0",
      tests: {
        basic: { name: "basic", input: {}, expect: { subset: { value: "1.0.0" } } },
        more: { name: "more", input: { n: 1 }, expect: { subset: { value: "1.0.0" } } },
      },
    });
    commitAll(repo, "more tests");
    const result = await review({ cwd: repo, base: "main" });
    expect(skill(result, "greet")).toMatchObject({ requiredBump: "none", actualBump: "none", status: "ok" });
    expect(skill(result, "greet").tests).toEqual({ passed: 2, failed: 0 });
  });

  test("a version that goes down blocks", async () => {
    await writeSkill(repo, "greet", { version: "0.9.0", tests: null });
    commitAll(repo, "down");
    const greet = skill(await review({ cwd: repo, base: "main" }), "greet");
    expect(greet.findings.filter((f) => f.severity === "error").map((f) => f.code)).toEqual(["VERSION_DECREASED"]);
  });
});

describe("what blocks", () => {
  test("a new invalid skill is blocked with the validator's code", async () => {
    await writeSkill(repo, "broken", { version: "one" });
    commitAll(repo, "broken");
    const result = await review({ cwd: repo, base: "main" });
    const broken = skill(result, "broken");
    expect(broken).toMatchObject({ change: "added", from: null, to: "one", status: "blocking", tests: null });
    expect(broken.findings[0]).toMatchObject({
      code: "VERSION_INVALID",
      severity: "error",
      file: "skills/broken/manifest.yaml",
      line: 2,
    });
    expect(result.blocking).toBe(1);
  });

  test("a failing test of a changed skill blocks; the unchanged skill's failing test is not run", async () => {
    await writeSkill(repo, "greet", {
      version: "1.0.1",
      code: 'def run(input):\n    return {"value": "changed"}\n',
    });
    commitAll(repo, "greet changes its answer");
    const result = await review({ cwd: repo, base: "main" });
    expect(result.skills.map((s) => s.name)).toEqual(["greet"]);
    const failed = skill(result, "greet").findings.filter((f) => f.code === "TEST_FAILED");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ severity: "error", file: "skills/greet/tests/basic.yaml", line: 1 });
    expect(failed[0]!.message).toMatch(/^basic: /);
  });

  test("a removed skill whose release is referenced blocks, unless --allow-breaking", async () => {
    git(repo, "checkout", "-q", "main");
    await writeSkill(repo, "old", { version: "1.2.0" });
    await mkdir(join(repo, "docs"));
    await writeFile(join(repo, "docs/usage.md"), "# Usage\n\nRun `skills run old@1.2.0` for the report.\n");
    commitAll(repo, "old");
    tagRelease(repo, "old", "1.2.0");
    git(repo, "checkout", "-q", "-B", "change");
    git(repo, "rm", "-rq", "skills/old");
    commitAll(repo, "remove old");
    const result = await review({ cwd: repo, base: "main" });
    const old = skill(result, "old");
    expect(old).toMatchObject({ change: "removed", from: "1.2.0", to: null, status: "blocking" });
    expect(old.findings[0]).toEqual({
      code: "REMOVED_SKILL_REFERENCED",
      severity: "error",
      message:
        "old is removed, but this line names old@1.2.0 (released: 1.2.0); keep the skill, or change the reference first",
      file: "docs/usage.md",
      line: 3,
    });
    const allowed = skill(await review({ cwd: repo, base: "main", allowBreaking: true }), "old");
    expect(allowed.status).toBe("ok");
    expect(allowed.findings[0]).toMatchObject({ code: "REMOVED_SKILL_REFERENCED", severity: "warning" });
  });

  test("a removed skill nobody names is a warning", async () => {
    git(repo, "rm", "-rq", "skills/greet");
    commitAll(repo, "remove greet");
    const greet = skill(await review({ cwd: repo, base: "main" }), "greet");
    expect(greet).toMatchObject({ change: "removed", status: "ok" });
    expect(greet.findings.map((f) => [f.code, f.severity])).toEqual([["SKILL_REMOVED", "info"]]);
  });
});

describe("renames, moves and --head", () => {
  test("a renamed skill needs a major bump", async () => {
    git(repo, "mv", "skills/greet", "skills/hello");
    await writeSkill(repo, "hello", { version: "1.0.0" });
    commitAll(repo, "greet is now hello");
    const result = await review({ cwd: repo, base: "main" });
    expect(result.skills.map((s) => [s.name, s.change])).toEqual([["hello", "renamed"]]);
    const hello = skill(result, "hello");
    expect(hello).toMatchObject({ previousName: "greet", from: "1.0.0", to: "1.0.0", requiredBump: "major" });
    expect(hello.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(["BUMP_TOO_SMALL", "SKILL_RENAMED", "INTERFACE_CHANGE"]),
    );
  });

  test("a folder moved under the same name is a change, not a rename", async () => {
    await mkdir(join(repo, "skills/group"));
    git(repo, "mv", "skills/greet", "skills/group/greet");
    commitAll(repo, "move");
    const result = await review({ cwd: repo, base: "main" });
    expect(result.skills.map((s) => [s.name, s.change, s.requiredBump])).toEqual([["greet", "changed", "none"]]);
  });

  test("--head reviews a commit without checking it out", async () => {
    await writeSkill(repo, "greet", { version: "1.0.1", input: units, tests: unitsTest, code: unitsCode });
    commitAll(repo, "greet: units");
    git(repo, "checkout", "-q", "main");
    const before = git(repo, "status", "--porcelain");
    const result = await review({ cwd: repo, base: "main", head: "change" });
    expect(result.head).toBe("change");
    expect(skill(result, "greet")).toMatchObject({ requiredBump: "major", status: "blocking" });
    expect(skill(result, "greet").tests).toEqual({ passed: 1, failed: 0 });
    // findings name the repository's files, not the cache
    expect(skill(result, "greet").findings.every((f) => f.file === null || f.file.startsWith("skills/greet/"))).toBe(
      true,
    );
    expect(git(repo, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("main");
    expect(git(repo, "status", "--porcelain")).toBe(before);
  });

  test("nothing changed: no skills, nothing blocks", async () => {
    const result = await review({ cwd: repo, base: "main" });
    expect(result.skills).toEqual([]);
    expect(result.blocking).toBe(0);
    expect(result.unchanged).toBe(2);
  });
});

describe("compat of the lock", () => {
  const forecast = (outputProperties: Record<string, unknown>): ToolInfo => ({
    server: "weather",
    serverInfo: { name: "weather", version: "1.0.0" },
    name: "get_forecast",
    description: "Forecast for a city",
    inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    outputSchema: { type: "object", properties: outputProperties },
  });
  const writeLock = (tool: ToolInfo) =>
    writeFile(
      join(repo, "skills/weather/tools.lock.json"),
      serializeLock(buildLock([["weather/get_forecast", lockTool(tool, "2025-06-18")]])),
    );

  test("a lock updated to a tool without the field the code reads blocks as incompatible", async () => {
    git(repo, "checkout", "-q", "main");
    await writeSkill(repo, "weather", {
      version: "1.0.0",
      tools: { "weather/get_forecast": "^1.0.0" },
      input: { type: "object", properties: { city: { type: "string" } } },
      output: { type: "object" },
      code: 'from servers.weather import get_forecast\n\n\ndef run(input):\n    r = get_forecast(city=input.get("city", "Oslo"))\n    return {"temp": r["temp"]}\n',
      tests: null,
    });
    await writeLock(forecast({ temp: { type: "number" }, wind: { type: "number" } }));
    commitAll(repo, "weather");
    git(repo, "checkout", "-q", "-B", "change");
    await writeSkill(repo, "weather", {
      version: "1.0.1",
      tools: { "weather/get_forecast": "^1.0.0" },
      input: { type: "object", properties: { city: { type: "string" } } },
      output: { type: "object" },
      code: 'from servers.weather import get_forecast\n\n\ndef run(input):\n    r = get_forecast(city=input.get("city", "Oslo"))\n    return {"temp": r["temp"]}\n',
      tests: null,
    });
    await writeLock(forecast({ wind: { type: "number" } }));
    commitAll(repo, "weather: relock");
    const weather = skill(await review({ cwd: repo, base: "main" }), "weather");
    expect(weather.compat).toBe("incompatible");
    const finding = weather.findings.find((f) => f.code === "COMPAT_INCOMPATIBLE");
    expect(finding).toMatchObject({ severity: "error", file: "skills/weather/manifest.yaml" });
    expect(finding!.message).toMatch(/^weather\/get_forecast: result field `temp` was removed/);
    expect(weather.findings).toContainEqual(expect.objectContaining({ code: "NO_TESTS", severity: "warning" }));
    const allowed = skill(await review({ cwd: repo, base: "main", allowBreaking: true }), "weather");
    expect(allowed.status).toBe("ok");
  });

  test("a lock updated to a tool that renamed the field the code reads needs a migration: it blocks", async () => {
    git(repo, "checkout", "-q", "main");
    const weather = (version: string) =>
      writeSkill(repo, "weather", {
        version,
        tools: { "weather/get_forecast": "^1.0.0" },
        input: { type: "object", properties: { city: { type: "string" } } },
        output: { type: "object" },
        code: 'from servers.weather import get_forecast\n\n\ndef run(input):\n    r = get_forecast(city=input.get("city", "Oslo"))\n    return {"temp": r["temp"]}\n',
        tests: null,
      });
    await weather("1.0.0");
    await writeLock(forecast({ temp: { type: "number" } }));
    commitAll(repo, "weather");
    git(repo, "checkout", "-q", "-B", "change");
    await weather("1.0.1");
    await writeLock(forecast({ temp_c: { type: "number" } }));
    commitAll(repo, "weather: relock");
    const result = await review({ cwd: repo, base: "main" });
    const reviewed = skill(result, "weather");
    expect(reviewed.compat).toBe("migration-needed");
    expect(reviewed.status).toBe("blocking");
    const finding = reviewed.findings.find((f) => f.code === "COMPAT_MIGRATION_NEEDED");
    expect(finding).toMatchObject({ severity: "error", file: "skills/weather/manifest.yaml" });
    expect(finding!.message).toContain("temp_c");
    expect(result.blocking).toBeGreaterThan(0);
    const allowed = skill(await review({ cwd: repo, base: "main", allowBreaking: true }), "weather");
    expect(allowed.findings.find((f) => f.code === "COMPAT_MIGRATION_NEEDED")).toMatchObject({ severity: "warning" });
    expect(allowed.status).toBe("ok");
  });
});

describe("bad refs and shallow clones", () => {
  async function failure(promise: Promise<unknown>): Promise<SkillsError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isSkillsError(error)) throw new Error(`expected a SkillsError, got ${String(error)}`);
    return error;
  }

  test("a base git does not know is a usage error", async () => {
    const error = await failure(review({ cwd: repo, base: "no-such-branch" }));
    expect(error.code).toBe("REF_NOT_FOUND");
    expect(error.kind).toBe("input");
    expect(error.message).toBe('--base: git knows no commit "no-such-branch"');
  });

  test("a shallow clone whose base is missing says to fetch with fetch-depth: 0", async () => {
    git(repo, "checkout", "-q", "main");
    for (const n of [1, 2, 3]) {
      await writeFile(join(repo, `file${n}.txt`), `${n}\n`);
      commitAll(repo, `commit ${n}`);
    }
    git(repo, "branch", "-f", "change");
    git(repo, "checkout", "-q", "change");
    await writeSkill(repo, "greet", { version: "1.0.1", code: 'def run(input):\n    return {"value": "1.0.1"}\n' });
    commitAll(repo, "change greet");
    const clones = await mkdtemp(join(tmpdir(), "skills-shallow-"));
    try {
      const clone = join(clones, "clone");
      execFileSync("git", ["clone", "-q", "--depth", "1", "--branch", "change", `file://${repo}`, clone]);
      // the base branch is fetched shallow too, as a CI checkout without fetch-depth: 0 has it
      execFileSync("git", ["fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main"], { cwd: clone });
      const error = await failure(review({ cwd: clone, base: "origin/main" }));
      expect(error.code).toBe("REF_NOT_FOUND");
      expect(error.message).toBe("the merge base of origin/main and HEAD is not in this shallow clone");
      expect(error.data.hint).toContain("fetch-depth: 0");
      const missing = await failure(review({ cwd: clone, base: "origin/other" }));
      expect(missing.message).toBe("--base origin/other is not in this shallow clone");
      expect(missing.data.hint).toContain("fetch-depth: 0");
    } finally {
      await removeRepo(clones);
    }
  });
});

describe("--json", () => {
  test("prints exactly the contract", async () => {
    await writeSkill(repo, "greet", {
      version: "1.1.0",
      input: { type: "object", properties: { n: { type: "integer" }, days: { type: "integer" } } },
    });
    commitAll(repo, "days");
    const json = reviewJson(await review({ cwd: repo, base: "main" }));
    expect(Object.keys(json)).toEqual(["base", "head", "skills", "blocking"]);
    expect(json).toMatchObject({ base: "main", head: "worktree", blocking: 0 });
    expect(Object.keys(json.skills[0]!)).toEqual([
      "name",
      "change",
      "from",
      "to",
      "requiredBump",
      "actualBump",
      "status",
      "findings",
    ]);
    expect(json.skills[0]).toMatchObject({
      name: "greet",
      from: "1.0.0",
      to: "1.1.0",
      requiredBump: "minor",
      actualBump: "minor",
    });
    for (const finding of json.skills[0]!.findings) {
      expect(Object.keys(finding)).toEqual(["code", "severity", "message", "file", "line"]);
    }
  });
});
