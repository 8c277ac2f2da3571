/**
 * `name@version`: a release (tag `<name>@<version>`) unpacked from git into the cache and run or tested as released,
 * with the work tree and the index untouched. Real git repositories, real sandboxed runs.
 */
import { createHash } from "node:crypto";
import { chmodSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runSkill } from "../../src/commands/run.js";
import { resolveSkillVersion } from "../../src/commands/shared/skillVersion.js";
import { runTests } from "../../src/commands/test.js";
import { isSkillsError, type SkillsError } from "../../src/errors.js";
import { commitAll, git, makeRepo, removeRepo, tagRelease, writeSkill } from "../helpers/gitRepo.js";

let repo: string;
const hashOf = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

async function failure(promise: Promise<unknown>): Promise<SkillsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSkillsError(error)) throw new Error(`expected a SkillsError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  repo = await makeRepo();
  await writeSkill(repo, "greet", { version: "1.0.0" });
  commitAll(repo, "greet 1.0.0");
  tagRelease(repo, "greet", "1.0.0");
  await writeSkill(repo, "greet", { version: "1.1.0" });
  commitAll(repo, "greet 1.1.0");
  tagRelease(repo, "greet", "1.1.0");
  await writeSkill(repo, "greet", { version: "2.0.0" });
  commitAll(repo, "greet 2.0.0");
  tagRelease(repo, "greet", "2.0.0");
  // a pre-release and a tag that is not a release
  git(repo, "tag", "greet@3.0.0-rc.1");
  git(repo, "tag", "greet@next");
  // the work tree moves on, uncommitted
  await writeSkill(repo, "greet", { version: "2.1.0" });
});

afterAll(async () => {
  await removeRepo(repo);
});

describe("skills run name@version", () => {
  test("runs the old code after 2.0.0 is released, and leaves the work tree and the index as they were", async () => {
    const index = join(repo, ".git/index");
    // (git status refreshes the index's stat cache: it runs before the index is fingerprinted)
    const status = git(repo, "status", "--porcelain");
    const before = { index: hashOf(index), main: await readFile(join(repo, "skills/greet/main.py"), "utf8") };
    const result = await runSkill({ ref: "greet@1.0.0", cwd: repo });
    expect(result.ok).toBe(true);
    expect(result.run.result).toEqual({ value: "1.0.0" });
    expect(result.skill).toMatchObject({ name: "greet", version: "1.0.0", release: { tag: "greet@1.0.0" } });
    expect(hashOf(index)).toBe(before.index);
    expect(await readFile(join(repo, "skills/greet/main.py"), "utf8")).toBe(before.main);
    expect(git(repo, "status", "--porcelain")).toBe(status);
    // the work tree's own version is what a plain name runs
    expect((await runSkill({ ref: "greet", cwd: repo })).run.result).toEqual({ value: "2.1.0" });
  });

  test("the run log records the released version, in the project's own log", async () => {
    const moved = process.env.SKILLS_RUN_LOG;
    delete process.env.SKILLS_RUN_LOG; // the project's .skills/runs/runs.jsonl, not the test run's shared log
    try {
      await runSkill({ ref: "greet@1.1.0", cwd: repo });
      await runSkill({ ref: "greet", cwd: repo });
    } finally {
      process.env.SKILLS_RUN_LOG = moved;
    }
    const lines = (await readFile(join(repo, ".skills/runs/runs.jsonl"), "utf8")).trim().split("\n");
    const records = lines.map((line) => JSON.parse(line) as { kind: string; skill?: string; version?: string });
    expect(records.map((r) => [r.kind, r.skill, r.version])).toEqual([
      ["run", "greet", "1.1.0"],
      ["run", "greet", "2.1.0"],
    ]);
  });

  test("@latest is the highest release (not a pre-release), and a range picks its highest match", async () => {
    expect((await runSkill({ ref: "greet@latest", cwd: repo })).run.result).toEqual({ value: "2.0.0" });
    expect((await runSkill({ ref: "greet@^1", cwd: repo })).run.result).toEqual({ value: "1.1.0" });
    expect((await resolveSkillVersion({ cwd: repo, name: "greet", version: "3.0.0-rc.1" })).version).toBe("3.0.0-rc.1");
  });

  test("is unpacked once per tree: the same release resolves to the same folder", async () => {
    // the project's own cache folder: the test run moves caches aside with SKILLS_CACHE_DIR (test/globalSetup.ts)
    const moved = process.env.SKILLS_CACHE_DIR;
    delete process.env.SKILLS_CACHE_DIR;
    try {
      const first = await resolveSkillVersion({ cwd: repo, name: "greet", version: "1.0.0" });
      const again = await resolveSkillVersion({ cwd: repo, name: "greet", version: "1.0.0" });
      expect(again.dir).toBe(first.dir);
      expect(first.dir).toBe(join(repo, ".skills/cache/versions", first.tree, "greet"));
      expect(first.path).toBe("skills/greet");
      const unpacked = await readdir(join(repo, ".skills/cache/versions", first.tree));
      expect(unpacked).toEqual(["greet"]); // no temp folder left behind
      expect(await readFile(join(first.dir, "main.py"), "utf8")).toContain('"1.0.0"');
    } finally {
      process.env.SKILLS_CACHE_DIR = moved;
    }
  });

  test("unpacks with the modes git keeps, never writable by group or others (root's tar keeps the archive's)", async () => {
    const dir = await writeSkill(repo, "modes", { version: "1.0.0", files: { "bin/tool.sh": "#!/bin/sh\necho hi\n" } });
    chmodSync(join(dir, "bin/tool.sh"), 0o755);
    git(repo, "add", "skills/modes");
    git(repo, "commit", "-q", "-m", "modes 1.0.0", "--", "skills/modes");
    tagRelease(repo, "modes", "1.0.0");
    const release = await resolveSkillVersion({ cwd: repo, name: "modes", version: "1.0.0" });
    const modes: Record<string, number> = {};
    const walk = (at: string, rel: string): void => {
      for (const entry of readdirSync(at, { withFileTypes: true })) {
        const path = join(at, entry.name);
        modes[`${rel}${entry.name}`] = lstatSync(path).mode & 0o7777;
        if (entry.isDirectory()) walk(path, `${rel}${entry.name}/`);
      }
    };
    walk(release.dir, "");
    expect(Object.keys(modes).sort()).toEqual(
      ["SKILL.md", "bin", "bin/tool.sh", "main.py", "manifest.yaml", "tests", "tests/basic.yaml"].sort(),
    );
    for (const [path, mode] of Object.entries(modes)) expect([path, mode & 0o022]).toEqual([path, 0]);
    expect(modes["bin/tool.sh"]).toBe(0o755);
    expect(modes["main.py"]).toBe(0o644);
  });

  test("SKILLS_CACHE_DIR moves the unpacked releases with the rest of the cache", async () => {
    const cache = process.env.SKILLS_CACHE_DIR;
    expect(cache).toBeTruthy();
    const release = await resolveSkillVersion({ cwd: repo, name: "greet", version: "1.1.0" });
    expect(release.dir).toBe(join(cache as string, "versions", release.tree, "greet"));
    expect(await readFile(join(release.dir, "main.py"), "utf8")).toContain('"1.1.0"');
  });

  test("a cached folder that is not the release byte for byte is refused, never run", async () => {
    // A branch can commit a folder into .skills/cache under a released tree's id (git add -f); CI would run it as
    // the release. Here: the real one unpacked, then changed; and one planted before the first unpack.
    const release = await resolveSkillVersion({ cwd: repo, name: "greet", version: "1.1.0" });
    const main = join(release.dir, "main.py");
    const original = await readFile(main, "utf8");
    await writeFile(main, 'def run(input):\n    return {"value": "forged"}\n');
    const changed = await failure(runSkill({ ref: "greet@1.1.0", cwd: repo }));
    expect(changed.code).toBe("RELEASE_CACHE_MISMATCH");
    expect(changed.message).toContain(`is not what git has for tree ${release.tree.slice(0, 12)}`);
    expect(changed.data.hint).toContain(`rm -rf '${release.dir}'`);
    // an extra file is a difference too
    await writeFile(main, original);
    await writeFile(join(release.dir, "extra.py"), "x = 1\n");
    expect((await failure(runSkill({ ref: "greet@1.1.0", cwd: repo }))).code).toBe("RELEASE_CACHE_MISMATCH");
    await rm(join(release.dir, "extra.py"));
    const ran = await runSkill({ ref: "greet@1.1.0", cwd: repo });
    expect(ran.run.result).toEqual({ value: "1.1.0" });

    // planted: a folder at the id of a tree that was never unpacked here
    const tree = git(repo, "rev-parse", "greet@2.0.0^{commit}:skills/greet").trim();
    const planted = join(process.env.SKILLS_CACHE_DIR as string, "versions", tree, "greet");
    await mkdir(planted, { recursive: true });
    for (const file of ["SKILL.md", "manifest.yaml", "tests/basic.yaml"]) {
      await mkdir(join(planted, file, ".."), { recursive: true });
      await writeFile(join(planted, file), await readFile(join(repo, "skills/greet", file)));
    }
    await writeFile(join(planted, "main.py"), 'def run(input):\n    return {"value": "2.0.0"}\n# planted\n');
    expect((await failure(runSkill({ ref: "greet@2.0.0", cwd: repo }))).code).toBe("RELEASE_CACHE_MISMATCH");
    await rm(planted, { recursive: true });
    expect((await runSkill({ ref: "greet@2.0.0", cwd: repo })).run.result).toEqual({ value: "2.0.0" });
  });

  test("a version that does not exist lists the ones that do", async () => {
    const error = await failure(runSkill({ ref: "greet@1.5.0", cwd: repo }));
    expect(error.code).toBe("VERSION_NOT_FOUND");
    expect(error.message).toBe("greet@1.5.0 is not a release of greet");
    expect(error.data.hint).toBe("released versions: 3.0.0-rc.1, 2.0.0, 1.1.0, 1.0.0 (or @latest)");
    expect(error.kind).toBe("input");
  });

  test("a skill without releases says how to make one", async () => {
    await writeSkill(repo, "fresh");
    const error = await failure(runSkill({ ref: "fresh@1.0.0", cwd: repo }));
    expect(error.code).toBe("VERSION_NOT_FOUND");
    expect(error.message).toBe("fresh has no releases (no tag fresh@<version>)");
    expect(error.data.hint).toContain("skills release fresh");
  });

  test("a name that is not a skill name is refused before it reaches git", async () => {
    const error = await failure(runSkill({ ref: "Bad_Name@1.0.0", cwd: repo }));
    expect(error.code).toBe("NAME_INVALID");
  });

  test("outside a git repository, name@version says it needs one", async () => {
    const { mkdtemp } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const plain = await mkdtemp(join(tmpdir(), "skills-nogit-"));
    try {
      await writeFile(join(plain, "skills.config.json"), "{}");
      const error = await failure(runSkill({ ref: "greet@1.0.0", cwd: plain }));
      expect(error.code).toBe("NOT_A_REPOSITORY");
      expect(error.message).toContain("needs a git repository");
    } finally {
      await removeRepo(plain);
    }
  });

  test("a skill that moved since its release is found where the tag has it", async () => {
    const moved = await makeRepo();
    try {
      await writeSkill(moved, "walker", { version: "1.0.0" });
      commitAll(moved, "walker");
      tagRelease(moved, "walker", "1.0.0");
      git(moved, "mv", "skills/walker", "skills/walker-tmp");
      await import("node:fs/promises").then((fs) => fs.mkdir(join(moved, "skills/group")));
      git(moved, "mv", "skills/walker-tmp", "skills/group/walker");
      commitAll(moved, "move walker");
      const version = await resolveSkillVersion({ cwd: moved, name: "walker", version: "1.0.0" });
      expect(version.path).toBe("skills/walker");
      expect((await runSkill({ ref: "walker@1.0.0", cwd: moved })).run.result).toEqual({ value: "1.0.0" });
    } finally {
      await removeRepo(moved);
    }
  });
});

describe("skills test name@version", () => {
  test("replays the released tests against the released code", async () => {
    const result = await runTests({ cwd: repo, paths: ["greet@1.1.0"] });
    expect(result.ok).toBe(true);
    expect(result.skills).toHaveLength(1);
    expect(result.skills[0]!.cases.map((c) => [c.name, c.status])).toEqual([["basic", "passed"]]);
  });

  test("refuses --record: a release's cassettes stay as released", async () => {
    const error = await failure(runTests({ cwd: repo, paths: ["greet@1.1.0"], record: true }));
    expect(error.code).toBe("USAGE");
    expect(error.message).toContain("never re-recorded");
  });
});
