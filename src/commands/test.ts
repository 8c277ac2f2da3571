/**
 * `skills test`: run every skill's tests/*.yaml cases in the sandbox, exactly as `skills run` runs a skill, with
 * tool calls answered from cassettes (default), by the live servers (`--live`, `live: true`), or by the live servers
 * while recording new cassettes (`--record`). Cases run in parallel; bad input fails its own case and nothing else.
 */
import { readdir, readFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { createPiiInterceptor } from "../core/pii/interceptor.js";
import { policyFromManifest } from "../core/pii/policy.js";
import type { Problem } from "../core/problem.js";
import type { LoadedSkill } from "../core/skill/types.js";
import { caseId, compileFilter } from "../core/testing/filter.js";
import { findDrift, lockFingerprints } from "../core/testing/fingerprintCheck.js";
import type { RunOutcome } from "../core/testing/matchers.js";
import { caseFailures, type ReplayFindings } from "../core/testing/outcome.js";
import { cassetteNameOf, parseTestFile } from "../core/testing/parseTestFile.js";
import {
  type CaseMode,
  type CaseResult,
  type SkillTestResult,
  type TestResult,
  skillStatus,
  summarize,
  toJunitXml,
} from "../core/testing/results.js";
import { CASSETTE_VERSION, type Cassette, type LocatedTestCase } from "../core/testing/types.js";
import { isSkillsError, SkillsError } from "../errors.js";
import {
  createRecordingBackend,
  createReplayBackend,
  readCassette,
  toolsFromCassette,
  writeCassette,
} from "../mcp/cassette/index.js";
import { loadMcpConfig } from "../mcp/config.js";
import type { ToolBackend, ToolInfo } from "../mcp/types.js";
import { createRunner } from "../sandbox/index.js";
import { limitsFromManifest } from "../sandbox/limits.js";
import type { Runner, RunLimits, RunResult } from "../sandbox/types.js";
import { loadProjectConfig, type ProjectConfig } from "../store/config.js";
import { findSkillDirs } from "../store/findSkills.js";
import { loadSkill } from "../store/loadSkill.js";
import { writeFileAtomic } from "../store/atomicWrite.js";
import { displayPath } from "./run.js";
import { validateInput } from "./runInput.js";
import { openToolset, type Toolset } from "./toolset.js";

export interface TestOptions {
  cwd: string;
  /** Skill folders or folders of skills; default: the project's roots (skills/). */
  paths?: string[];
  /** Run against the live servers and rewrite the cassettes. */
  record?: boolean;
  /** Run against the live servers without cassettes. */
  live?: boolean;
  /** Substring, glob (`*`, `?`) or /regex/ over `skill/case`. */
  filter?: string;
  /** Cases run at once (default: number of CPUs, at least 2). */
  concurrency?: number;
  /** Schema fingerprint drift fails the case instead of warning. */
  strict?: boolean;
  /** Write JUnit XML here (relative to cwd). */
  junit?: string;
  /** Path of the .mcp.json (live and record only). */
  configPath?: string;
  requireIsolation?: boolean;
  /** Called when every case of a skill has finished (the CLI prints a progress line). */
  onSkillDone?: (skill: SkillTestResult) => void;
  /** A runner to reuse (benchmarks); closed by the caller. Default: a runner with the config's warm pool. */
  runner?: Runner;
}

interface Job {
  skill: SkillPlan;
  located: LocatedTestCase;
}

interface SkillPlan {
  dir: string;
  name: string;
  skill?: LoadedSkill;
  /** Cases that could not even be read (bad YAML etc.), already final. */
  results: CaseResult[];
  pending: number;
  started: number;
  toolset?: Promise<Toolset>;
  expectedFingerprints?: { map: Map<string, string>; against: string };
}

const TEST_GLOB = /\.ya?ml$/;

export async function runTests(options: TestOptions): Promise<TestResult> {
  const started = performance.now();
  if (options.record && options.live) {
    throw new SkillsError("USAGE", "--record and --live cannot be used together", {
      hint: "--record already runs against the live servers (and writes cassettes); --live runs without cassettes",
    });
  }
  const config = await loadProjectConfig(options.cwd);
  const roots =
    options.paths && options.paths.length > 0 ? options.paths.map((p) => resolve(options.cwd, p)) : config.roots;
  const dirs = await findSkillDirs(roots);
  if (dirs.length === 0) {
    throw new SkillsError(
      "NOT_FOUND",
      `no skills found in ${roots.map((r) => displayPath(r, options.cwd)).join(", ")}`,
      {
        hint: "pass a skill folder or a folder of skills, or create one with `skills new <name>`",
      },
    );
  }
  const accept = compileFilter(options.filter);
  const plans: SkillPlan[] = [];
  const jobs: Job[] = [];
  for (const dir of dirs) {
    const plan = await planSkill(dir, options);
    for (const located of plan.cases) {
      if (!accept(caseId(plan.plan.name, located.case.name))) continue;
      jobs.push({ skill: plan.plan, located });
      plan.plan.pending++;
    }
    plan.plan.results = plan.plan.results.filter((r) => accept(caseId(plan.plan.name, r.name)));
    plans.push(plan.plan);
  }
  const secrets = options.record ? await configSecrets(options) : [];
  const runner =
    options.runner ??
    createRunner({
      pool: { python: config.warmPool, typescript: config.warmPool },
      python: config.python,
      requireIsolation: options.requireIsolation ?? config.requireIsolation,
    });
  const finished = new Set<SkillPlan>();
  const done = (plan: SkillPlan) => {
    if (plan.pending > 0 || finished.has(plan)) return;
    finished.add(plan);
    options.onSkillDone?.(finishSkill(plan));
  };
  try {
    for (const plan of plans) if (plan.pending === 0) done(plan);
    const width = Math.max(1, options.concurrency ?? Math.max(2, cpus().length));
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        job.skill.started ||= performance.now();
        const result = await runCase(job, options, config, runner, secrets);
        job.skill.results.push(result);
        job.skill.pending--;
        done(job.skill);
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, Math.max(1, jobs.length)) }, worker));
  } finally {
    if (!options.runner) await runner.close();
    await Promise.all(plans.map(async (plan) => (await plan.toolset?.catch(() => undefined))?.close()));
  }
  const skills = plans.map(finishSkill);
  const summary = summarize(skills, performance.now() - started);
  const result: TestResult = { ok: summary.failed === 0, skills, summary };
  if (options.junit) {
    const path = resolve(options.cwd, options.junit);
    await writeFileAtomic(path, toJunitXml(result, new Date().toISOString()));
    result.junit = displayPath(path, options.cwd);
  }
  return result;
}

