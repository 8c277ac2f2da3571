/**
 * `skills test`: run every skill's tests/*.yaml cases in the sandbox, exactly as `skills run` runs a skill, with
 * tool calls answered from cassettes (default), by the live servers (`--live`, `live: true`), or by the live servers
 * while recording new cassettes (`--record`). Cases run in parallel; bad input fails its own case and nothing else.
 */
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { caseId, compileFilter } from "../core/testing/filter.js";
import { type SkillTestResult, skillStatus, summarize, type TestResult, toJunitXml } from "../core/testing/results.js";
import { SkillsError } from "../errors.js";
import { writeFileAtomic } from "../store/atomicWrite.js";
import { loadProjectConfig } from "../store/config.js";
import { displayPath } from "../core/paths.js";
import { openExecution } from "./shared/execution.js";
import { selectSkills } from "./shared/selectSkills.js";
import { versionedSkillDir } from "./shared/versionedRef.js";
import { configSecrets, planSkill } from "./test/plan.js";
import { runCase } from "./test/runCase.js";
import type { Job, SkillPlan, TestOptions } from "./test/types.js";

export type { TestOptions } from "./test/types.js";

export async function runTests(options: TestOptions): Promise<TestResult> {
  const started = performance.now();
  if (options.record && options.live) {
    throw new SkillsError("USAGE", "--record and --live cannot be used together", {
      hint: "--record already runs against the live servers (and writes cassettes); --live runs without cassettes",
    });
  }
  // Skills by folder, folder of skills, or name (as `skills run` takes them), or releases (`name@version`); none:
  // the configured roots.
  const { releases, rest } = await splitReleases(options.paths ?? [], options);
  const selected =
    releases.length > 0 && rest.length === 0
      ? { config: await loadProjectConfig(options.cwd), dirs: [] }
      : await selectSkills(options.cwd, rest);
  const config = selected.config;
  const dirs = [...selected.dirs, ...releases];
  const accept = compileFilter(options.filter);
  const plans: SkillPlan[] = [];
  const jobs: Job[] = [];
  for (const dir of dirs) {
    const plan = await planSkill(dir, options, { python: config.python, cacheDir: config.cacheDir });
    for (const located of plan.cases) {
      if (!accept(caseId(plan.plan.name, located.case.name))) continue;
      jobs.push({ skill: plan.plan, located });
      plan.plan.pending++;
    }
    plan.plan.results = plan.plan.results.filter((r) => accept(caseId(plan.plan.name, r.name)));
    const selected = plan.plan.pending + plan.plan.results.length;
    // With --filter, skills none of whose cases match are left out; without it, a skill without tests is worth a word.
    if (selected === 0 && options.filter) continue;
    if (selected === 0 && !plan.plan.instruction) {
      plan.plan.warnings.push({
        severity: "warning",
        code: "NO_TESTS",
        message: `${plan.plan.name} has no test cases`,
        file: displayPath(join(dir, "tests"), options.cwd),
        line: 1,
        column: 1,
        pointer: "",
        hint: "add tests/basic.yaml with `name`, `input` and `expect` (see docs/testing-skills.md)",
      });
    }
    plans.push(plan.plan);
  }
  const secrets = options.record ? await configSecrets(options) : [];
  const width = Math.max(1, options.concurrency ?? Math.max(4, cpus().length));
  const execution = await openExecution({
    kind: "test",
    cwd: options.cwd,
    config,
    pool: warmPool(jobs, config.warmPool, width),
    ...(options.runner ? { runner: options.runner } : {}),
    ...(options.requireIsolation !== undefined ? { requireIsolation: options.requireIsolation } : {}),
  });
  const finished = new Set<SkillPlan>();
  const done = (plan: SkillPlan) => {
    if (plan.pending > 0 || finished.has(plan)) return;
    finished.add(plan);
    options.onSkillDone?.(finishSkill(plan));
  };
  try {
    for (const plan of plans) if (plan.pending === 0) done(plan);
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        job.skill.started ||= performance.now();
        const result = await runCase(job, options, execution, secrets);
        job.skill.results.push(result);
        job.skill.pending--;
        done(job.skill);
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, Math.max(1, jobs.length)) }, worker));
  } finally {
    await execution.close();
    await Promise.all(plans.map(async (plan) => (await plan.toolset?.catch(() => undefined))?.close()));
  }
  const skills = plans.map(finishSkill);
  const summary = summarize(skills, performance.now() - started);
  const result: TestResult = { ok: summary.failed === 0, skills, summary };
  if (options.record) {
    const recorded = plans.filter((plan) => plan.results.some((r) => r.recorded)).map((plan) => plan.dir);
    if (recorded.length > 0) result.locked = await lockRecorded(recorded, options);
  }
  if (options.junit) {
    const path = resolve(options.cwd, options.junit);
    try {
      await writeFileAtomic(path, toJunitXml(result, new Date().toISOString()));
    } catch (error) {
      throw new SkillsError(
        "INVALID_ARGUMENT",
        `cannot write the JUnit report ${options.junit}: ${(error as Error).message}`,
        {
          file: options.junit,
          hint: "pass a path in a writable folder (missing folders are created)",
        },
      );
    }
    result.junit = displayPath(path, options.cwd);
  }
  return result;
}

/** Paths as given, and `name@version` as the released folder (its cassettes are never re-recorded). */
/** Splits `name@version` arguments (unpacked releases) from folders and names. */
async function splitReleases(paths: string[], options: TestOptions): Promise<{ releases: string[]; rest: string[] }> {
  const releases: string[] = [];
  const rest: string[] = [];
  for (const path of paths) {
    const release = await versionedSkillDir(options.cwd, path);
    if (release && options.record) {
      throw new SkillsError("USAGE", `${path} is a release: its cassettes are as released and are never re-recorded`, {
        hint: `record the work tree's ${release.name} (\`skills test ${release.name} --record\`), or drop --record to replay ${release.tag}`,
      });
    }
    if (release) releases.push(release.dir);
    else rest.push(path);
  }
  return { releases, rest };
}

/** What the cassettes were recorded against is what the skill now depends on: lock it (from the fresh catalog). */
async function lockRecorded(dirs: string[], options: TestOptions): Promise<NonNullable<TestResult["locked"]>> {
  const { lockSkillFolders } = await import("./shared/lock.js");
  try {
    const locked = await lockSkillFolders({
      cwd: options.cwd,
      paths: dirs,
      ...(options.configPath ? { configPath: options.configPath } : {}),
    });
    return locked
      .filter((skill) => skill.status !== "no-tools")
      .map((skill) => ({
        skill: skill.name,
        file: skill.file,
        status: skill.status,
        ...(skill.errors[0] ? { message: `${skill.errors[0].code}: ${skill.errors[0].message}` } : {}),
      }));
  } catch (error) {
    return dirs.map((dir) => ({
      skill: dir,
      file: displayPath(join(dir, "tools.lock.json"), options.cwd),
      status: "error",
      message: (error as Error).message,
    }));
  }
}

/**
 * Warm workers per language: as many as cases run at once (at least the config's warmPool), and none for a
 * language no selected case uses — a worker spawned for nothing costs CPU the runs need.
 */
function warmPool(jobs: Job[], configured: number, width: number): { python: number; typescript: number } {
  const languages = new Set(jobs.map((job) => job.skill.skill?.manifest.language));
  const size = Math.min(Math.max(configured, width), jobs.length);
  return {
    python: languages.has("python") ? size : 0,
    typescript: languages.has("typescript") || languages.has("javascript") ? size : 0,
  };
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
    warnings: plan.warnings,
  };
}
