/**
 * loadProjectConfig: root detection, defaults, skills.config.json problems with file:line:col, and the environment
 * variables that move the run log and the cache. The test run sets those for every test (test/globalSetup.ts), so
 * these tests pass the environment they mean.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SkillsError } from "../../src/errors.js";
import { findProjectRoot, loadProjectConfig } from "../../src/store/config.js";

let base: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "skills-config-"));
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function configError(text: string): Promise<SkillsError> {
  await writeFile(join(base, "skills.config.json"), text);
  const error = await loadProjectConfig(base, {}).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SkillsError);
  return error as SkillsError;
}

describe("loadProjectConfig", () => {
  it("defaults without a config file", async () => {
    await writeFile(join(base, "package.json"), "{}");
    const config = await loadProjectConfig(base, {});
    expect(config).toEqual({
      root: base,
      roots: [join(base, "skills")],
      python: "/usr/bin/python3",
      requireIsolation: false,
      pii: "default",
      warmPool: 2,
      cacheDir: join(base, ".skills", "cache"),
      logRuns: true,
      runLog: { path: join(base, ".skills", "runs", "runs.jsonl"), maxFileBytes: 10 * 1024 * 1024, maxFiles: 20 },
    });
  });

  it("finds the nearest root marker above cwd", async () => {
    await mkdir(join(base, "a/b/c"), { recursive: true });
    await writeFile(join(base, "a/.mcp.json"), "{}");
    expect(await findProjectRoot(join(base, "a/b/c"))).toBe(join(base, "a"));
    await mkdir(join(base, "a/b/.git"));
    expect(await findProjectRoot(join(base, "a/b/c"))).toBe(join(base, "a/b"));
  });

  it("reads every key, resolving folders against the root", async () => {
    await writeFile(
      join(base, "skills.config.json"),
      JSON.stringify({
        roots: ["one", "two/three"],
        python: "/opt/py/bin/python3",
        requireIsolation: true,
        pii: "strict",
        warmPool: 0,
        cacheDir: "tmp/cache",
        logRuns: false,
        runLog: { path: "logs/runs.jsonl", maxFileBytes: 65536, maxFiles: 3 },
      }),
    );
    await mkdir(join(base, "sub"));
    const config = await loadProjectConfig(join(base, "sub"), {});
    expect(config.root).toBe(base);
    expect(config.roots).toEqual([join(base, "one"), join(base, "two/three")]);
    expect(config).toMatchObject({
      python: "/opt/py/bin/python3",
      requireIsolation: true,
      pii: "strict",
      warmPool: 0,
      cacheDir: join(base, "tmp/cache"),
      logRuns: false,
      runLog: { path: join(base, "logs/runs.jsonl"), maxFileBytes: 65536, maxFiles: 3 },
    });
    expect(config.configFile).toBe(join(base, "skills.config.json"));
  });

  it("reports JSON syntax errors with line and column", async () => {
    const error = await configError('{\n  "roots": ["a"],\n  "pii": "strict",\n}\n');
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.data).toMatchObject({ line: 4, column: 1 });
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.data.hint).toMatch(/trailing commas/);
  });

  it("reports an unknown key at its position, with a suggestion", async () => {
    const error = await configError('{\n  "roots": ["a"],\n  "warmpool": 3\n}\n');
    expect(error.data).toMatchObject({ line: 3, column: 3, pointer: "/warmpool" });
    expect(error.message).toMatch(/unknown key "warmpool"/);
    expect(error.data.hint).toMatch(/did you mean "warmPool"/);
  });

  it("reports a wrong type at the value", async () => {
    const error = await configError('{\n  "requireIsolation": "yes"\n}\n');
    expect(error.data).toMatchObject({ line: 2, column: 23, pointer: "/requireIsolation" });
    expect(error.message).toMatch(/must be true or false/);
  });

  it("reports a bad enum value and counts further problems", async () => {
    const error = await configError('{ "pii": "max", "warmPool": -1 }');
    expect(error.message).toMatch(/pii: must be one of off, default, strict/);
    expect(error.message).toMatch(/and 1 more problem/);
  });

  it("rejects a config that is not an object", async () => {
    const error = await configError("[1, 2]");
    expect(error.message).toMatch(/must contain a JSON object/);
  });
});

describe("SKILLS_RUN_LOG and SKILLS_CACHE_DIR", () => {
  it("move the run log and the cache, over the file's settings", async () => {
    await writeFile(join(base, "skills.config.json"), JSON.stringify({ runLog: { path: "logs/runs.jsonl" } }));
    const config = await loadProjectConfig(base, {
      SKILLS_RUN_LOG: join(base, "ci", "all-runs.jsonl"),
      SKILLS_CACHE_DIR: join(base, "ci-cache"),
    });
    expect(config).toMatchObject({
      logRuns: true,
      runLog: { path: join(base, "ci", "all-runs.jsonl") },
      cacheDir: join(base, "ci-cache"),
    });
  });

  it("SKILLS_RUN_LOG=off turns the log off, with or without a config file", async () => {
    expect((await loadProjectConfig(base, { SKILLS_RUN_LOG: "off" })).logRuns).toBe(false);
    await writeFile(join(base, "skills.config.json"), JSON.stringify({ logRuns: true }));
    expect((await loadProjectConfig(base, { SKILLS_RUN_LOG: "off" })).logRuns).toBe(false);
  });

  it("a path does not turn on a log the file turned off; empty values are unset", async () => {
    await writeFile(join(base, "skills.config.json"), JSON.stringify({ logRuns: false }));
    const config = await loadProjectConfig(base, { SKILLS_RUN_LOG: "/tmp/x/runs.jsonl", SKILLS_CACHE_DIR: " " });
    expect(config.logRuns).toBe(false);
    expect(config.cacheDir).toBe(join(base, ".skills", "cache"));
  });

  it("refuses a SKILLS_RUN_LOG that is neither off nor a .jsonl path", async () => {
    const error = await loadProjectConfig(base, { SKILLS_RUN_LOG: "/tmp/runs.txt" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SkillsError);
    expect(error).toMatchObject({
      code: "CONFIG_INVALID",
      message: 'SKILLS_RUN_LOG must be "off" or a path ending in .jsonl, got "/tmp/runs.txt"',
    });
  });
});
