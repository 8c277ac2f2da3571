/**
 * What `skills doctor` checks before any run: exactly the host paths a run binds (taken from the command a worker
 * would start, both languages), each reachable by the run's own uid, and a trial run per language through the real
 * sandbox. A path the run's uid cannot pass through (a checkout or interpreter under a 0700 home) would otherwise
 * fail every run with `bwrap: Can't find source path ...: Permission denied`.
 */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { IsolationReport } from "../contracts/run.js";
import { emptyFolder, stagingBase } from "./cacheDir.js";
import { boundPaths, buildCommand } from "./command.js";
import { canDisableUserns, findExecutable, isRoot } from "./isolation.js";
import { resolveLimits, rlimitProfile } from "./limits.js";
import { createRunner } from "./runner.js";
import { stagedRuntime } from "./runtimeFiles.js";

export interface BindCheck {
  /** A host path a run binds (or, for the run's own folders, the folder they are made in). */
  path: string;
  ok: boolean;
  problem?: string;
}

export interface TrialRun {
  language: "python" | "typescript";
  ok: boolean;
  ms: number;
  error?: string;
}

/**
 * Can the run's uid reach `path` (pass through its parents, read it, and list it when it is a folder)? A root host
 * runs programs as an unrelated uid without groups: only the "others" bits count. Otherwise the run is this user.
 */
export function reachable(path: string): string | null {
  const target = resolve(path);
  for (let current = dirname(target); ; current = dirname(current)) {
    const blocked = isRoot()
      ? (modeOf(current) & 0o001) === 0
      : !canAccess(current, constants.X_OK);
    if (blocked) return `${current} cannot be passed through by the run's uid (mode ${octal(modeOf(current))})`;
    if (dirname(current) === current) break;
  }
  let isDir: boolean;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    return `${target} does not exist`;
  }
  const want = isDir ? 0o005 : 0o004;
  const readable = isRoot()
    ? (modeOf(target) & want) === want
    : canAccess(target, isDir ? constants.R_OK | constants.X_OK : constants.R_OK);
  return readable ? null : `${target} cannot be read by the run's uid (mode ${octal(modeOf(target))})`;
}

function modeOf(path: string): number {
  try {
    return statSync(path).mode;
  } catch {
    return 0;
  }
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`;

/** The host paths runs of both languages bind, each checked for the run's uid. */
export function checkBinds(report: IsolationReport, python: string): BindCheck[] {
  // The run's own folders (workspace, staged skill and SDK) are made in the staging base; a cache folder stands in
  // for them here so that the command names real paths.
  const own = stagingBase();
  const stand = emptyFolder();
  const paths = new Set<string>();
  for (const language of ["python", "node"] as const) {
    // A missing interpreter is the interpreter check's to report.
    if (!existsSync(language === "python" ? python : process.execPath)) continue;
    const command = buildCommand({
      language,
      isolation: report.isolation,
      profile: rlimitProfile(resolveLimits()),
      python,
      node: process.execPath,
      uid: isRoot() ? 0 : null,
      setpriv: findExecutable("setpriv"),
      prlimit: findExecutable("prlimit"),
      bwrap: findExecutable("bwrap"),
      disableUserns: canDisableUserns(),
      host: { workspace: stand, skill: stand, sdk: stand, runtime: stagedRuntime() },
    });
    const sources =
      report.isolation === "bwrap" ? boundPaths(command) : [command.paths.runtime, dirname(python)];
    for (const path of sources) paths.add(path === stand ? own : path);
  }
  return [...paths].map((path) => {
    const problem = reachable(path);
    return problem ? { path, ok: false, problem } : { path, ok: true };
  });
}

/** One trivial program per language through the real runner (what a first run would hit). */
export async function trialRuns(python: string): Promise<TrialRun[]> {
  const out: TrialRun[] = [];
  const runner = createRunner({ python });
  for (const language of ["python", "typescript"] as const) {
    const started = performance.now();
    try {
      const result = await runner.run({
        language,
        code: language === "python" ? "result = 1\n" : "export const result = 1;\n",
        tools: [],
        limits: { timeoutMs: 20_000 },
      });
      const ok = result.ok && result.result === 1;
      out.push({
        language,
        ok,
        ms: Math.round(performance.now() - started),
        ...(ok ? {} : { error: result.error?.message ?? "no result" }),
      });
    } catch (error) {
      out.push({ language, ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message });
    }
  }
  await runner.close();
  return out;
}
