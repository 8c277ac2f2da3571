/**
 * `skills run`: load and validate a skill, validate its input, resolve the tools it declares from the catalog
 * (starting only their servers), run its entry in the sandbox with the manifest's limits, and return the run result.
 * `--cells` runs the entry cell by cell (`# %%` / `// %%`) in one session instead.
 */
import { readFile } from "node:fs/promises";
import type { JsonObject } from "../contracts/json.js";
import type { RunLimits, RunResult } from "../contracts/run.js";
import type { LoadedSkill } from "../contracts/skill.js";
import { displayPath } from "../core/paths.js";
import { SkillsError } from "../errors.js";
import { limitsFromManifest, splitCells } from "../sandbox/index.js";
import { loadProjectConfig, type ProjectConfig } from "../store/config.js";
import { resolveSkillRef } from "../store/findSkills.js";
import { type Execution, fromSettings, openExecution, type RunSettings } from "./shared/execution.js";
import { startWorkerEarly } from "./shared/earlyWorker.js";
import { type ParsedInput, parseInputArgument, validateInput } from "./shared/input.js";
import { firstPiiNotice } from "./shared/piiNotice.js";
import { loadValidSkill, skillRunRequest } from "./shared/skill.js";
import { versionedSkillDir } from "./shared/versionedRef.js";

export interface RunOptions extends RunSettings {
  /** A skill folder, a skill name looked up under the project's roots, or `name@version` (a release; @latest). */
  ref: string;
  /** JSON text, or `@file` (JSON or YAML). Defaults to `{}`. */
  input?: string;
  /** Run the entry file cell by cell in one session. */
  cells?: boolean;
  signal?: AbortSignal;
}

export interface SkillSummary {
  name: string;
  version: string;
  language: string;
  dir: string;
  /** The release that ran (`name@version`): its tag and commit. */
  release?: { tag: string; commit: string };
}

export interface CellRun {
  index: number;
  /** 1-based line of the cell's first line in the entry file. */
  line: number;
  run: RunResult;
}

export interface RunCommandResult {
  ok: boolean;
  skill: SkillSummary;
  input: unknown;
  /** The run (for --cells: the last cell's run, whose `result` is the skill's result). */
  run: RunResult;
  cells?: CellRun[];
  /** The run's id in the run log (`run.runId`; with --cells, the whole run's), when it was logged. */
  runId?: string;
  warnings: string[];
  /** Things to tell the user once (PII tokenization's first use in the project). */
  notes?: string[];
}

export async function runSkill(options: RunOptions): Promise<RunCommandResult> {
  // `name@version`: the released version, unpacked from its tag (the work tree is never touched)
  const release = await versionedSkillDir(options.cwd, options.ref);
  const config = await loadProjectConfig(options.cwd);
  const dir = release ? release.dir : await resolveSkillRef(options.ref, config, options.cwd);
  const skill = await loadValidSkill(dir, options.cwd);
  const manifest = skill.manifest;
  const limits: Partial<RunLimits> = { ...limitsFromManifest(manifest.limits) };
  if (options.timeoutMs !== undefined) limits.timeoutMs = options.timeoutMs;
  // The sandbox starts while the input is checked and the servers connect; the run takes it (earlyWorker.ts). A
  // run cell by cell opens a session of its own.
  const disposeEarly = options.cells
    ? undefined
    : await startWorkerEarly({
        cwd: options.cwd,
        language: manifest.language,
        python: config.python,
        limits,
        requireIsolation: options.requireIsolation ?? config.requireIsolation,
      });
  try {
    return await runLoaded(options, config, release, skill, limits);
  } finally {
    await disposeEarly?.();
  }
}