function finishSkill(plan: SkillPlan): SkillTestResult {
  const cases = [...plan.results].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const passed = cases.filter((c) => c.status === "passed").length;
  const durationMs = cases.reduce((sum, c) => sum + c.durationMs, 0);
  return {
    name: plan.name,
    dir: plan.dir,
    status: skillStatus(cases),
    durationMs,
    passed,
    failed: cases.length - passed,
    cases,
  };
}

function errorCase(name: string, file: string, line: number, problems: Problem[], mode: CaseMode): CaseResult {
  return { name, file, line, status: "error", mode, durationMs: 0, failures: [], problems, warnings: [] };
}

function modeOf(located: LocatedTestCase, options: TestOptions): CaseMode {
  if (options.live || located.case.live) return "live";
  return options.record ? "record" : "replay";
}

/** Loads the skill and its test files. Problems become error cases of that skill; nothing here throws for bad input. */
async function planSkill(dir: string, options: TestOptions): Promise<{ plan: SkillPlan; cases: LocatedTestCase[] }> {
  const cwd = options.cwd;
  const plan: SkillPlan = { dir, name: dir.split("/").pop() ?? dir, results: [], pending: 0, started: 0 };
  const loaded = await loadSkill(dir);
  if (!loaded.ok) {
    const problems = loaded.errors.map((p) => ({ ...p, file: displayPath(p.file, cwd) }));
    plan.results.push(
      errorCase("(skill)", displayPath(join(dir, "manifest.yaml"), cwd), problems[0]?.line ?? 1, problems, "replay"),
    );
    return { plan, cases: [] };
  }
  plan.skill = loaded.value;
  plan.name = loaded.value.name;
  const testsDir = join(dir, "tests");
  let files: string[] = [];
  try {
    files = (await readdir(testsDir)).filter((f) => TEST_GLOB.test(f)).sort();
  } catch {
    files = [];
  }
  const cases: LocatedTestCase[] = [];
  const names = new Map<string, string>();
  for (const name of files) {
    const file = displayPath(join(testsDir, name), cwd);
    const text = await readFile(join(testsDir, name), "utf8").catch((error: Error) => error);
    if (text instanceof Error) {
      plan.results.push(
        errorCase(
          `tests/${name}`,
          file,
          1,
          [problemAt(file, "TEST_CASE_INVALID", `cannot read: ${text.message}`)],
          "replay",
        ),
      );
      continue;
    }
    const parsed = parseTestFile(text, file);
    if (!parsed.ok) {
      plan.results.push(errorCase(`tests/${name}`, file, parsed.errors[0]?.line ?? 1, parsed.errors, "replay"));
      continue;
    }
    for (const located of parsed.value) {
      const previous = names.get(located.case.name);
      if (previous) {
        plan.results.push(
          errorCase(
            located.case.name,
            file,
            located.line,
            [
              problemAt(
                file,
                "TEST_CASE_INVALID",
                `duplicate case name "${located.case.name}" (also in ${previous})`,
                located.line,
                "case names must be unique within a skill: they name the cassette",
              ),
            ],
            modeOf(located, options),
          ),
        );
        continue;
      }
      names.set(located.case.name, file);
      cases.push(located);
    }
  }
  plan.expectedFingerprints = await expectedFingerprints(dir, cases);
  return { plan, cases };
}

