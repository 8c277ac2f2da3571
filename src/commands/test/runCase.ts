/** Running one case: choose the backend (cassette, live, recorder), run, record, and judge the outcome. */
import { join } from "node:path";
import type { Problem } from "../../contracts/problem.js";
import { findDrift } from "../../core/testing/fingerprintCheck.js";
import { caseFailures, type ReplayFindings } from "../../core/testing/outcome.js";
import { cassetteNameOf } from "../../core/testing/parseTestFile.js";
import { maskPiiInPointer } from "../../core/testing/redact.js";
import type { CaseResult } from "../../core/testing/results.js";
import { CASSETTE_VERSION, type Cassette, type Failure, type LocatedTestCase } from "../../core/testing/types.js";
import { isSkillsError } from "../../errors.js";
import {
  createRecordingBackend,
  createReplayBackend,
  readCassette,
  toolsFromCassette,
  writeCassette,
} from "../../mcp/cassette/index.js";
import type { ToolBackend, ToolInfo } from "../../contracts/tools.js";
import { emptyCassetteProblem, neverRecorded, replaysCassette } from "../shared/emptyCassettes.js";
import { maskValue } from "../shared/maskValue.js";
import { displayPath } from "../../core/paths.js";
import type { Execution } from "../shared/execution.js";
import { openToolset, type Toolset } from "../shared/toolset.js";
import { checkInput, type Executed, execute } from "./execute.js";
import { type Job, modeOf, problemAt, type SkillPlan, type TestOptions } from "./types.js";

function liveToolset(plan: SkillPlan, options: TestOptions, execution: Execution): Promise<Toolset> {
  plan.toolset ??= openToolset({
    cwd: options.cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    cacheDir: execution.config.cacheDir,
    ranges: plan.skill?.manifest.tools ?? {},
  });
  return plan.toolset;
}

export async function runCase(
  job: Job,
  options: TestOptions,
  execution: Execution,
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
  let extra: ToolInfo[] = [];
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
        // The scaffold's placeholder, while the code calls tools: the case would pass without testing any of them.
        if (neverRecorded(cassette) && replaysCassette(located) && (await job.skill.callsTools?.())) {
          const problem = emptyCassettePlaceholder(located, cassetteDisplay, job.skill.name);
          return { ...base, status: "error", problems: [problem], cassette: cassetteDisplay };
        }
        base.warnings.push(...read.warnings);
        base.warnings.push(...driftWarnings(cassette, job.skill, cassetteDisplay));
        // Declared tools the cassette does not carry take their schemas from tools.lock.json. A cassette without
        // calls (the scaffold's) needs no schemas: a call would fail as an unexpected call anyway.
        const carried = new Set(cassette.tools.map((t) => `${t.server}/${t.name}`));
        extra = job.skill.lockTools.filter(
          (t) => declared.includes(`${t.server}/${t.name}`) && !carried.has(`${t.server}/${t.name}`),
        );
        for (const t of extra) carried.add(`${t.server}/${t.name}`);
        const missing = declared.filter((key) => !carried.has(key));
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
        workspace: execution.config.root,
      });
      tools = [...toolsFromCassette(cassette), ...extra];
      backend = replay;
      base.cassette = cassetteDisplay;
    } else if (declared.length > 0) {
      const toolset = await liveToolset(job.skill, options, execution);
      tools = toolset.tools;
      backend = toolset.backend;
      if (mode === "record" && backend) {
        recorder = createRecordingBackend(backend, { secrets, workspace: execution.config.root });
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

  const outcome = await execute(execution, skill, input.value, testCase.timeout_ms, tools, backend, testCase.name);
  if (outcome.logWarning) {
    base.warnings.push({
      ...problemAt(located.file, "RUN_LOG", outcome.logWarning, located.line),
      severity: "warning",
    });
  }
  if (recorder && (declared.length > 0 || testCase.cassette !== undefined)) {
    const cassette = recorder.cassette({ tools, skill: skill.name, case: testCase.name });
    try {
      await writeCassette(cassetteFile, cassette);
    } catch (error) {
      const problem = problemAt(
        cassetteDisplay,
        "CASSETTE_INVALID",
        `cannot write the cassette: ${(error as Error).message}`,
        1,
        "check that the skill's cassettes/ folder is writable",
      );
      return { ...base, status: "error", problems: [problem], cassette: cassetteDisplay };
    }
    base.cassette = cassetteDisplay;
    base.recorded = true;
    base.warnings.push(...cassettePiiWarnings(cassette, cassetteDisplay));
  }
  return finishCase(base, testCase, outcome, replay?.report(), strictWarnings);
}

/**
 * One warning per personal-looking value the recorder flagged. The output goes to terminals and CI logs, so a key
 * that holds personal data (`{"ada@example.com": ...}`) is shown masked, as `skills pii scan` shows values.
 */
export function cassettePiiWarnings(cassette: Cassette, file: string): Problem[] {
  return (cassette.pii ?? []).map((flag) => {
    const pointer = maskPiiInPointer(flag.pointer, maskValue);
    return {
      ...problemAt(
        file,
        "CASSETTE_PII",
        `looks like personal data (${flag.type}) at ${pointer}`,
        1,
        "check the cassette before committing it (it is written at mode 0600: only you can read it); use test data without real personal data",
      ),
      severity: "warning" as const,
      pointer,
    };
  });
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
  // Replay diffs show the arguments after the bridge restored tokens (what the servers would see) and the cassette's
  // recorded values: everything the test run prints or writes passes the run's PII scrub first.
  const failures = caseFailures(testCase, executed.outcome, findings, strictWarnings).map((f) =>
    scrubFailure(f, executed.scrub),
  );
  if (failures.length === 0) return base;
  // Logs help with a failure; a passing case keeps the result small.
  const run = {
    ...executed.summary,
    ...(executed.logs ? { logs: executed.logs } : {}),
    ...(executed.stderr ? { stderr: executed.stderr } : {}),
  };
  return { ...base, status: "failed", failures, run };
}

function scrubFailure(failure: Failure, scrub: (text: string) => string): Failure {
  return {
    ...failure,
    message: scrub(failure.message),
    ...(failure.diff !== undefined ? { diff: scrub(failure.diff) } : {}),
  };
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

function emptyCassettePlaceholder(located: LocatedTestCase, cassette: string, skill: string) {
  return emptyCassetteProblem(located, cassette, false, skill, true);
}