async function runLoaded(
  options: RunOptions,
  config: ProjectConfig,
  release: Awaited<ReturnType<typeof versionedSkillDir>>,
  skill: LoadedSkill,
  limits: Partial<RunLimits>,
): Promise<RunCommandResult> {
  const manifest = skill.manifest;
  const parsed = await parseInputArgument(options.input, options.cwd);
  const input = validateInput(manifest.input, parsed, `${displayPath(skill.dir, options.cwd)}/manifest.yaml`);
  const execution = await openExecution({
    ...fromSettings("run", options),
    config,
    tools: { ranges: manifest.tools ?? {} },
  });
  try {
    const summary: SkillSummary = {
      name: skill.name,
      version: manifest.version,
      language: manifest.language,
      dir: skill.dir,
      ...(release ? { release: { tag: release.tag, commit: release.commit } } : {}),
    };
    if (options.cells) {
      options.onStatus?.(`running ${skill.name} cell by cell`);
      const cells = await runCells(skill, input.value, execution, limits);
      const last = cells[cells.length - 1];
      if (!last)
        throw new SkillsError("INPUT_INVALID", `${skill.entryPath} has no code to run`, { file: skill.entryPath });
      const notice = await firstPiiNotice(
        config.cacheDir,
        cells.map((cell) => cell.run),
      );
      return {
        ok: cells.every((cell) => cell.run.ok),
        skill: summary,
        input: input.value,
        run: last.run,
        cells,
        ...(last.run.runId ? { runId: last.run.runId } : {}),
        warnings: [...input.warnings, ...execution.warnings],
        ...(notice ? { notes: [notice] } : {}),
      };
    }
    options.onStatus?.(`running ${skill.name} in the sandbox`);
    const run = await execution.run({
      ...skillRunRequest(skill, input.value, limits),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    // The servers and the sandbox end while the notice is looked up (closing again in `finally` is a no-op).
    const closing = execution.close();
    const notice = await firstPiiNotice(config.cacheDir, [run]);
    await closing;
    return {
      ok: run.ok,
      skill: summary,
      input: input.value,
      run,
      ...(run.runId ? { runId: run.runId } : {}),
      warnings: [...input.warnings, ...execution.warnings],
      ...(notice ? { notes: [notice] } : {}),
    };
  } finally {
    await execution.close();
  }
}

/**
 * Runs the entry file cell by cell in one session. The input is set as `input` first; after the last cell, a
 * file that defines `run` but sets no `result` gets `result = run(input)`, so a skill gives the same result either way.
 */
async function runCells(
  skill: LoadedSkill,
  input: unknown,
  execution: Execution,
  limits: Partial<RunLimits>,
): Promise<CellRun[]> {
  const language = skill.manifest.language;
  const source = await readFile(skill.entryPath, "utf8");
  const cells = splitCells(source, language);
  const session = execution.openSession({
    language,
    limits,
    skillDir: skill.dir,
    skill: { name: skill.name, version: skill.manifest.version },
    privacy: skill.manifest.privacy,
    // The cells are one run of the skill: one record in the run log, written when the session closes.
    oneRun: true,
    input,
  });
  const runs: CellRun[] = [];
  try {
    const setup = await session.execute(inputPrelude(language, input));
    if (!setup.ok) return [{ index: 0, line: 0, run: setup }];
    for (const [index, cell] of cells.entries()) {
      const run = await session.execute(cell.code);
      runs.push({ index: index + 1, line: cell.line, run });
      if (!run.ok) return runs;
    }
    const finish = await session.execute(finishCode(language));
    runs.push({ index: cells.length + 1, line: 0, run: finish });
    return runs;
  } finally {
    await session.close();
  }
}

function inputPrelude(language: string, input: unknown): string {
  const json = JSON.stringify(input ?? {});
  if (language === "python")
    return `import json as __json\ninput = __json.loads(${JSON.stringify(json)})\ndel __json\n`;
  return `globalThis.input = JSON.parse(${JSON.stringify(json)});\n`;
}

function finishCode(language: string): string {
  if (language === "python") {
    return "if 'result' not in globals() and callable(globals().get('run')):\n    result = run(input)\nglobals().get('result')\n";
  }
  return [
    "const __skills = globalThis as Record<string, unknown>;",
    "const result =",
    '  __skills.result === undefined && typeof __skills.run === "function"',
    "    ? await (__skills.run as (input: unknown) => unknown)(__skills.input)",
    "    : __skills.result;",
  ].join("\n");
}

export type { ParsedInput, JsonObject };
