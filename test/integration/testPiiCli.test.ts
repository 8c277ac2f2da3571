/**
 * The built `skills test` binary under PII (needs dist/: run after `npm run build`): a replay mismatch of a skill whose
 * program only saw tokens prints and writes the tokens — terminal, --json and the --junit file hold no real value.
 * The same project as testPii.test.ts (a real python3 sandbox, replayed cassettes with synthetic personal data).
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skillsAsync } from "../helpers/cli.js";
import { EMAIL, PHONE, writePiiSkill } from "../unit/testing/helpers/piiProject.js";

const skills = (args: string[], cwd: string) => skillsAsync(args, { cwd });

let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-test-pii-cli-"));
  await chmod(project, 0o755);
  await writeFile(join(project, "package.json"), "{}\n");
  await writePiiSkill(project, "greet-default", "default", "[EMAIL_1]");
  await writePiiSkill(project, "greet-strict", "strict", "[EMAIL_1]");
}, 60_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

function expectNoValues(text: string): void {
  expect(text).not.toContain(EMAIL);
  expect(text).not.toContain(PHONE);
  expect(text).not.toContain("grace.hopper");
}

describe("skills test (binary) under PII", () => {
  it("prints the mismatch diff and the unused calls with tokens, and writes them so to the JUnit file", async () => {
    const run = await skills(["test", "skills", "--junit", "reports/junit.xml"], project);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("call #2 to everything/echo: arguments differ from the recording");
    expect(run.stdout).toMatch(/- +"message": "\[EMAIL_1\] 1795482476\.0041184"/);
    expect(run.stdout).toMatch(/\+ +"message": "\[EMAIL_1\] \d+/);
    expect(run.stdout).toMatch(/#2 everything\/echo .*\[EMAIL_1\] call me at \[PHONE_\d+\]/);
    expect(run.stdout).toContain("0 passed, 4 failed");
    const junit = await readFile(join(project, "reports/junit.xml"), "utf8");
    expect(junit).toContain("arguments differ from the recording");
    expect(junit).toContain("[EMAIL_1]");
    for (const text of [run.stdout, run.stderr, junit]) expectNoValues(text);
  });

  it("--json holds the tokens, not the values", async () => {
    const run = await skills(["test", "skills", "--json"], project);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as { skills: { cases: { failures: { kind: string; diff?: string }[] }[] }[] };
    const kinds = result.skills.flatMap((s) => s.cases.flatMap((c) => c.failures.map((f) => f.kind))).sort();
    expect(kinds).toEqual(["replay", "replay", "unused", "unused"]);
    expect(run.stdout).toContain("[EMAIL_1]");
    expectNoValues(run.stdout);
    expectNoValues(run.stderr);
  });
});
