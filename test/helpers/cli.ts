/**
 * Runs the real `skills` binary (bin/skills.js, so dist/ must be built) as a child process, the way a user does.
 * SKILLS_CLI points the tests at another build of the CLI (e.g. while dist/ is being rebuilt).
 */
import { execFile, spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";

export const REPO = resolve(import.meta.dirname, "../..");
export const CLI = process.env.SKILLS_CLI ?? join(REPO, "bin/skills.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  /** Standard input (default: empty). */
  input?: string;
  /** Added to (or, with undefined values, removed from) the environment; NO_COLOR=1 unless overridden. */
  env?: Record<string, string | undefined>;
  timeout?: number;
}

function environment(env: CliOptions["env"]): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: "1", ...env };
}

/** Runs `skills <args>` and waits for it (blocking this process). */
export function skillsSync(args: string[], options: CliOptions): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    encoding: "utf8",
    input: options.input ?? "",
    env: environment(options.env),
    timeout: options.timeout ?? 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `skills <args>` without blocking this process (for tests that serve something in-process meanwhile). */
export function skillsAsync(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: options.cwd, env: environment(options.env), timeout: options.timeout ?? 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 99) : 0;
        done({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? "");
  });
}

/**
 * Runs the CLI in this process from src/ (no build needed): the same registration, rendering and exit codes as
 * bin/skills.js, with stdout and stderr captured.
 */
export async function skillsInProcess(
  args: string[],
  cwd: string,
): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import("../../src/cli/main.js");
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const code = await main(["node", "skills", ...args], { cwd, stdout, stderr, env: { ...process.env, NO_COLOR: "1" } });
  process.exitCode = 0;
  return { code, out, err };
}

/**
 * `skillsInProcess` with the result shaped as the binary's (`skillsSync`, `skillsAsync`), for files that run one
 * command many times: the binary once per command, the other runs here. `env` is set on this process for the run
 * (code below the CLI reads process.env too) and put back after it.
 */
export async function skillsMain(args: string[], options: Omit<CliOptions, "input" | "timeout">): Promise<CliResult> {
  const saved = new Map<string, string | undefined>();
  for (const [key, value] of Object.entries(options.env ?? {})) {
    saved.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const { code, out, err } = await skillsInProcess(args, options.cwd);
    return { code, stdout: out, stderr: err };
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
