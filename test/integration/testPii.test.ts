/**
 * `skills test` under PII tokenization, through the real path: a temp project, skills whose cassettes hold real
 * (synthetic) personal data, the real sandbox (python3), replay. A replay mismatch or an unused recorded call is shown
 * with its arguments; what the test run prints (the terminal report, --json) and writes (JUnit) must hold tokens, not
 * the values the servers saw, unless the skill turned PII off.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStyle } from "../../src/cli/style.js";
import { renderTest } from "../../src/cli/render/test.js";
import type { CliContext } from "../../src/cli/context.js";
import { runTests } from "../../src/commands/test.js";
import type { CaseResult, TestResult } from "../../src/core/testing/results.js";
import { EMAIL, PHONE, writePiiSkill } from "../unit/testing/helpers/piiProject.js";

let project: string;

function caseOf(result: TestResult, skill: string, name: string): CaseResult {
  const found = result.skills.find((s) => s.name === skill)?.cases.find((c) => c.name === name);
  if (!found) throw new Error(`no case ${skill}/${name}`);
  return found;
}

function rendered(result: TestResult): string {
  const ctx = { json: false, style: createStyle(false), cwd: project } as unknown as CliContext;
  return renderTest(result, ctx);
}

let result: TestResult;
let junit: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-test-pii-"));
  // The sandbox runs programs as an unprivileged uid, which must be able to reach the skill folder.
  await chmod(project, 0o755);
  await writeFile(join(project, "package.json"), "{}\n");
  await writePiiSkill(project, "greet-default", "default", "[EMAIL_1]");
  await writePiiSkill(project, "greet-strict", "strict", "[EMAIL_1]");
  await writePiiSkill(project, "greet-off", "off", EMAIL);
  result = await runTests({ cwd: project, paths: ["skills"], junit: "reports/junit.xml" });
  junit = await readFile(join(project, "reports/junit.xml"), "utf8");
}, 120_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe("skills test: what a run prints and writes passes the PII scrub", () => {
  for (const skill of ["greet-default", "greet-strict"]) {
    it(`${skill}: a replay mismatch shows the arguments with tokens, in the report, --json and JUnit`, () => {
      const c = caseOf(result, skill, "mismatch");
      expect(c.status).toBe("failed");
      expect(c.run?.isolation).toBe("bwrap");
      expect(c.warnings).toEqual([]);
      expect(c.failures.map((f) => f.kind)).toEqual(["replay"]);
      const replay = c.failures.find((f) => f.kind === "replay");
      expect(replay?.message).toMatch(/call #2 to everything\/echo: arguments differ from the recording/);
      // Both sides: the program's call (restored by the bridge) and the recorded one, each with the token.
      expect(replay?.diff).toMatch(/\+ .*"message": "\[EMAIL_1\] \d+/);
      expect(replay?.diff).toMatch(/- .*"message": "\[EMAIL_1\] 1795482476\.0041184"/);
      expect(replay?.diff).not.toContain(EMAIL);
    });

    it(`${skill}: an unused recorded call is listed with tokens, also for values only a detector knows`, () => {
      const c = caseOf(result, skill, "unused");
      expect(c.status).toBe("failed");
      expect(c.failures.map((f) => f.kind)).toEqual(["unused"]);
      const unused = c.failures.find((f) => f.kind === "unused");
      expect(unused?.diff).toMatch(/#2 everything\/echo .*\[EMAIL_1\] call me at \[PHONE_\d+\]/);
      expect(unused?.diff).not.toContain(EMAIL);
      expect(unused?.diff).not.toContain(PHONE);
    });
  }

  it("the terminal report, the --json result and the JUnit file hold no value of a PII-on skill", () => {
    const onSkills = { ...result, skills: result.skills.filter((s) => s.name !== "greet-off") };
    const terminal = rendered(onSkills);
    expect(terminal).toContain("arguments differ from the recording");
    expect(terminal).toContain("[EMAIL_1]");
    const json = JSON.stringify(onSkills);
    const suites = junit.split("<testsuite ").filter((s) => !s.startsWith('name="greet-off"'));
    expect(suites.join("")).toContain("arguments differ from the recording");
    for (const text of [terminal, json, suites.join("")]) {
      expect(text).not.toContain(EMAIL);
      expect(text).not.toContain(PHONE);
      expect(text).not.toContain("grace.hopper");
    }
  });

  it("with PII off the program saw and sent the real values, and the diff shows them as sent", () => {
    const c = caseOf(result, "greet-off", "mismatch");
    const replay = c.failures.find((f) => f.kind === "replay");
    expect(replay?.diff).toMatch(/\+ .*"message": "grace\.hopper@example\.org \d+/);
    expect(caseOf(result, "greet-off", "unused").failures.find((f) => f.kind === "unused")?.diff).toContain(PHONE);
  });
});