function problemAt(file: string, code: string, message: string, line = 1, hint?: string): Problem {
  return { severity: "error", code, message, file, line, column: 1, pointer: "", ...(hint ? { hint } : {}) };
}

/** Fingerprints the cassettes should have: the lock file's, else the newest cassette's. */
async function expectedFingerprints(
  dir: string,
  cases: LocatedTestCase[],
): Promise<{ map: Map<string, string>; against: string } | undefined> {
  const lockText = await readFile(join(dir, "tools.lock.json"), "utf8").catch(() => undefined);
  if (lockText !== undefined) {
    try {
      const map = lockFingerprints(JSON.parse(lockText));
      if (map.size > 0) return { map, against: "tools.lock.json" };
    } catch {
      // A broken lock file is `skills lock`'s / `skills validate`'s to report; here it only means no comparison.
    }
  }
  let newest: { cassette: Cassette; name: string } | undefined;
  for (const name of new Set(cases.map((c) => cassetteNameOf(c.case)))) {
    const read = await readCassette(join(dir, "cassettes", name));
    if (!read.ok) continue;
    if (!newest || (read.value.recordedAt ?? "") > (newest.cassette.recordedAt ?? ""))
      newest = { cassette: read.value, name };
  }
  if (!newest) return undefined;
  return {
    map: new Map(newest.cassette.tools.map((t) => [`${t.server}/${t.name}`, t.fingerprint])),
    against: `cassettes/${newest.name}`,
  };
}

/** Env and header values of the configured servers: they must never reach a cassette. */
async function configSecrets(options: TestOptions): Promise<string[]> {
  try {
    const config = await loadMcpConfig({
      cwd: options.cwd,
      ...(options.configPath ? { configPath: options.configPath } : {}),
    });
    return Object.values(config.servers).flatMap((server) =>
      server.type === "http" ? Object.values(server.headers) : Object.values(server.env),
    );
  } catch {
    return [];
  }
}

function liveToolset(plan: SkillPlan, options: TestOptions, config: ProjectConfig): Promise<Toolset> {
  plan.toolset ??= openToolset({
    cwd: options.cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    cacheDir: config.cacheDir,
    ranges: plan.skill?.manifest.tools ?? {},
  });
  return plan.toolset;
}

