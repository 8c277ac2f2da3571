/**
 * Runners: every run gets a fresh sandboxed process. With a pool, workers are pre-spawned (interpreter started,
 * runtime loaded, waiting for "execute") and refilled in the background, so a run pays a hand-off, not a start.
 */
import { SkillsError } from "../errors.js";
import type { WorkerLanguage } from "./command.js";
import { handOff } from "./handOff.js";
import { detectIsolation, forgetIsolation, isRoot } from "./isolation.js";
import { type RlimitProfile, cpuSeconds, resolveLimits, rlimitProfile } from "./limits.js";
import { loadSource, prepareProgram, withSdkPath } from "./program.js";
import { readableError } from "./readableError.js";
import { ensureSdk } from "./sdk.js";
import type { ExecuteParams } from "./protocol.js";
import { buildResult, workerOutputBytes, workerReplyBytes } from "./result.js";
import { killAtTeardown } from "./teardown.js";
import { ToolGate } from "./toolGate.js";
import type {
  Isolation,
  IsolationReport,
  RunLimits,
  RunRequest,
  RunResult,
  Runner,
  RunnerOptions,
} from "../contracts/run.js";
import { SandboxWorker } from "./worker.js";

export const DEFAULT_PYTHON = "/usr/bin/python3";

const live = new Set<SandboxWorker>();
let teardownSet = false;

export function startWorker(spec: ConstructorParameters<typeof SandboxWorker>[0]): SandboxWorker {
  if (!teardownSet) {
    teardownSet = true;
    // At exit and on Ctrl-C / SIGTERM / SIGHUP no sandbox outlives the host (bwrap's --die-with-parent is the
    // backstop when the host is killed outright).
    killAtTeardown(() => {
      for (const worker of live) worker.kill("signal");
    });
  }
  const worker = new SandboxWorker(spec);
  live.add(worker);
  void worker.exited.then(() => live.delete(worker));
  return worker;
}

export function processWarning(report: IsolationReport): string {
  return `isolation: process — this run is NOT sandboxed by bwrap (${report.reasons[report.reasons.length - 1] ?? "bwrap unavailable"}); only resource limits apply`;
}

export function assertIsolation(report: IsolationReport, required: boolean | undefined): void {
  if (required && report.isolation !== "bwrap") {
    throw new SkillsError(
      "SANDBOX_UNAVAILABLE",
      "bwrap isolation is required but this machine only gives process isolation",
      {
        reasons: report.reasons,
        hint: `${report.reasons.join("; ")}. Run \`skills doctor\` for details.`,
      },
    );
  }
}

/**
 * The rlimits a Python worker sets on itself (it is started without prlimit). RLIMIT_NPROC counts every process of
 * the uid: it is set only where that uid is the run's own (root host) or counted per sandbox (bwrap's user
 * namespace), never for a shared login uid under process isolation, where it would count the user's other programs.
 */
export function pythonRlimits(limits: RunLimits, isolation: Isolation): NonNullable<ExecuteParams["rlimits"]> {
  return {
    cpuSeconds: cpuSeconds(limits),
    fileBytes: limits.maxFileBytes,
    openFiles: limits.maxOpenFiles,
    ...(isRoot() || isolation === "bwrap" ? { processes: limits.maxProcesses } : {}),
  };
}

const workerLanguage = (language: RunRequest["language"]): WorkerLanguage =>
  language === "python" ? "python" : "node";

/**
 * Workers started before any runner asked for one: `skills exec` starts its program's interpreter while the CLI
 * loads the code that will run it (cli/early/exec.ts). The first runner that needs a worker of that language and
 * interpreter takes it; it is still this run's own cold start (not reported warm).
 */
const prestarted: SandboxWorker[] = [];
const early = new WeakSet<SandboxWorker>();

/** Starts a worker for a run to come; returns what disposes it if no run took it. */
export async function prestartWorker(
  language: RunRequest["language"],
  options: { python?: string; requireIsolation?: boolean; limits?: Partial<RunLimits> } = {},
): Promise<() => Promise<void>> {
  const report = await detectIsolation();
  // The run would be refused before it needed a worker.
  if (options.requireIsolation && report.isolation !== "bwrap") return async () => {};
  const worker = startWorker({
    language: workerLanguage(language),
    isolation: report.isolation,
    // The limits of the run to come (a node worker starts with its rlimits; a Python one sets the run's itself).
    profile: rlimitProfile(resolveLimits(options.limits)),
    python: options.python ?? DEFAULT_PYTHON,
    pooled: true,
  });
  worker.ready.catch(() => undefined);
  early.add(worker);
  prestarted.push(worker);
  return async () => {
    const at = prestarted.indexOf(worker);
    if (at >= 0) {
      prestarted.splice(at, 1);
      await worker.dispose();
    }
  };
}

