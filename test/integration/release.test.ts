/**
 * `skills release`: real git repositories in temp folders, real validation, test replay (sandboxed runs) and compat.
 * Each refusal leaves no commit, no tag and the files as they were.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { release } from "../../src/commands/release.js";
import type { ToolInfo } from "../../src/contracts/tools.js";
import { buildLock, lockTool, serializeLock } from "../../src/core/compat/lockfile.js";
import { isSkillsError, type SkillsError } from "../../src/errors.js";
import { commitAll, git, makeRepo, removeRepo, tagRelease, writeSkill } from "../helpers/gitRepo.js";

let repo: string;
const manifest = () => readFile(join(repo, "skills/greet/manifest.yaml"), "utf8");
const tags = () => git(repo, "tag", "--list").trim().split("\n").filter(Boolean);
const head = () => git(repo, "rev-parse", "HEAD").trim();

const optionalDays = { type: "object", properties: { n: { type: "integer" }, days: { type: "integer" } } };

async function refused(promise: Promise<unknown>): Promise<SkillsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSkillsError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  expect(error.code).toBe("RELEASE_REFUSED");
  expect(error.kind).toBe("check");
  expect(error.message).toMatch(/\nnothing was committed or tagged$/);
  return error;
}

/** A refusal changes nothing: same HEAD, same tags, same manifest, same status. */
async function expectUntouched(run: () => Promise<SkillsError>): Promise<SkillsError> {
  const before = { head: head(), tags: tags(), manifest: await manifest(), status: git(repo, "status", "--porcelain") };
  const error = await run();
  expect({
    head: head(),
    tags: tags(),
    manifest: await manifest(),
    status: git(repo, "status", "--porcelain"),
  }).toEqual(before);
  return error;
}

beforeEach(async () => {
  repo = await makeRepo();
  await writeSkill(repo, "greet", { version: "1.0.0" });
  commitAll(repo, "greet");
});

afterEach(async () => {
  await removeRepo(repo);
});