async function runCase(
  job: Job,
  options: TestOptions,
  config: ProjectConfig,
  runner: Runner,
  secrets: string[],
): Promise<CaseResult> {
  const { located } = job;
  const skill = job.skill.skill!;
  const testCase = located.case;
  const mode = modeOf(located, options);
  const cassetteFile = join(skill.dir, "cassettes", cassetteNameOf(testCase));
  const cassetteDisplay = displayPath(cassetteFile, options.cwd);
  const base: CaseResult = {
    name: testCase.name,
    file: located.file,
    line: located.line,
    status: "passed",
    mode,
    durationMs: 0,
    failures: [],
    problems: [],
    warnings: [],
  };
  const declared = Object.keys(skill.manifest.tools ?? {});
  let tools: ToolInfo[] = [];
  let backend: ToolBackend | undefined;
  let replay: ReturnType<typeof createReplayBackend> | undefined;
  let recorder: ReturnType<typeof createRecordingBackend> | undefined;
  const strictWarnings: Problem[] = [];
  // Input the manifest refuses never reaches the sandbox (as in `skills run`), so such a case needs no cassette.
  const input = checkInput(skill, testCase.input, located.file);
  if (!input.ok) return finishCase(base, testCase, input.executed, undefined, []);
  try {
    if (mode === "replay") {
      const needsCassette = declared.length > 0 || testCase.cassette !== undefined;
      let cassette: Cassette = { version: CASSETTE_VERSION, servers: {}, tools: [], calls: [] };
      if (needsCassette) {
        const read = await readCassette(cassetteFile, cassetteDisplay);
        if (!read.ok) return { ...base, status: "error", problems: read.errors, cassette: cassetteDisplay };
        cassette = read.value;
        base.warnings.push(...read.warnings);
        base.warnings.push(...driftWarnings(cassette, job.skill, cassetteDisplay));
        // A cassette without calls (the scaffold's) needs no schemas: a call would fail as an unexpected call anyway.
        const missing = declared.filter((key) => !cassette.tools.some((t) => `${t.server}/${t.name}` === key));
        if (missing.length > 0 && cassette.calls.length > 0) {
          base.warnings.push(
            problemAt(
              cassetteDisplay,
              "CASSETTE_STALE",
              `the cassette has no schema for ${missing.join(", ")} (declared in manifest.yaml)`,
              1,
              "re-record it with `skills test --record`",
            ),
          );
        }
        if (options.strict) strictWarnings.push(...base.warnings);
      }
      replay = createReplayBackend(cassette, {
        args: testCase.args ?? {},
        order: testCase.order ?? "strict",
        file: cassetteDisplay,
      });
      tools = toolsFromCassette(cassette);
      backend = replay;
      base.cassette = cassetteDisplay;
    } else if (declared.length > 0) {
      const toolset = await liveToolset(job.skill, options, config);
      tools = toolset.tools;
      backend = toolset.backend;
      if (mode === "record" && backend) {
        recorder = createRecordingBackend(backend, { secrets });
        backend = recorder;
      }
    }
  } catch (error) {
    // A server that does not start is the outside world failing (the case failed); anything else is bad input.
    if (isSkillsError(error) && (error.kind === "runtime" || error.kind === "check")) {
      return { ...base, status: "failed", failures: [{ kind: "run", message: `${error.code}: ${error.message}` }] };
    }
    return { ...base, status: "error", problems: [problemFromError(error, located.file, located.line)] };
  }

  const outcome = await execute(skill, input.value, testCase.timeout_ms, tools, backend, runner, options, config);
  if (recorder && (declared.length > 0 || testCase.cassette !== undefined)) {
    const cassette = recorder.cassette({ tools, skill: skill.name, case: testCase.name });
    await writeCassette(cassetteFile, cassette);
    base.cassette = cassetteDisplay;
    base.recorded = true;
    for (const flag of cassette.pii ?? []) {
      base.warnings.push({
        ...problemAt(
          cassetteDisplay,
          "CASSETTE_PII",
          `looks like personal data (${flag.type}) at ${flag.pointer}`,
          1,
          "check the cassette before committing it; use test data without real personal data",
        ),
        severity: "warning",
        pointer: flag.pointer,
      });
    }
  }
  return finishCase(base, testCase, outcome, replay?.report(), strictWarnings);
}

function finishCase(
  base: CaseResult,
  testCase: LocatedTestCase["case"],
  executed: Executed,
  findings: ReplayFindings | undefined,
  strictWarnings: Problem[],
): CaseResult {
  base.durationMs = executed.durationMs;
  base.run = executed.summary;
  const failures = caseFailures(testCase, executed.outcome, findings, strictWarnings);
  if (failures.length === 0) return base;
  // Logs help with a failure; a passing case keeps the result small.
  const run = {
    ...executed.summary,
    ...(executed.logs ? { logs: executed.logs } : {}),
    ...(executed.stderr ? { stderr: executed.stderr } : {}),
  };
  return { ...base, status: "failed", failures, run };
}