/** How many workers started early no run has taken (yet). */
export function prestartedCount(): number {
  return prestarted.length;
}

/** A worker started early for this language, interpreter and rlimits, if one is there and alive. */
function takePrestarted(language: WorkerLanguage, python: string, want: RlimitProfile): SandboxWorker | null {
  const at = prestarted.findIndex(
    (w) =>
      w.spec.language === language && w.spec.python === python && w.alive && compatible(language, w.spec.profile, want),
  );
  return at >= 0 ? prestarted.splice(at, 1)[0]! : null;
}

/** Can a pooled worker started with `pool` limits serve a run with `want` limits? */
function compatible(language: WorkerLanguage, pool: RlimitProfile, want: RlimitProfile): boolean {
  // A Python worker starts without rlimits and sets the run's own before running the program.
  if (language === "python") return true;
  return (
    want.cpuSeconds === pool.cpuSeconds &&
    want.fileBytes === pool.fileBytes &&
    want.openFiles === pool.openFiles &&
    want.processes === pool.processes &&
    want.memoryMb <= pool.memoryMb
  );
}

class SandboxRunner implements Runner {
  private readonly idle: Record<WorkerLanguage, SandboxWorker[]> = { python: [], node: [] };
  private readonly spawning: Record<WorkerLanguage, number> = { python: 0, node: 0 };
  private readonly failures: Record<WorkerLanguage, number> = { python: 0, node: 0 };
  private readonly target: Record<WorkerLanguage, number>;
  private readonly poolProfile = rlimitProfile(resolveLimits());
  /** The SDK tree the last run of each language used: pooled workers are started with it staged. */
  private readonly lastSdk: Record<WorkerLanguage, string | undefined> = { python: undefined, node: undefined };
  private readonly python: string;
  private closed = false;

  constructor(private readonly options: RunnerOptions) {
    this.python = options.python ?? DEFAULT_PYTHON;
    this.target = { python: options.pool?.python ?? 0, node: options.pool?.typescript ?? 0 };
    if (this.target.python > 0 || this.target.node > 0) {
      void detectIsolation().then((report) => {
        if (options.requireIsolation && report.isolation !== "bwrap") return;
        this.refill("python");
        this.refill("node");
      });
    }
  }

  poolSize(): { python: number; typescript: number } {
    return { python: this.idle.python.length, typescript: this.idle.node.length };
  }

  private refill(language: WorkerLanguage): void {
    if (this.closed || this.failures[language] >= 3) return;
    while (this.idle[language].length + this.spawning[language] < this.target[language]) {
      this.spawning[language] += 1;
      void this.spawnPooled(language).finally(() => {
        this.spawning[language] -= 1;
      });
    }
  }

  private async spawnPooled(language: WorkerLanguage): Promise<void> {
    const report = await detectIsolation();
    let worker: SandboxWorker;
    const spec = {
      language,
      isolation: report.isolation,
      profile: this.poolProfile,
      python: this.python,
      pooled: true,
    };
    try {
      const sdkDir = this.lastSdk[language];
      try {
        worker = startWorker(sdkDir !== undefined ? { ...spec, sdkDir } : spec);
      } catch (error) {
        // The last run's SDK tree may be gone from the cache since: the worker starts without one.
        if (sdkDir === undefined) throw error;
        if (this.lastSdk[language] === sdkDir) this.lastSdk[language] = undefined;
        worker = startWorker(spec);
      }
    } catch {
      // e.g. no such interpreter: runs start cold and report the error themselves
      this.failures[language] = 3;
      return;
    }
    try {
      await worker.ready;
    } catch {
      this.failures[language] += 1;
      await worker.dispose();
      this.refill(language);
      return;
    }
    this.failures[language] = 0;
    if (this.closed) {
      await worker.dispose();
      return;
    }
    this.idle[language].push(worker);
    void worker.exited.then(() => {
      const list = this.idle[language];
      const at = list.indexOf(worker);
      if (at >= 0) {
        list.splice(at, 1);
        void worker.dispose();
        this.refill(language);
      }
    });
  }

