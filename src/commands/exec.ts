/**
 * `skills exec`: run a program (not a skill) in the sandbox with the tools named on the command line. Servers come
 * from the project's .mcp.json; only the servers of the allowed tools are started.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { SkillLanguage } from "../contracts/skill.js";
import { toolKey } from "../contracts/tools.js";
import { isPiiMode, type PiiMode, PII_MODES } from "../core/pii/index.js";
import { SkillsError } from "../errors.js";
import type { RunLimits, RunResult } from "../contracts/run.js";
import { openExecution } from "./shared/execution.js";
import { parseInputArgument } from "./shared/input.js";

export interface ExecOptions {
  language: SkillLanguage;
  /** Exactly one source: inline code, a file, or text read from stdin by the CLI. */
  code?: string;
  file?: string;
  cwd: string;
  /** `server/tool` keys the program may call. */
  tools?: string[];
  allTools?: boolean;
  /** JSON text or `@file`. */
  input?: string;
  timeoutMs?: number;
  requireIsolation?: boolean;
  configPath?: string;
  /** PII tokenization mode; default: the project's `pii`. */
  pii?: PiiMode;
  /** Told what slow step is under way (the CLI shows it on a terminal). */
  onStatus?: (message: string) => void;
  signal?: AbortSignal;
}

export interface ExecResult {
  ok: boolean;
  language: SkillLanguage;
  /** Where the code came from: "--code", the file, or "stdin". */
  source: string;
  tools: string[];
  run: RunResult;
  warnings: string[];
}

const LANGUAGES: Record<string, SkillLanguage> = {
  python: "python",
  py: "python",
  typescript: "typescript",
  ts: "typescript",
  javascript: "javascript",
  js: "javascript",
};

/** `--lang` value -> language; anything else is a usage error. */
export function parseLanguage(value: unknown): SkillLanguage {
  if (value === undefined || value === true || value === "") {
    throw new SkillsError("USAGE", "--lang is required", { hint: "pass --lang python or --lang typescript" });
  }
  const language = LANGUAGES[String(value).toLowerCase()];
  if (!language) {
    throw new SkillsError("INVALID_ARGUMENT", `unknown language "${String(value)}"`, {
      hint: "use --lang python, --lang typescript or --lang javascript",
    });
  }
  return language;
}

/** `--timeout` value -> milliseconds; not a positive integer is a usage error. */
export function parseTimeout(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0 || ms > 24 * 3600 * 1000) {
    throw new SkillsError(
      "INVALID_ARGUMENT",
      `--timeout must be a whole number of milliseconds, got "${String(value)}"`,
      {
        hint: "e.g. --timeout 5000 (5 seconds)",
      },
    );
  }
  return ms;
}

/** `--pii` value -> mode; anything else is a usage error. */
export function parsePiiMode(value: unknown): PiiMode | undefined {
  if (value === undefined) return undefined;
  if (isPiiMode(value)) return value;
  // The argv parser hands over a bare `--pii` as "true" and `--pii ''` as "0".
  if (value === "true" || value === "0" || value === "") {
    throw new SkillsError("INVALID_ARGUMENT", `--pii needs a mode: ${PII_MODES.join(", ")}`, {
      hint: 'e.g. --pii strict; without --pii the mode is the manifest\'s privacy.mode, else skills.config.json "pii", else default',
    });
  }
  throw new SkillsError("INVALID_ARGUMENT", `unknown --pii mode "${String(value)}"`, {
    hint: `use one of: ${PII_MODES.join(", ")}`,
  });
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
    kind: "exec",
    cwd: options.cwd,
    configPath: options.configPath,
    tools: { keys: options.tools ?? [], all: options.allTools },
    ...(options.pii ? { pii: options.pii } : {}),
    ...(options.requireIsolation !== undefined ? { requireIsolation: options.requireIsolation } : {}),
    onStatus: options.onStatus,
  });
  try {
    options.onStatus?.("running the program in the sandbox");
    const run = await execution.run({
      language: options.language,
      code,
      input: parsed.value,
      limits,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      ok: run.ok,
      language: options.language,
      source,
      tools: execution.tools.map((tool) => toolKey(tool.server, tool.name)),
      run,
      warnings: execution.warnings,
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