function driftWarnings(cassette: Cassette, plan: SkillPlan, file: string): Problem[] {
  const expected = plan.expectedFingerprints;
  if (!expected) return [];
  return findDrift(cassette, expected.map, expected.against).map((d) => ({
    ...problemAt(
      file,
      "FINGERPRINT_MISMATCH",
      `${d.tool} was recorded against another schema than ${d.against} (${short(d.recorded)} != ${short(d.expected)})`,
      1,
      "re-record with `skills test --record` (and `skills lock`) if the server changed on purpose",
    ),
    severity: "warning" as const,
  }));
}

function short(fingerprint: string): string {
  return fingerprint.replace(/^sha256:/, "").slice(0, 12);
}

function problemFromError(error: unknown, file: string, line: number): Problem {
  if (isSkillsError(error)) {
    return {
      severity: "error",
      code: error.code,
      message: error.message,
      file: typeof error.data.file === "string" ? error.data.file : file,
      line: typeof error.data.line === "number" ? error.data.line : line,
      column: typeof error.data.column === "number" ? error.data.column : 1,
      pointer: typeof error.data.pointer === "string" ? error.data.pointer : "",
      ...(error.data.hint ? { hint: error.data.hint } : {}),
    };
  }
  return problemAt(file, "INTERNAL", error instanceof Error ? error.message : String(error), line);
}

interface Executed {
  outcome: RunOutcome;
  summary: NonNullable<CaseResult["run"]>;
  durationMs: number;
  logs: string;
  stderr: string;
}

function failedRun(code: string, message: string, durationMs: number): Executed {
  return {
    outcome: { ok: false, error: { code, message }, toolCalls: 0, durationMs },
    summary: { ok: false, error: { code, message }, toolCalls: 0, durationMs },
    durationMs,
    logs: "",
    stderr: "",
  };
}

/** The case input validated (defaults filled) against the manifest's input schema, or the failed run it makes. */
function checkInput(
  skill: LoadedSkill,
  rawInput: unknown,
  file: string,
): { ok: true; value: unknown } | { ok: false; executed: Executed } {
  try {
    const checked = validateInput(
      skill.manifest.input,
      { value: rawInput ?? {}, source: file },
      join(skill.dir, "manifest.yaml"),
    );
    return { ok: true, value: checked.value };
  } catch (error) {
    if (isSkillsError(error)) return { ok: false, executed: failedRun(error.code, error.message, 0) };
    throw error;
  }
}

/** Runs the skill like `skills run` does; every failure becomes the run's outcome. */
async function execute(
  skill: LoadedSkill,
  input: unknown,
  timeoutMs: number | undefined,
  tools: ToolInfo[],
  backend: ToolBackend | undefined,
  runner: Runner,
  options: TestOptions,
  config: ProjectConfig,
): Promise<Executed> {
  const started = performance.now();
  const failed = (code: string, message: string) => failedRun(code, message, performance.now() - started);
  const limits: Partial<RunLimits> = { ...limitsFromManifest(skill.manifest.limits) };
  if (timeoutMs !== undefined) limits.timeoutMs = timeoutMs;
  let run: RunResult;
  try {
    // PII in tool results is tokenized in the bridge as in every run (DESIGN.md, "PII"); a fresh vault per case.
    const interceptor = createPiiInterceptor(policyFromManifest(skill.manifest.privacy, undefined, config.pii));
    run = await runner.run({
      interceptor,
      language: skill.manifest.language,
      skillDir: skill.dir,
      entryFile: skill.manifest.entry,
      input,
      tools,
      ...(backend ? { backend } : {}),
      limits,
      ...(skill.manifest.output ? { outputSchema: skill.manifest.output } : {}),
      requireIsolation: options.requireIsolation ?? config.requireIsolation,
    });
  } catch (error) {
    if (isSkillsError(error)) return failed(error.code, error.message);
    return failed("INTERNAL", error instanceof Error ? error.message : String(error));
  }
  const error = run.error ? { code: run.error.code, message: run.error.message } : undefined;
  return {
    outcome: {
      ok: run.ok,
      result: run.result,
      ...(error ? { error } : {}),
      toolCalls: run.toolCalls.length,
      durationMs: run.durationMs,
    },
    summary: {
      ok: run.ok,
      ...(error ? { error } : {}),
      toolCalls: run.toolCalls.length,
      durationMs: run.durationMs,
      isolation: run.isolation,
      timedOut: run.timedOut,
    },
    durationMs: run.durationMs,
    logs: run.logs,
    stderr: run.stderr,
  };
}
