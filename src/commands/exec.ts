/**
 * `skills exec`: run a program (not a skill) in the sandbox with the tools named on the command line. Servers come
 * from the project's .mcp.json; only the servers of the allowed tools are started.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { SkillLanguage } from "../contracts/skill.js";
import { toolKey } from "../contracts/tools.js";
import { SkillsError } from "../errors.js";
import type { RunLimits, RunResult } from "../contracts/run.js";
import { fromSettings, openExecution, type RunSettings } from "./shared/execution.js";
import { parseInputArgument } from "./shared/input.js";
import { firstPiiNotice } from "./shared/piiNotice.js";

export interface ExecOptions extends RunSettings {
  language: SkillLanguage;
  /** Exactly one source: inline code, a file, or text read from stdin by the CLI. */
  code?: string;
  file?: string;
  /** `server/tool` keys the program may call. */
  tools?: string[];
  allTools?: boolean;
  /** JSON text or `@file`. */
  input?: string;
  signal?: AbortSignal;
}

export interface ExecResult {
  ok: boolean;
  language: SkillLanguage;
  /** Where the code came from: "--code", the file, or "stdin". */
  source: string;
  tools: string[];
  run: RunResult;
  /** The run's id in the run log (`skills new <name> --from-run <id>` makes a skill of it), when it was logged. */
  runId?: string;
  warnings: string[];
  /** Things to tell the user once (PII tokenization's first use in the project). */
  notes?: string[];
}

export async function execCode(options: ExecOptions): Promise<ExecResult> {
  const { code, source } = await readSource(options);
  if (code.trim() === "") {
    throw new SkillsError("USAGE", `the program from ${source} is empty`, {
      hint: "pass --code '<program>', --file <path>, or pipe a program into `skills exec --lang <l> -`",
    });
  }
  const parsed = await parseInputArgument(options.input, options.cwd);
  const limits: Partial<RunLimits> = {};
  if (options.timeoutMs !== undefined) limits.timeoutMs = options.timeoutMs;
  const execution = await openExecution({
    ...fromSettings("exec", options),
    tools: { keys: options.tools ?? [], all: options.allTools },
  });
  try {
    options.onStatus?.("running the program in the sandbox");
    const run = await execution.run({
      language: options.language,
      code,
      input: parsed.value,
      limits,
      // A traceback names the file the program came from, as the user gave it.
      ...(options.file !== undefined ? { display: { program: options.file } } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const notice = await firstPiiNotice(execution.config.cacheDir, [run]);
    return {
      ok: run.ok,
      language: options.language,
      source,
      tools: execution.tools.map((tool) => toolKey(tool.server, tool.name)),
      run,
      ...(run.runId ? { runId: run.runId } : {}),
      warnings: execution.warnings,
      ...(notice ? { notes: [notice] } : {}),
    };
  } finally {
    await execution.close();
  }
}

async function readSource(options: ExecOptions): Promise<{ code: string; source: string }> {
  const given = [options.code !== undefined, options.file !== undefined].filter(Boolean).length;
  if (given !== 1) {
    throw new SkillsError("USAGE", given === 0 ? "no code to run" : "give the code one way only", {
      hint: "pass --code '<program>', --file <path>, or - to read the program from stdin",
    });
  }
  if (options.code !== undefined) return { code: options.code, source: "--code" };
  const file = resolve(options.cwd, options.file as string);
  try {
    return { code: await readFile(file, "utf8"), source: options.file as string };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SkillsError("NOT_FOUND", `cannot read ${options.file}: ${code ?? String(error)}`, {
      file: options.file,
      hint: "check the path given to --file (relative to the current folder)",
    });
  }
}
