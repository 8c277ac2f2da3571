/**
 * Runs one program on a ready worker: sets the run's cgroup limits, attaches the tool gate to the bridge, sends
 * "execute", enforces the wall-clock timeout (killing the whole tree), and builds the RunResult.
 */
import type { JsonObject } from "../contracts/json.js";
import { type ExecuteParams, type ExecuteResult, asExecuteResult } from "./protocol.js";
import { buildResult } from "./result.js";
import type { ToolGate } from "./toolGate.js";
import type { Isolation, RunLimits, RunResult, ToolCallInterceptor } from "../contracts/run.js";
import type { SandboxWorker } from "./worker.js";

export interface HandOffOptions {
  worker: SandboxWorker;
  gate: ToolGate;
  limits: RunLimits;
  params: ExecuteParams;
  isolation: Isolation;
  warnings: string[];
  outputSchema?: JsonObject;
  interceptor?: ToolCallInterceptor;
  signal?: AbortSignal;
  /** Session: the worker lives on after the answer. */
  keepAlive?: boolean;
}

/**
 * Waits for `promise`, at most `ms`. The timer is not unref'd: while a run waits here it may be the only thing left
 * in node's event loop (the worker gone, its pipes closed), and an unref'd one would let the process end mid-wait
 * (exit code 13 under a top-level await). It is cleared as soon as the promise settles.
 */
async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Memory the cgroup allows: node's heap flag handles the heap, the cgroup adds room for the runtime itself. */
export function cgroupMemoryBytes(limits: RunLimits, language: "python" | "node"): number {
  const extraMb = language === "node" ? 96 : 16;
  return (limits.memoryMb + extraMb) * 1024 * 1024;
}

export async function handOff(options: HandOffOptions): Promise<RunResult> {
  const { worker, gate, limits } = options;
  const started = performance.now();
  worker.stdout.limit = limits.maxLogBytes;
  worker.stderr.limit = limits.maxLogBytes;
  // Threads count as processes; leave room for the interpreter's own (node has about ten).
  worker.cgroup?.setLimits(cgroupMemoryBytes(limits, worker.spec.language), limits.maxProcesses + 16);
  const cpuBefore = worker.cgroup?.cpuMs() ?? null;
  gate.onAbuse = (reason) => worker.kill("bridge", reason);
  gate.begin();
  worker.bridge.startRun();
  worker.bridge.attach({
    onRequest: async (method, params) =>
      method === "tools/call"
        ? gate.call(params)
        : {
            error: { code: -32601, message: `unknown method ${method.slice(0, 64)}` },
            refused: `a request for the unknown method "${method.slice(0, 64)}"`,
          },
    onNotification: () => undefined,
    onViolation: (reason) => worker.kill("bridge", reason),
  });
  const timer = setTimeout(() => worker.kill("timeout"), limits.timeoutMs);
  const abort = (): void => worker.kill("signal", "the run was cancelled by its caller (AbortSignal)");
  options.signal?.addEventListener("abort", abort, { once: true });
  if (options.signal?.aborted) abort();
  let reply: ExecuteResult | null = null;
  try {
    const answer = await Promise.race([
      worker.bridge.request("execute", options.params),
      worker.exited.then(() => null),
    ]);
    if (answer && !answer.error && answer.result !== undefined) {
      // Only the answer to the host's own request (its id is random), and only in the shape the worker sends.
      reply = asExecuteResult(answer.result);
      if (!reply) worker.kill("bridge", "the answer to execute is not a worker's answer");
    }
    if (!options.keepAlive) {
      // After an answer the worker has written its end marker to stdout and stderr: the logs are complete once both
      // arrive (no need to wait for the process to exit). Without an answer, wait for the exit.
      const logsComplete = Promise.all([worker.stdout.complete, worker.stderr.complete]);
      await waitAtMost(reply ? logsComplete : worker.exited, reply ? 1000 : 5000);
    }
    if (!reply && worker.exit === null) {
      // No answer, the bridge is gone, yet the process lives on (it closed its end of the bridge): end it.
      worker.kill("bridge", "the program closed the bridge without answering");
      await waitAtMost(worker.exited, 2000);
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", abort);
  }
  const cpuAfter = worker.cgroup?.cpuMs() ?? null;
  const memoryPeak = worker.cgroup?.memoryPeakBytes() ?? null;
  const session = options.keepAlive === true;
  const logs =
    session && reply
      ? { text: reply.logs ?? "", dropped: reply.logsDropped ?? 0 }
      : { text: worker.stdout.text(), dropped: worker.stdout.dropped };
  const stderr =
    session && reply
      ? { text: reply.stderr ?? "", dropped: reply.stderrDropped ?? 0 }
      : { text: worker.stderr.text(), dropped: worker.stderr.dropped };
  const result = buildResult({
    reply: worker.killedBy ? (reply?.ok ? reply : null) : reply,
    limits,
    isolation: options.isolation,
    toolCalls: gate.records.splice(0),
    durationMs: performance.now() - started,
    // A counter that went backwards (a cgroup that was reset or could not be read) is no measure: the worker's is.
    hostCpuMs: cpuBefore !== null && cpuAfter !== null && cpuAfter >= cpuBefore ? cpuAfter - cpuBefore : null,
    logs,
    stderr,
    killedBy: reply?.ok ? null : worker.killedBy,
    violation: worker.violation,
    exit: worker.exit,
    oomKilled: worker.cgroup?.oomKilled() ?? false,
    outputSchema: options.outputSchema,
    interceptor: options.interceptor,
    warnings: options.warnings,
  });
  // For the run log; a session's cgroup lives across cells, so its peak is the session's so far.
  if (memoryPeak !== null) result.memoryPeakBytes = memoryPeak;
  return result;
}
