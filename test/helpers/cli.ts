/**
 * Runs the real `skills` binary (bin/skills.js, so dist/ must be built) as a child process, the way a user does.
 * SKILLS_CLI points the tests at another build of the CLI (e.g. while dist/ is being rebuilt).
 */
import { execFile, spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

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
