/**
 * `skills test` from the command line: exit codes, the `N passed, N failed` line CI reads, --json, --junit, --filter,
 * usage errors; and `skills test skills` over the repo's example skills, offline (replay). A pass, a failure, a usage
 * error, --json, --help and the examples run the built binary (`spawned`); the other cases run the same CLI through
 * main() in this process, which loads what a start needs once instead of at every run.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skillsAsync, skillsMain } from "../helpers/cli.js";
import { validateXML } from "xmllint-wasm";

const REPO = resolve(import.meta.dirname, "../..");

const skills = (args: string[], cwd: string) => skillsMain(args, { cwd });
const spawned = (args: string[], cwd: string) => skillsAsync(args, { cwd });

let project: string;

async function write(path: string, text: string): Promise<void> {
  await mkdir(join(project, path, ".."), { recursive: true });
  await writeFile(join(project, path), text);
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-test-cli-"));
  await chmod(project, 0o755);
  await write("package.json", "{}\n");
  await write("skills/doubler/SKILL.md", "---\nname: doubler\ndescription: Doubles a number.\n---\n\nDoubles `n`.\n");
  await write(
    "skills/doubler/manifest.yaml",
    "name: doubler\nversion: 1.0.0\nlanguage: python\nentry: main.py\ninput: { type: object, properties: { n: { type: number } }, required: [n] }\n",
  );
  await write(
    "skills/doubler/main.py",
    "def run(input):\n    if input['n'] < 0:\n        raise ValueError('negative: %s' % input['n'])\n    return {'double': input['n'] * 2}\n",
  );
  await write(
    "skills/doubler/tests/cases.yaml",
    [
      "cases:",
      "  - name: two",
      "    input: { n: 2 }",
      "    expect: { equals: { double: 4 } }",
      "  - name: negative",
      "    input: { n: -1 }",
      "    expect: { error: { code: PROGRAM_ERROR, message: negative } }",
      "  - name: match",
      "    input: { n: 21 }",
      "    expect: { match: { '$.double': 42 } }",
      "",
    ].join("\n"),
  );
}, 30_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe("skills test (CLI)", () => {
  it("passes: a progress line per skill, and `N passed, N failed` as the last line; exit 0", async () => {
    const run = await spawned(["test", "skills"], project);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^✓ doubler {2}3 passed, 0 failed {2}\(\d+(\.\d)? m?s\)$/);
    expect(lines[lines.length - 1]).toBe("3 passed, 0 failed");
  });

  it("runs the project's roots when no skill is named", async () => {
    const run = await skills(["test"], project);
    expect(run.stdout.trimEnd().split("\n").pop()).toBe("3 passed, 0 failed");
  });

  it("fails with exit 1 and a diff when an expectation fails; writes JUnit XML", async () => {
    await write("skills/doubler/tests/wrong.yaml", "name: wrong\ninput: { n: 3 }\nexpect: { equals: { double: 7 } }\n");
    try {
      const run = await spawned(["test", "skills", "--junit", "reports/junit.xml"], project);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("FAIL doubler › wrong  skills/doubler/tests/wrong.yaml:1  [replay]");
      expect(run.stdout).toContain('-   "double": 7');
      expect(run.stdout).toContain('+   "double": 6');
      expect(run.stdout).toContain("JUnit report: reports/junit.xml");
      expect(run.stdout.trimEnd().split("\n").pop()).toBe("3 passed, 1 failed");
      const xml = await readFile(join(project, "reports/junit.xml"), "utf8");
      expect(xml).toMatch(/<testsuites name="skills test" tests="4" failures="1" errors="0"/);
      expect(xml).toContain('<testsuite name="doubler" id="0" tests="4" failures="1" errors="0" skipped="0"');
      expect(xml).toMatch(
        /<failure message="result differs" type="equals">at skills\/doubler\/tests\/wrong\.yaml:1\nresult differs\n/,
      );
      const xsd = await readFile(join(REPO, "test/fixtures/junit/junit-10.xsd"), "utf8");
      const checked = await validateXML({ xml: [{ fileName: "junit.xml", contents: xml }], schema: [xsd] });
      expect(checked.errors).toEqual([]);
      expect(existsSync(join(project, "reports"))).toBe(true);
    } finally {
      await rm(join(project, "skills/doubler/tests/wrong.yaml"));
    }
  });

  it("bad input: exit 2, the error points at file:line, the other cases still run", async () => {
    await write("skills/doubler/tests/broken.yaml", "name: broken\ninput: { n: 1 }\nexpect:\n  equal: 2\n");
    try {
      const run = await skills(["test", "skills"], project);
      expect(run.code).toBe(2);
      expect(run.stdout).toContain("ERROR doubler › tests/broken.yaml");
      expect(run.stdout).toContain(
        'skills/doubler/tests/broken.yaml:4:3  TEST_CASE_INVALID  unknown matcher "equal" in expect',
      );
      expect(run.stdout.trimEnd().split("\n").pop()).toBe("3 passed, 1 failed");
    } finally {
      await rm(join(project, "skills/doubler/tests/broken.yaml"));
    }
  });

  it("an invalid skill is one error case; the other skills still run", async () => {
    await write("skills/broken/SKILL.md", "---\nname: broken\ndescription: Broken.\n---\n\nBroken.\n");
    await write("skills/broken/manifest.yaml", "name: broken\nversion: one\nlanguage: python\nentry: main.py\n");
    await write("skills/broken/main.py", "def run(input):\n    return 1\n");
    try {
      const run = await skills(["test", "skills"], project);
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(/ERROR broken › \(skill\) {2}skills\/broken\/manifest\.yaml:2/);
      expect(run.stdout).toMatch(/skills\/broken\/manifest\.yaml:2:\d+ {2}\w+ {2}.*version/);
      expect(run.stdout.trimEnd().split("\n").pop()).toBe("3 passed, 1 failed");
    } finally {
      await rm(join(project, "skills/broken"), { recursive: true });
    }
  });

  it("--record with a server that cannot start fails those cases (exit 1) and says why", async () => {
    await write(".mcp.json", JSON.stringify({ mcpServers: { ghost: { command: join(project, "no-such-server") } } }));
    await write("skills/haunted/SKILL.md", "---\nname: haunted\ndescription: Uses a missing server.\n---\n\nx\n");
    await write(
      "skills/haunted/manifest.yaml",
      "name: haunted\nversion: 1.0.0\nlanguage: python\nentry: main.py\ntools:\n  ghost/boo: '*'\n",
    );
    await write("skills/haunted/main.py", "def run(input):\n    return 1\n");
    await write("skills/haunted/tests/basic.yaml", "name: basic\n");
    try {
      const run = await skills(["test", "skills/haunted", "--record"], project);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("FAIL haunted › basic");
      expect(run.stdout).toMatch(/SERVER_START_FAILED: server "ghost"/);
      expect(existsSync(join(project, "skills/haunted/cassettes"))).toBe(false);
    } finally {
      await rm(join(project, "skills/haunted"), { recursive: true });
      await rm(join(project, ".mcp.json"));
    }
  });

  it("replay takes the schemas a cassette does not carry from tools.lock.json", async () => {
    await write(
      "skills/locked/SKILL.md",
      "---\nname: locked\ndescription: Imports a tool it does not call.\n---\n\nx\n",
    );
    await write(
      "skills/locked/manifest.yaml",
      "name: locked\nversion: 1.0.0\nlanguage: python\nentry: main.py\ntools:\n  files/read_it: '*'\n",
    );
    await write(
      "skills/locked/main.py",
      "from servers.files import read_it\n\ndef run(input):\n    return {'ok': callable(read_it)}\n",
    );
    await write("skills/locked/tests/basic.yaml", "name: basic\nexpect: { equals: { ok: true } }\n");
    // Recorded (the program made no call): a never-recorded one would be refused as CASSETTE_EMPTY first.
    await write(
      "skills/locked/cassettes/basic.json",
      JSON.stringify({ version: 1, recordedAt: "2026-01-01T00:00:00.000Z", servers: {}, tools: [], calls: [] }),
    );
    try {
      const without = await skills(["test", "skills/locked"], project);
      expect(without.code).toBe(1);
      const lock = {
        tools: {
          "files/read_it": {
            fingerprint: "sha256:x",
            inputSchema: { type: "object", properties: { path: { type: "string" } } },
          },
        },
      };
      await write("skills/locked/tools.lock.json", JSON.stringify(lock));
      const withLock = await skills(["test", "skills/locked"], project);
      expect(withLock.stdout.trimEnd().split("\n").pop()).toBe("1 passed, 0 failed");
      expect(withLock.code).toBe(0);
    } finally {
      await rm(join(project, "skills/locked"), { recursive: true });
    }
  });

  it.each(["python", "typescript"])("a skill fresh from `skills new --lang %s` passes its test", async (lang) => {
    const created = await skills(["new", `fresh-${lang}`, "--lang", lang, "--dir", "scratch"], project);
    expect(created.code).toBe(0);
    try {
      const run = await skills(["test", `scratch/fresh-${lang}`], project);
      expect(run.stdout.trimEnd().split("\n").pop()).toBe("1 passed, 0 failed");
      expect(run.code).toBe(0);
    } finally {
      await rm(join(project, "scratch"), { recursive: true, force: true });
    }
  });

  it("--json prints the result object only", async () => {
    const run = await spawned(["test", "skills", "--json"], project);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.ok).toBe(true);
    expect(result.summary).toMatchObject({ total: 3, passed: 3, failed: 0, errors: 0 });
    expect(result.skills[0].cases.map((c: { name: string }) => c.name)).toEqual(["two", "negative", "match"]);
  });

  it("--filter selects cases by skill/case", async () => {
    const run = await skills(["test", "skills", "--filter", "doubler/neg*", "--json"], project);
    const result = JSON.parse(run.stdout);
    expect(result.skills[0].cases.map((c: { name: string }) => c.name)).toEqual(["negative"]);
  });

  it.each([
    [["test", "skills", "--record", "--live"], /--record and --live cannot be used together/],
    [["test", "skills", "--concurrency", "0"], /--concurrency must be a whole number from 1 to 256/],
    [["test", "nowhere"], /no skill named "nowhere" under skills\n {2}hint: known skills: doubler/],
    [["test", "skills", "--filter", "/(/"], /--filter \/\(\/ is not a valid regular expression/],
  ])("usage errors exit 2: %j", async (args, message) => {
    const run = await (args[1] === "nowhere" ? spawned : skills)(args, project);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("--help lists the options", async () => {
    const run = await spawned(["test", "--help"], project);
    for (const option of ["--record", "--live", "--filter", "--json", "--junit", "--concurrency", "--strict"]) {
      expect(run.stdout).toContain(option);
    }
  });
});

describe("skills test skills (the repo's examples, offline)", () => {
  it("replays every example skill's cases green", async () => {
    const run = await spawned(["test", "skills", "--json"], REPO);
    const result = JSON.parse(run.stdout);
    const failed = result.skills.flatMap((s: { cases: { status: string }[] }) =>
      s.cases.filter((c) => c.status !== "passed"),
    );
    expect(failed).toEqual([]);
    expect(run.code).toBe(0);
    expect(result.summary.total).toBeGreaterThanOrEqual(8);
    expect(result.skills.every((s: { cases: { mode: string }[] }) => s.cases.every((c) => c.mode === "replay"))).toBe(
      true,
    );
  }, 120_000);
});
