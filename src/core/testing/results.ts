/** The result objects of `skills test` (what --json prints) and their JUnit rendering. */
import type { Problem } from "../../contracts/problem.js";
import { type JunitSuite, renderJunit } from "./junit.js";
import type { Failure } from "./types.js";

export type CaseStatus = "passed" | "failed" | "error";
export type CaseMode = "replay" | "live" | "record";

export interface CaseRunSummary {
  ok: boolean;
  error?: { code: string; message: string };
  toolCalls: number;
  durationMs: number;
  isolation?: string;
  timedOut?: boolean;
  /** The program's stdout/stderr, kept for failed cases only. */
  logs?: string;
  stderr?: string;
}

export interface CaseResult {
  /** Case name; for a file that could not be read, the file's name. */
  name: string;
  file: string;
  line: number;
  status: CaseStatus;
  mode: CaseMode;
  durationMs: number;
  /** Expectations that failed (status "failed"). */
  failures: Failure[];
  /** Bad input: YAML, schema, cassette (status "error"). */
  problems: Problem[];
  warnings: Problem[];
  cassette?: string;
  /** Set when --record wrote the cassette. */
  recorded?: boolean;
  run?: CaseRunSummary;
}

export interface SkillTestResult {
  name: string;
  dir: string;
  status: CaseStatus;
  durationMs: number;
  passed: number;
  failed: number;
  cases: CaseResult[];
  /** About the skill rather than one case (e.g. CASSETTE_UNUSED). */
  warnings: Problem[];
}

export interface TestSummary {
  total: number;
  passed: number;
  /** Failed cases, including the ones that could not run because of bad input. */
  failed: number;
  /** Of the failed: bad input (exit 2). */
  errors: number;
  durationMs: number;
}

export interface TestResult {
  ok: boolean;
  skills: SkillTestResult[];
  summary: TestSummary;
  /** Where the JUnit XML went, when asked for. */
  junit?: string;
  /** --record: the skills' tools.lock.json, locked against the servers the cassettes were recorded from. */
  locked?: { skill: string; file: string; status: string; message?: string }[];
}

/** A skill is "error" when any case had bad input, else "failed" when any case failed. */
export function skillStatus(cases: CaseResult[]): CaseStatus {
  if (cases.some((c) => c.status === "error")) return "error";
  if (cases.some((c) => c.status === "failed")) return "failed";
  return "passed";
}

export function summarize(skills: SkillTestResult[], durationMs: number): TestSummary {
  const cases = skills.flatMap((s) => s.cases);
  const passed = cases.filter((c) => c.status === "passed").length;
  return {
    total: cases.length,
    passed,
    failed: cases.length - passed,
    errors: cases.filter((c) => c.status === "error").length,
    durationMs,
  };
}

/** `N passed, N failed`: the line CI reads. */
export function summaryLine(summary: TestSummary): string {
  return `${summary.passed} passed, ${summary.failed} failed`;
}

/** Failure text for reports: each failure's message and diff; each problem as file:line:col CODE message. */
export function describeCase(c: CaseResult): string {
  const parts: string[] = [];
  for (const f of c.failures) parts.push(f.diff ? `${f.message}\n${indent(f.diff)}` : f.message);
  for (const p of c.problems)
    parts.push(`${p.file}:${p.line}:${p.column}  ${p.code}  ${p.message}${p.hint ? `\n  hint: ${p.hint}` : ""}`);
  return parts.join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

export function toJunitXml(result: TestResult, timestamp?: string): string {
  const suites: JunitSuite[] = result.skills.map((skill) => ({
    name: skill.name,
    timeMs: skill.durationMs,
    ...(timestamp ? { timestamp } : {}),
    cases: skill.cases.map((c) => {
      const first =
        c.failures[0]?.message ?? (c.problems[0] ? `${c.problems[0].code}: ${c.problems[0].message}` : undefined);
      return {
        name: c.name,
        classname: skill.name,
        timeMs: c.durationMs,
        file: c.file,
        line: c.line,
        status: c.status,
        ...(first ? { message: first } : {}),
        ...(c.status !== "passed" ? { details: describeCase(c) } : {}),
        ...(c.status === "error" ? { type: c.problems[0]?.code ?? "Error" } : {}),
        ...(c.status === "failed" ? { type: c.failures[0]?.kind ?? "AssertionError" } : {}),
        ...(c.status !== "passed" && c.run?.logs ? { systemOut: c.run.logs } : {}),
      };
    }),
  }));
  return renderJunit(suites);
}
