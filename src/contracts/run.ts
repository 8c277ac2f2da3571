/**
 * The execution contract: what a caller (skills run / exec / test / serve) hands the sandbox, and the one result
 * object it gets back (DESIGN.md, "Execution").
 */
import type { JsonObject } from "./json.js";
import type { ToolBackend, ToolInfo } from "./tools.js";
import type { PiiAudit } from "./privacy.js";
import type { SkillLanguage } from "./skill.js";

export type Isolation = "bwrap" | "process";
export type KilledBy = "timeout" | "cpu" | "memory" | "pids" | "output" | "signal" | "bridge" | null;

export interface RunLimits {
  timeoutMs: number;
  memoryMb: number;
  maxToolCalls: number;
  maxOutputBytes: number;
  /** CPU seconds budget in ms (RLIMIT_CPU); tool wait time does not count. */
  cpuMs: number;
  maxProcesses: number;
  maxFileBytes: number;
  maxOpenFiles: number;
  /** Cap on captured stdout/stderr each. */
  maxLogBytes: number;
}

/**
 * Hooks the bridge calls around every tool call (PII tokenization implements these). beforeCall may rewrite the
 * arguments (restore tokens); afterCall may rewrite the result (tokenize values); checkOutput may refuse a result.
 */
export interface ToolCallInterceptor {
  beforeCall(server: string, tool: string, args: JsonObject): JsonObject;
  /** `args`: the arguments as the program sent them (before beforeCall), for the call this result answers. */
  afterCall(server: string, tool: string, result: unknown, args?: JsonObject): unknown;
  /** Told each result as the program receives it: the JSON text the bridge sends (afterCall's value, serialized). */
  delivered?(server: string, tool: string, resultJson: string): void;
  /** Scrub or check text that leaves the run (result, logs, errors). Throws SkillsError PII_LEAK to refuse. */
  checkOutput?(value: unknown): unknown;
  /** Replace known or detected values in text the host itself sends to the program (tool error messages). */
  scrub?(text: string): string;
  /** Summary for the run record (counts only, never values). */
  audit?(): PiiAudit;
}

export interface RunRequest {
  language: SkillLanguage;
  /** Program source text (for exec / repl); or entryFile inside skillDir (for run). */
  code?: string;
  entryFile?: string;
  /** Mounted read-only in the sandbox. */
  skillDir?: string;
  input?: unknown;
  /** The tools the program may call (their schemas drive the SDK and argument validation). */
  tools: ToolInfo[];
  backend?: ToolBackend;
  limits?: Partial<RunLimits>;
  /** Result is validated against it; a mismatch fails the run with the pointer. */
  outputSchema?: JsonObject;
  requireIsolation?: boolean;
  interceptor?: ToolCallInterceptor;
  signal?: AbortSignal;
  /**
   * How the user names what runs: the skill folder (`skills/find-todos`) and a program that is not a skill's file
   * (an exec's `--file`). A failed run's traceback and location use these names, not the sandbox's /skill.
   */
  display?: { skillDir?: string; program?: string };
  /** Told once the program's process is starting (or a pooled one taken): work that can overlap it goes here. */
  onStarted?: () => void;
}

export interface ToolCallRecord {
  tool: string;
  /** When the call started, in ms after the program was handed the run (calls of one program may overlap). */
  startMs?: number;
  ms: number;
  /**
   * Of `ms`, how long the call waited for its server to start and connect before the request went out (only when it
   * did: a program may make its first call while the server is still starting).
   */
  waitMs?: number;
  ok: boolean;
  bytesIn: number;
  bytesOut: number;
  error?: string;
}

export interface RunError {
  code: string;
  message: string;
  pointer?: string;
  /** Program traceback, when the program raised: paths as the user names them (RunRequest.display). */
  stack?: string;
  /** Where the program failed: the innermost frame in the user's own code (1-based line and column). */
  file?: string;
  line?: number;
  column?: number;
  /** That line of source, trimmed. */
  source?: string;
  /** What to do about it, when the failure has a specific remedy (PII_LEAK). */
  hint?: string;
  /** PII_LEAK: which part of the run's output held personal data, and how many values of each type. */
  part?: OutputPart;
  types?: Record<string, number>;
}

/** The parts of a run that leave it, in the order the PII check looks at them. */
export type OutputPart = "result" | "logs" | "stderr" | "error";

export interface RunResult {
  ok: boolean;
  result?: unknown;
  error?: RunError;
  /** Captured stdout of the program. */
  logs: string;
  stderr: string;
  timedOut: boolean;
  killedBy: KilledBy;
  /** The whole run: sandbox start, program preparation and the program (startupMs + programMs). */
  durationMs: number;
  cpuMs: number;
  isolation: Isolation;
  toolCalls: ToolCallRecord[];
  /** Set when result or logs were cut to the budget; the notice says how much. */
  truncated?: { result?: string; logs?: string; stderr?: string };
  /** What PII tokenization did in this run (counts only), when an interceptor ran. */
  pii?: PiiAudit;
  /** Start of the run to the hand-off to a ready worker (program preparation, interpreter start when cold). */
  startupMs?: number;
  /** The program's own time: hand-off to its answer. */
  programMs?: number;
  /** True when a pre-spawned worker (or a session's live one) took the run. */
  warm?: boolean;
  /** Peak memory of the run's processes, where the host reports it (a memory cgroup). */
  memoryPeakBytes?: number;
  /** The run's id in the run log (`skills new --from-run <id>`), when its record was written. */
  runId?: string;
  /** Why the run's record could not be written (said once per execution; the run itself stands). */
  runLogWarning?: string;
  /** Things the caller should tell the user, e.g. that the run had only process isolation. */
  warnings?: string[];
}

/** What isolation this machine gives (`skills doctor`). */
export interface IsolationReport {
  isolation: Isolation;
  bwrap: { path: string; version: string } | null;
  userns: boolean;
  setpriv: boolean;
  prlimit: boolean;
  cgroup: { version: 1 | 2 | null; memory: boolean; pids: boolean; path?: string };
  /** Why the isolation is what it is (one line each). */
  reasons: string[];
}

export interface RunnerOptions {
  /** Warm workers kept per language (0 or absent: every run starts cold). */
  pool?: { python?: number; typescript?: number };
  /** Python interpreter (default /usr/bin/python3). */
  python?: string;
  /** Refuse to run without bwrap isolation (SANDBOX_UNAVAILABLE). */
  requireIsolation?: boolean;
}

export interface Runner {
  run(request: RunRequest): Promise<RunResult>;
  /** Warm workers ready right now, per language. */
  poolSize(): { python: number; typescript: number };
  close(): Promise<void>;
}

export interface SessionOptions {
  language: SkillLanguage;
  tools: ToolInfo[];
  backend?: ToolBackend;
  limits?: Partial<RunLimits>;
  /** The session ends after this long without an execution (default 10 minutes). */
  idleTimeoutMs?: number;
  interceptor?: ToolCallInterceptor;
  python?: string;
  requireIsolation?: boolean;
  /** Mounted read-only at /skill. */
  skillDir?: string;
  /** How the user names the skill folder, for tracebacks (as RunRequest.display). */
  display?: { skillDir?: string; program?: string };
}

export interface Session {
  readonly id: string;
  readonly language: SkillLanguage;
  /** Runs one cell in the session's namespace; result is the cell's value (Python: last expression or `result`). */
  execute(code: string): Promise<RunResult>;
  readonly closed: boolean;
  close(): Promise<void>;
}