  private take(language: WorkerLanguage, limits: RunLimits, sdkDir: string): SandboxWorker | null {
    const want = rlimitProfile(limits);
    if (!compatible(language, this.poolProfile, want)) return takePrestarted(language, this.python, want);
    this.lastSdk[language] = sdkDir;
    const list = this.idle[language];
    for (const worker of list.filter((w) => !w.alive)) {
      list.splice(list.indexOf(worker), 1);
      void worker.dispose();
    }
    // One with this SDK already staged if there is one (nothing to link at hand-off), else the oldest.
    const staged = list.findIndex((w) => w.stagedSdk === sdkDir);
    if (list.length > 0) return list.splice(Math.max(staged, 0), 1)[0]!;
    this.refill(language);
    return takePrestarted(language, this.python, want);
  }

  async run(request: RunRequest): Promise<RunResult> {
    if (this.closed) throw new SkillsError("SANDBOX_FAILED", "the runner is closed");
    const report = await detectIsolation();
    assertIsolation(report, request.requireIsolation ?? this.options.requireIsolation);
    const warnings = report.isolation === "process" ? [processWarning(report)] : [];
    const limits = resolveLimits(request.limits);
    const started = performance.now();
    const source = await loadSource(request);
    const sdkDir = await ensureSdk(request.tools);
    const language = workerLanguage(request.language);
    // A cold worker starts now, while the program is prepared (transpiled or bundled): both take a process start.
    const taken = this.take(language, limits, sdkDir);
    const warm = taken !== null && !early.has(taken);
    let worker: SandboxWorker | undefined = taken ?? undefined;
    // A skill folder that cannot be staged (a FIFO, a link out of it) stops the start; the program is prepared
    // anyway, so that what the bundler finds wrong with it is reported as it was before the worker started first.
    let stageError: unknown;
    if (!worker) {
      try {
        worker = startWorker({
          language,
          isolation: report.isolation,
          profile: rlimitProfile(limits),
          python: this.python,
          skillDir: request.skillDir,
          sdkDir,
        });
      } catch (error) {
        stageError = error;
      }
    }
    request.onStarted?.();
    try {
      let prepared: Awaited<ReturnType<typeof prepareProgram>>;
      try {
        prepared = await prepareProgram({
          language: request.language,
          ...source,
          tools: request.tools,
          sdkDir,
          skillDir: request.skillDir,
          timeoutMs: limits.timeoutMs,
        });
      } catch (error) {
        if (error instanceof SkillsError && (error.code === "PROGRAM_ERROR" || error.code === "TIMEOUT"))
          return compileFailure(
            error,
            limits,
            report,
            warnings,
            started,
            displayedCompileFile(request, source.filename),
          );
        throw error;
      }
      if (!worker) throw stageError;
      if (taken) worker.stage(request.skillDir, sdkDir);
      await worker.ready.catch((error: unknown) => {
        // The kept probe may be out of date (the machine changed since): the next run probes again.
        if (!taken && report.isolation === "bwrap") forgetIsolation();
        throw error;
      });
      const startupMs = performance.now() - started;
      const gate = new ToolGate({
        tools: request.tools,
        backend: request.backend,
        maxToolCalls: limits.maxToolCalls,
        interceptor: request.interceptor,
      });
      const paths = worker.command.paths;
      const result = await handOff({
        worker,
        gate,
        limits,
        isolation: report.isolation,
        warnings,
        outputSchema: request.outputSchema,
        interceptor: request.interceptor,
        signal: request.signal,
        params: {
          code: withSdkPath(prepared.code, paths.sdk),
          filename: prepared.filename,
          input: request.input ?? null,
          sdk: paths.sdk,
          paths: [paths.skill],
          cwd: paths.workspace,
          maxOutputBytes: workerOutputBytes(limits, request.interceptor),
          maxReplyBytes: workerReplyBytes(limits),
          maxLogBytes: limits.maxLogBytes,
          logMarker: worker.logMarker,
          rlimits: language === "python" ? pythonRlimits(limits, report.isolation) : undefined,
        },
      });
      // The whole run, sandbox start included; and apart: what it waited for before its program started (whether a
      // pooled worker took it), and the program's own time.
      const timed = withTimes(result, startupMs, performance.now() - started, warm);
      if (!timed.error) return timed;
      return {
        ...timed,
        error: readableError(timed.error, {
          language: request.language,
          ...(request.display ? { display: request.display } : {}),
          ...(prepared.sourceMap ? { sourceMap: prepared.sourceMap } : {}),
          ...(source.filename === "<program>" ? { programName: programNameOf(request.language, source.filename) } : {}),
        }),
      };
    } finally {
      // Refill after the run: spawning blocks the event loop for a moment, which would delay this run's hand-off.
      if (this.target[language] > 0) setImmediate(() => this.refill(language));
      // Nothing of the run may outlive it: SIGKILL whatever is left now (dispose does so at once while the worker
      // lives; after its exit, its stray children may not); reaping and cleanup continue in the background.
      if (worker?.exit !== null) worker?.cgroup?.killAll();
      void worker?.dispose();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.idle.python, ...this.idle.node];
    this.idle.python = [];
    this.idle.node = [];
    await Promise.all(workers.map((w) => w.dispose()));
    while (this.spawning.python + this.spawning.node > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The name a program had inside the sandbox when it was not a skill's file (see prepareProgram). */
export function programNameOf(language: string, filename: string): string {
  if (filename !== "<program>") return filename;
  return language === "python" ? "<program>" : `program.${language === "javascript" ? "js" : "ts"}`;
}

/** How to name the file a compile error is in: the skill folder's file as the user names it, or the exec's file. */
function displayedCompileFile(request: RunRequest, filename: string): (file: string) => string {
  const program = filename === "<program>" ? programNameOf(request.language, filename) : undefined;
  return (file) => {
    if (program !== undefined && (file === program || file === "<program>")) return request.display?.program ?? file;
    if (file.startsWith("/")) return file;
    const dir = request.display?.skillDir;
    return dir ? `${dir.replace(/\/+$/, "")}/${file}` : file;
  };
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/**
 * The run's times from the runner's clock: `durationMs` the whole run (sandbox start included), `startupMs` up to
 * the hand-off, `programMs` the program's own part (what handOff measured).
 */
export function withTimes(result: RunResult, startupMs: number, totalMs: number, warm: boolean): RunResult {
  result.programMs = result.durationMs;
  result.startupMs = round(startupMs);
  result.durationMs = round(Math.max(totalMs, startupMs + result.programMs));
  result.warm = warm;
  return result;
}

/** A program that did not compile, or whose bundling was stopped (TIMEOUT: over the run's timeout). */
export function compileFailure(
  error: SkillsError,
  limits: RunLimits,
  report: IsolationReport,
  warnings: string[],
  started: number,
  displayFile: (file: string) => string = (file) => file,
): RunResult {
  const file = typeof error.data.file === "string" ? displayFile(error.data.file) : undefined;
  const line = typeof error.data.line === "number" ? error.data.line : undefined;
  const column = typeof error.data.column === "number" ? error.data.column : undefined;
  // The message starts with `file:line:col: ` as the bundler saw the file: the user's name for it goes there.
  const message =
    file !== undefined && typeof error.data.file === "string" && error.message.startsWith(`${error.data.file}:`)
      ? `${file}${error.message.slice(error.data.file.length)}`
      : error.message;
  const located = { ...(file ? { file } : {}), ...(line ? { line } : {}), ...(column ? { column } : {}) };
  // A compile error has no traceback: it is fixed where it points.
  const hint = error.code === "PROGRAM_ERROR" && file ? { hint: "fix the code at the position shown" } : {};
  const result = buildResult({
    reply: { ok: false, error: { code: error.code, message, ...located, ...hint } },
    limits,
    isolation: report.isolation,
    toolCalls: [],
    durationMs: performance.now() - started,
    hostCpuMs: 0,
    logs: { text: "", dropped: 0 },
    stderr: { text: "", dropped: 0 },
    killedBy: null,
    violation: null,
    exit: null,
    oomKilled: false,
    warnings,
  });
  if (error.code === "TIMEOUT") return { ...result, timedOut: true, killedBy: "timeout" };
  return result;
}

export function createRunner(options: RunnerOptions = {}): Runner {
  return new SandboxRunner(options);
}

let defaultRunner: Runner | undefined;

/** One fresh sandboxed process per run, no pool. */
export function runProgram(request: RunRequest): Promise<RunResult> {
  defaultRunner ??= createRunner();
  return defaultRunner.run(request);
}