describe("releasing", () => {
  test("the first release tags HEAD with the manifest's version; no commit", async () => {
    const before = head();
    const result = await release({ cwd: repo, skill: "greet" });
    expect(result).toMatchObject({
      name: "greet",
      version: "1.0.0",
      tag: "greet@1.0.0",
      commit: before,
      committed: false,
      previous: null,
      requiredBump: "none",
      tests: { passed: 1, failed: 0 },
      compat: "compatible",
    });
    expect(head()).toBe(before);
    expect(git(repo, "cat-file", "-t", "greet@1.0.0").trim()).toBe("tag"); // annotated
    expect(git(repo, "rev-parse", "greet@1.0.0^{commit}").trim()).toBe(before);
    expect(git(repo, "tag", "-l", "--format=%(contents)", "greet@1.0.0").trim()).toBe("greet 1.0.0\n\nFirst release.");
  });

  test("--bump writes the version, commits manifest.yaml alone, and tags that commit with the changes", async () => {
    await release({ cwd: repo, skill: "greet" });
    await writeSkill(repo, "greet", { version: "1.0.0", input: optionalDays });
    await writeFile(join(repo, "notes.txt"), "staged elsewhere\n");
    commitAll(repo, "greet: days");
    await writeFile(join(repo, "notes.txt"), "staged, not part of the release\n");
    git(repo, "add", "notes.txt");
    const before = head();
    const result = await release({ cwd: repo, skill: "skills/greet", bump: "minor" });
    expect(result).toMatchObject({
      version: "1.1.0",
      committed: true,
      previous: { version: "1.0.0", tag: "greet@1.0.0" },
      requiredBump: "minor",
      actualBump: "minor",
    });
    expect(result.changes.map((c) => c.rule)).toEqual(["request-parameter-added"]);
    expect(git(repo, "rev-parse", "HEAD~1").trim()).toBe(before);
    expect(git(repo, "log", "-1", "--format=%s").trim()).toBe("Release greet 1.1.0");
    expect(git(repo, "show", "--name-only", "--format=", "HEAD").trim()).toBe("skills/greet/manifest.yaml");
    expect(await manifest()).toContain("version: 1.1.0");
    expect(git(repo, "show", "HEAD:skills/greet/manifest.yaml")).toContain("version: 1.1.0");
    // what was staged elsewhere is still staged, not committed
    expect(git(repo, "diff", "--cached", "--name-only").trim()).toBe("notes.txt");
    expect(git(repo, "rev-parse", "greet@1.1.0^{commit}").trim()).toBe(head());
    expect(git(repo, "tag", "-l", "--format=%(contents)", "greet@1.1.0").trim()).toBe(
      "greet 1.1.0\n\nInterface changes since 1.0.0 (required bump: minor):\n- minor: input: new optional argument `days` [request-parameter-added]",
    );
  });

  test("a version raised by hand is released as it is", async () => {
    await release({ cwd: repo, skill: "greet" });
    await writeSkill(repo, "greet", {
      version: "2.0.0",
      input: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
      tests: { basic: { name: "basic", input: { n: 1 }, expect: { subset: { value: "2.0.0" } } } },
    });
    commitAll(repo, "greet 2.0.0");
    const result = await release({ cwd: repo, skill: "greet" });
    expect(result).toMatchObject({ version: "2.0.0", committed: false, requiredBump: "major", actualBump: "major" });
  });

  test("only tests changed: no bump needed, any version above the last will do", async () => {
    await release({ cwd: repo, skill: "greet" });
    await writeSkill(repo, "greet", {
      version: "1.0.0",
      tests: {
        basic: { name: "basic", input: {}, expect: { subset: { value: "1.0.0" } } },
        again: { name: "again", input: { n: 2 }, expect: { subset: { value: "1.0.0" } } },
      },
    });
    commitAll(repo, "more tests");
    const result = await release({ cwd: repo, skill: "greet", bump: "patch", dryRun: true });
    expect(result).toMatchObject({ requiredBump: "none", version: "1.0.1", dryRun: true, commit: null });
    expect(tags()).toEqual(["greet@1.0.0"]);
  });

  test("a skill without test cases is released with a warning", async () => {
    await writeSkill(repo, "greet", { version: "1.0.0", tests: null });
    commitAll(repo, "no tests");
    const result = await release({ cwd: repo, skill: "greet" });
    expect(result.tests).toEqual({ passed: 0, failed: 0 });
    expect(result.warnings).toEqual(["greet has no test cases: released untested (add tests/*.yaml)"]);
    expect(tags()).toEqual(["greet@1.0.0"]);
  });
});

