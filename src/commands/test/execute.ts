/** Running a skill for a case exactly as `skills run` does; every failure becomes the run's outcome. */
import { join } from "node:path";
import type { PiiInterceptor } from "../../core/pii/index.js";
import type { LoadedSkill } from "../../contracts/skill.js";
import type { RunOutcome } from "../../core/testing/matchers.js";
import type { CaseResult } from "../../core/testing/results.js";
import { isSkillsError } from "../../errors.js";
import type { ToolBackend, ToolInfo } from "../../contracts/tools.js";
import { limitsFromManifest } from "../../sandbox/limits.js";
import type { RunLimits, RunResult } from "../../contracts/run.js";
import type { Execution } from "../shared/execution.js";
import { validateInput } from "../shared/input.js";

export interface Executed {
  outcome: RunOutcome;
  summary: NonNullable<CaseResult["run"]>;
  durationMs: number;
  logs: string;
  stderr: string;
  /**
   * The run's PII scrub (the interceptor's: values the program only saw as tokens, and detected PII, become tokens)
   * for what the test run prints or writes about the case: replay diffs and failure messages. Identity when PII is off
   * or the program never ran.
   */
  scrub: (text: string) => string;
  /** Why the case's record could not be written to the run log (at most one per test command). */
  logWarning?: string;
}

const asIs = (text: string) => text;

export function failedRun(code: string, message: string, durationMs: number): Executed {
  return {
    outcome: { ok: false, error: { code, message }, toolCalls: 0, durationMs },
    summary: { ok: false, error: { code, message }, toolCalls: 0, durationMs },
    durationMs,
    logs: "",
    stderr: "",
    scrub: asIs,
  };
}

/** The case input validated (defaults filled) against the manifest's input schema, or the failed run it makes. */
export function checkInput(
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
export async function execute(
  execution: Execution,
  skill: LoadedSkill,
  input: unknown,
  timeoutMs: number | undefined,
  tools: ToolInfo[],
  backend: ToolBackend | undefined,
  caseName?: string,
): Promise<Executed> {
  const started = performance.now();
  // PII in tool results is tokenized in the bridge as in every run (DESIGN.md, "PII"); a fresh vault per case.
  let interceptor: PiiInterceptor;
  try {
    interceptor = execution.interceptor(skill.manifest.privacy);
  } catch (error) {
    if (isSkillsError(error)) return failedRun(error.code, error.message, performance.now() - started);
    throw error;
  }
  const scrub = (text: string) => interceptor.scrub(text);
  const failed = (code: string, message: string) => ({
    ...failedRun(code, scrub(message), performance.now() - started),
    scrub,
  });
  const limits: Partial<RunLimits> = { ...limitsFromManifest(skill.manifest.limits) };
  if (timeoutMs !== undefined) limits.timeoutMs = timeoutMs;
  let run: RunResult;
  try {
    run = await execution.run({
      skill: { name: skill.name, version: skill.manifest.version },
      ...(caseName !== undefined ? { case: caseName } : {}),
      interceptor,
      language: skill.manifest.language,
      skillDir: skill.dir,
      entryFile: skill.manifest.entry,
      input,
      tools,
      ...(backend ? { backend } : {}),
      limits,
      ...(skill.manifest.output ? { outputSchema: skill.manifest.output } : {}),
    });
  } catch (error) {
    if (isSkillsError(error)) return failed(error.code, error.message);
    return failed("INTERNAL", error instanceof Error ? error.message : String(error));
  }
  const error = run.error ? { code: run.error.code, message: run.error.message } : undefined;
  return {
    ...(run.runLogWarning ? { logWarning: run.runLogWarning } : {}),
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
    scrub,
  };
}
