/**
 * Sessions: one live sandboxed worker keeps its namespace across executions, like a notebook kernel. Executions run
 * one at a time in order; a timeout or crash ends the session; so does idleTimeoutMs without an execution.
 */
import { randomUUID } from "node:crypto";
import { SkillsError } from "../errors.js";
import { handOff } from "./handOff.js";
import { detectIsolation } from "./isolation.js";
import { resolveLimits, rlimitProfile } from "./limits.js";
import { prepareProgram, withSdkPath } from "./program.js";
import { readableError } from "./readableError.js";
import { ensureSdk } from "./sdk.js";
import { workerOutputBytes, workerReplyBytes } from "./result.js";
import {
  DEFAULT_PYTHON,
  assertIsolation,
  compileFailure,
  processWarning,
  pythonRlimits,
  startWorker,
  withTimes,
} from "./runner.js";
import { ToolGate } from "./toolGate.js";
import type { RunResult, Session, SessionOptions } from "../contracts/run.js";
import type { SandboxWorker } from "./worker.js";

export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;

class SandboxSession implements Session {
  readonly id = randomUUID();
  readonly language: SessionOptions["language"];
  private worker: Promise<SandboxWorker> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly limits;
  private readonly gate: ToolGate;
  private cells = 0;
  closed = false;

  constructor(private readonly options: SessionOptions) {
    this.language = options.language;
    this.limits = resolveLimits(options.limits);
    // One gate for the whole session: max_tool_calls counts across executions.
    this.gate = new ToolGate({
      tools: options.tools,
      backend: options.backend,
      maxToolCalls: this.limits.maxToolCalls,
      interceptor: options.interceptor,
    });
    this.touch();
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.close(), this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
    this.idleTimer.unref();
  }

  private async start(): Promise<SandboxWorker> {
    const report = await detectIsolation();
    assertIsolation(report, this.options.requireIsolation);
    const worker = startWorker({
      language: this.language === "python" ? "python" : "node",
      isolation: report.isolation,
      profile: rlimitProfile(this.limits),
      python: this.options.python ?? DEFAULT_PYTHON,
      skillDir: this.options.skillDir,
      // The session's tool set is fixed: every cell uses this one SDK tree.
      sdkDir: await ensureSdk(this.options.tools),
    });
    await worker.ready;
    return worker;
  }

  execute(code: string): Promise<RunResult> {
    if (this.closed)
      return Promise.reject(
        new SkillsError("SANDBOX_FAILED", `session ${this.id} is closed`, { hint: "start a new session" }),
      );
    const next = this.queue.then(() => this.executeNow(code));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async executeNow(code: string): Promise<RunResult> {
    if (this.closed)
      throw new SkillsError("SANDBOX_FAILED", `session ${this.id} is closed`, { hint: "start a new session" });
    // Idle means "no execution": the clock stops while a cell runs and restarts when it ends.
    if (this.idleTimer) clearTimeout(this.idleTimer);
    try {
      return await this.executeCell(code);
    } finally {
      if (!this.closed) this.touch();
    }
  }

  private async executeCell(code: string): Promise<RunResult> {
    this.cells += 1;
    const started = performance.now();
    const warm = this.worker !== null;
    this.worker ??= this.start();
    const worker = await this.worker;
    const report = await detectIsolation();
    const cellName = this.language === "python" ? `<cell ${this.cells}>` : `cell${this.cells}.ts`;
    const prepared = await prepareProgram({
      language: this.language,
      code,
      filename: cellName,
      tools: this.options.tools,
      skillDir: this.options.skillDir,
      session: true,
      timeoutMs: this.limits.timeoutMs,
    }).catch((error: unknown) => error as Error);
    if (prepared instanceof Error) {
      const error = prepared instanceof SkillsError ? prepared : new SkillsError("PROGRAM_ERROR", prepared.message);
      return compileFailure(error, this.limits, report, [], performance.now());
    }
    const paths = worker.command.paths;
    const result = await handOff({
      worker,
      gate: this.gate,
      limits: this.limits,
      isolation: report.isolation,
      warnings: report.isolation === "process" ? [processWarning(report)] : [],
      interceptor: this.options.interceptor,
      keepAlive: true,
      params: {
        code: withSdkPath(prepared.code, paths.sdk),
        filename: prepared.filename,
        session: true,
        sdk: paths.sdk,
        paths: [paths.skill],
        maxOutputBytes: workerOutputBytes(this.limits, this.options.interceptor, true),
        maxReplyBytes: workerReplyBytes(this.limits, true),
        maxLogBytes: this.limits.maxLogBytes,
        rlimits: pythonRlimits(this.limits, report.isolation),
      },
    });
    if (!worker.alive) await this.close();
    // For the run log: a cell that started the session's worker was cold, the others ran on a live one; its time
    // covers the worker's start (for the first cell) and the cell's preparation.
    const total = performance.now() - started;
    const timed = withTimes(result, total - result.durationMs, total, warm);
    if (!timed.error) return timed;
    return {
      ...timed,
      error: readableError(timed.error, {
        language: this.language,
        ...(this.options.display ? { display: this.options.display } : {}),
        ...(prepared.sourceMap ? { sourceMap: prepared.sourceMap } : {}),
        programName: cellName,
      }),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = null;
    if (worker)
      await worker.then(
        (w) => w.dispose(),
        () => undefined,
      );
  }
}

export function createSession(options: SessionOptions): Session {
  return new SandboxSession(options);
}