describe("refusals: each with a clear line, nothing tagged or committed", () => {
  test("a version not greater than the last release (a downgrade)", async () => {
    await release({ cwd: repo, skill: "greet" });
    await writeSkill(repo, "greet", { version: "0.9.0" });
    commitAll(repo, "downgrade");
    const error = await expectUntouched(() => refused(release({ cwd: repo, skill: "greet" })));
    expect(error.message).toMatch(/^version 0\.9\.0 is not greater than the last release greet@1\.0\.0\n/);
    expect(error.data.hint).toContain("skills release greet --bump patch");
    expect(tags()).toEqual(["greet@1.0.0"]);
  });

  test("the same version again, with changes that need a minor bump, says which bump", async () => {
    await release({ cwd: repo, skill: "greet" });
    await writeSkill(repo, "greet", { version: "1.0.0", input: optionalDays });
    commitAll(repo, "days");
    const error = await expectUntouched(() => refused(release({ cwd: repo, skill: "greet" })));
    expect(error.message).toMatch(/^version 1\.0\.0 is not greater than the last release greet@1\.0\.0/);
    expect(error.data.hint).toBe("bump it: `skills release greet --bump minor` (the changes need a minor bump)");
  });

  test("a bump smaller than required names the changes that need more", async () => {
    await release({ cwd: repo, skill: "greet" });
    await writeSkill(repo, "greet", {
      version: "1.0.0",
      input: { type: "object", properties: { n: { type: "integer" }, units: { type: "string" } }, required: ["units"] },
      // the test case gives the new required input (validate checks test inputs against the schema)
      tests: { basic: { name: "basic", input: { units: "m" }, expect: { subset: { value: "1.0.0" } } } },
    });
    commitAll(repo, "units");
    const error = await expectUntouched(() => refused(release({ cwd: repo, skill: "greet", bump: "patch" })));
    expect(error.message).toBe(
      "1.0.0 -> 1.0.1 is a patch bump, but the changes need major:\n  major: input: new required argument `units`\nnothing was committed or tagged",
    );
    expect(error.data.hint).toBe("release it as 2.0.0: `skills release greet --bump major`");
  });

  test("uncommitted changes inside the skill folder", async () => {
    await writeFile(join(repo, "skills/greet/main.py"), 'def run(input):\n    return {"value": "dirty"}\n');
    await writeFile(join(repo, "skills/greet/extra.txt"), "untracked\n");
    const error = await expectUntouched(() => refused(release({ cwd: repo, skill: "greet" })));
    expect(error.message).toContain("skills/greet has uncommitted changes");
    expect(error.message).toContain(" M skills/greet/main.py");
    expect(error.message).toContain("?? skills/greet/extra.txt");
    // changes outside the folder do not count
    git(repo, "checkout", "--", "skills/greet/main.py");
    await writeFile(join(repo, "skills/greet/extra.txt"), "");
    git(repo, "clean", "-fq", "skills/greet");
    await writeFile(join(repo, "README.md"), "elsewhere\n");
    await expect(release({ cwd: repo, skill: "greet" })).resolves.toMatchObject({ tag: "greet@1.0.0" });
  });

  test("failing tests", async () => {
    await writeSkill(repo, "greet", {
      version: "1.0.0",
      tests: { basic: { name: "basic", input: {}, expect: { subset: { value: "something else" } } } },
    });
    commitAll(repo, "a wrong expectation");
    const error = await expectUntouched(() => refused(release({ cwd: repo, skill: "greet" })));
    expect(error.message).toMatch(
      /^1 of 1 test case of greet failed:\n {2}skills\/greet\/tests\/basic\.yaml:\d+ {2}basic: /,
    );
    expect(tags()).toEqual([]);
  });

  test("an invalid skill, with its problem codes", async () => {
    await writeSkill(repo, "greet", { version: "one" });
    commitAll(repo, "bad version");
    const error = await expectUntouched(() => refused(release({ cwd: repo, skill: "greet" })));
    expect(error.message).toMatch(
      /^skills\/greet is not valid \(1 problem\):\n {2}skills\/greet\/manifest\.yaml:\d+:\d+ {2}VERSION_INVALID /,
    );
  });

  test("a lock whose tool renamed the field the code reads: compat says migration-needed", async () => {
    const lock = (output: Record<string, unknown>) => {
      const tool: ToolInfo = {
        server: "weather",
        serverInfo: { name: "weather", version: "1.0.0" },
        name: "get_forecast",
        description: "Forecast for a city",
        inputSchema: { type: "object", properties: { city: { type: "string" } } },
        outputSchema: { type: "object", properties: output },
      };
      return writeFile(
        join(repo, "skills/weather/tools.lock.json"),
        serializeLock(buildLock([["weather/get_forecast", lockTool(tool, "2025-06-18")]])),
      );
    };
    const weather = (version: string) =>
      writeSkill(repo, "weather", {
        version,
        tools: { "weather/get_forecast": "^1.0.0" },
        input: { type: "object", properties: { city: { type: "string" } } },
        output: { type: "object" },
        code: 'from servers.weather import get_forecast\n\n\ndef run(input):\n    return {"temp": get_forecast(city="Oslo")["temp"]}\n',
        tests: null,
      });
    await weather("1.0.0");
    await lock({ temp: { type: "number" } });
    commitAll(repo, "weather");
    await release({ cwd: repo, skill: "weather" });
    await weather("1.0.1");
    await lock({ wind: { type: "number" } });
    commitAll(repo, "weather: relock");
    const error = await expectUntouched(() => refused(release({ cwd: repo, skill: "weather" })));
    expect(error.message).toBe(
      "compat of weather against weather@1.0.0: migration-needed\n" +
        "  weather/get_forecast: migration-needed — read `wind` instead of `temp` (main.py:5); `skills compat --fix` does it\n" +
        "nothing was committed or tagged",
    );
    expect(error.data.hint).toBe("`skills compat skills/weather --against weather@1.0.0` says what to change");
    expect(tags()).toEqual(["weather@1.0.0"]);
  });

  test("nothing changed since the last release", async () => {
    await release({ cwd: repo, skill: "greet" });
    const error = await expectUntouched(() => refused(release({ cwd: repo, skill: "greet", bump: "patch" })));
    expect(error.message).toMatch(/^nothing changed in skills\/greet since greet@1\.0\.0\n/);
  });

  test("a repository without commits", async () => {
    const fresh = await makeRepo();
    try {
      await writeSkill(fresh, "greet");
      const error = await refused(release({ cwd: fresh, skill: "greet" }));
      expect(error.message).toMatch(/^the repository has no commits yet\n/);
    } finally {
      await removeRepo(fresh);
    }
  });

  test("git that does not know who you are, before anything is written", async () => {
    await release({ cwd: repo, skill: "greet" });
    await writeSkill(repo, "greet", { version: "1.0.0", input: optionalDays });
    commitAll(repo, "days");
    git(repo, "config", "--unset", "user.name");
    git(repo, "config", "--unset", "user.email");
    git(repo, "config", "user.useConfigOnly", "true");
    const home = process.env.HOME;
    process.env.HOME = repo; // no ~/.gitconfig with a name either
    try {
      const error = await expectUntouched(() => refused(release({ cwd: repo, skill: "greet", bump: "minor" })));
      expect(error.message).toMatch(/^git does not know who you are/);
      expect(error.data.hint).toContain("git config user.name");
    } finally {
      process.env.HOME = home;
    }
  });

  test("outside a repository", async () => {
    const { mkdtemp } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const plain = await mkdtemp(join(tmpdir(), "skills-nogit-"));
    try {
      await writeFile(join(plain, "skills.config.json"), "{}");
      const error = await release({ cwd: plain, skill: "greet" }).catch((e: SkillsError) => e);
      expect((error as SkillsError).code).toBe("NOT_A_REPOSITORY");
      expect((error as SkillsError).message).toBe(`skills release needs a git repository, and ${plain} is not in one`);
    } finally {
      await removeRepo(plain);
    }
  });

  test("a tag that exists already", async () => {
    await release({ cwd: repo, skill: "greet" });
    await writeSkill(repo, "greet", {
      version: "1.0.1",
      code: 'def run(input):\n    return {"value": "1.0.1"}\n',
      tests: null,
    });
    commitAll(repo, "1.0.1");
    tagRelease(repo, "greet", "1.0.1");
    await writeSkill(repo, "greet", {
      version: "1.0.1",
      code: 'def run(input):\n    return {"value": "x"}\n',
      tests: null,
    });
    commitAll(repo, "after 1.0.1");
    // the highest release is 1.0.1: the same version is "not greater"
    const error = await expectUntouched(() => refused(release({ cwd: repo, skill: "greet" })));
    expect(error.message).toMatch(/^version 1\.0\.1 is not greater than the last release greet@1\.0\.1/);
  });
});
