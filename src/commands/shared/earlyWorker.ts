/**
 * `skills exec` starts its program's sandboxed interpreter before it loads the code that runs the program: bwrap and
 * the interpreter start in their own process while the CLI loads, and the run takes the worker when it gets there
 * (sandbox/runner.ts prestartWorker). The interpreter is the project's (skills.config.json `python`).
 */
import type { RunLimits, RunRequest } from "../../contracts/run.js";

export interface EarlyWorkerOptions {
  cwd: string;
  language: RunRequest["language"];
  requireIsolation?: boolean;
  /** The run's limits, when they are known (a skill's manifest): a node worker starts with its rlimits. */
  limits?: Partial<RunLimits>;
  /** The interpreter, when the caller has read the project's config already. */
  python?: string;
}

/** Starts the worker; returns what disposes it if the run did not take it. Never throws. */
export async function startWorkerEarly(options: EarlyWorkerOptions): Promise<() => Promise<void>> {
  try {
    // The config (with its schema checks) and the sandbox's code load side by side: the worker waits for both.
    const [python, { prestartWorker }] = await Promise.all([
      options.python ??
        import("../../store/config.js").then(
          async ({ loadProjectConfig }) => (await loadProjectConfig(options.cwd)).python,
        ),
      import("../../sandbox/runner.js"),
    ]);
    return await prestartWorker(options.language, {
      python,
      ...(options.requireIsolation ? { requireIsolation: true } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
    });
  } catch {
    // The run starts its own worker and reports what goes wrong.
    return async () => {};
  }
}
