/**
 * The one way a command runs code: project config, the tools it may call (servers started on first call), a PII
 * interceptor per run (a fresh token vault each), a runner or a session, and one place that learns about every
 * finished run. `skills run`, `exec`, `repl` and `test` open an execution; so will `skills serve`.
 */
import type { ManifestPrivacy, SkillLanguage } from "../../contracts/skill.js";
import type { PiiMode } from "../../contracts/privacy.js";
import type {
  RunRequest,
  RunResult,
  Runner,
  RunnerOptions,
  Session,
  SessionOptions,
  ToolCallInterceptor,
} from "../../contracts/run.js";
import type { ToolBackend, ToolInfo } from "../../contracts/tools.js";
import { createPiiInterceptor, type PiiInterceptor, policyFromManifest } from "../../core/pii/index.js";
import { displayPath } from "../../core/paths.js";
import { createRunner, createSession, DEFAULT_LIMITS } from "../../sandbox/index.js";
import { explainFailure } from "./explain.js";
import { loadProjectConfig, type ProjectConfig } from "../../store/config.js";
import { openToolset, type OpenToolsetOptions, type Toolset } from "./toolset.js";

/** What started a run: the command, or the server's tool. */
export type RunKind = "run" | "exec" | "repl" | "test" | "serve";

/** One finished run (or session cell), as the run log and other observers see it. */
export interface ExecutionRecord {
  kind: RunKind;
  language: SkillLanguage;
  /** The skill that ran, when it was one. */
  skill?: { name: string; version: string };
  /** The program text of an exec or a cell (observers hash it; it is never stored). */
  code?: string;
  /** Epoch milliseconds when the run was handed to the sandbox. */
  startedAt: number;
  /** Timings, tool calls, isolation, PII counts (`pii`): everything is in the run's result. */
  result: RunResult;
}

export type RunObserver = (record: ExecutionRecord) => void;

/** What every command that runs code takes from its caller (the CLI's shared options). */
export interface RunSettings {
  cwd: string;
  /** Path of the .mcp.json to use instead of the nearest one. */
  configPath?: string;
  /** PII tokenization mode; default: a skill's privacy.mode, else the project's `pii`. */
  pii?: PiiMode;
  /** Refuse to run without bwrap isolation; default: the project's requireIsolation. */
  requireIsolation?: boolean;
  /** Wall-clock limit of each run (a skill's limits.timeout_ms otherwise). */
  timeoutMs?: number;
  /** Told what slow step is under way (the CLI shows it on a terminal). */
  onStatus?: (message: string) => void;
}

/** The execution options that follow from a command's settings. */
export function fromSettings(kind: RunKind, settings: RunSettings): OpenExecutionOptions {
  return {
    kind,
    cwd: settings.cwd,
    ...(settings.configPath !== undefined ? { configPath: settings.configPath } : {}),
    ...(settings.pii !== undefined ? { pii: settings.pii } : {}),
    ...(settings.requireIsolation !== undefined ? { requireIsolation: settings.requireIsolation } : {}),
    ...(settings.onStatus ? { onStatus: settings.onStatus } : {}),
  };
}

export interface OpenExecutionOptions {
  kind: RunKind;
  cwd: string;
  /** The project config when the caller has it already; else read from cwd. */
  config?: ProjectConfig;
  /** The .mcp.json to use instead of the nearest one. */
  configPath?: string;
  /** Tools every run of this execution may call. Leave out when each run brings its own (`skills test`). */
  tools?: Pick<OpenToolsetOptions, "keys" | "ranges" | "all">;
  /** --pii; a skill's privacy.mode and then the project's `pii` apply when it is not given. */
  pii?: PiiMode;
  /** --require-isolation; else the project's requireIsolation. */
  requireIsolation?: boolean;
  /** Warm workers per language (`skills test` runs many cases). */
  pool?: RunnerOptions["pool"];
  /** A runner to use instead of one of our own (benchmarks); close() leaves it open. */
  runner?: Runner;
  /** Told what slow step is under way (the CLI shows it on a terminal). */
  onStatus?: (message: string) => void;
  /** Told about every finished run and cell. */
  onRun?: RunObserver;
}

/** A run as a command asks for it: tools, backend, isolation and interceptor come from the execution. */
export type ExecutionRequest = Omit<RunRequest, "tools" | "backend" | "requireIsolation" | "interceptor"> & {
  /** The skill that runs (for the record). */
  skill?: { name: string; version: string };
  /** The skill's privacy block: its mode and detectors (else the command's and the project's). */
  privacy?: ManifestPrivacy;
  /** Tools and backend of this run only (a cassette replay); default: the execution's. */
  tools?: ToolInfo[];
  backend?: ToolBackend;
  /** An interceptor the caller made with `interceptor()` (to scrub what it prints afterwards). */
  interceptor?: ToolCallInterceptor;
};

export type ExecutionSessionRequest = Pick<
  SessionOptions,
  "language" | "limits" | "idleTimeoutMs" | "skillDir" | "display"
> & {
  skill?: { name: string; version: string };
  privacy?: ManifestPrivacy;
};

export interface Execution {
  readonly config: ProjectConfig;
  readonly requireIsolation: boolean;
  /** The tools asked for in `tools`, resolved (empty when none were). */
  readonly tools: ToolInfo[];
  readonly backend?: ToolBackend;
  /** Things to tell the user (a server version outside a declared range, ...). */
  readonly warnings: string[];
  /** A fresh PII interceptor (its own token vault). Throws SkillsError for a privacy block it cannot apply. */
  interceptor(privacy?: ManifestPrivacy): PiiInterceptor;
  /** Runs one program in a fresh sandboxed process. */
  run(request: ExecutionRequest): Promise<RunResult>;
  /** A session: one live worker that keeps its namespace across executions. The caller closes it. */
  openSession(request: ExecutionSessionRequest): Session;
  /** Closes the runner (unless it was given) and the servers that were started. */
  close(): Promise<void>;
}

export async function openExecution(options: OpenExecutionOptions): Promise<Execution> {
  const config = options.config ?? (await loadProjectConfig(options.cwd));
  const requireIsolation = options.requireIsolation ?? config.requireIsolation;
  const toolset: Toolset = options.tools
    ? await openToolset({
        ...options.tools,
        cwd: options.cwd,
        configPath: options.configPath,
        cacheDir: config.cacheDir,
        onStatus: options.onStatus,
      })
    : { tools: [], servers: [], warnings: [], close: async () => {} };
  const newRunner = () =>
    createRunner({ python: config.python, requireIsolation, ...(options.pool ? { pool: options.pool } : {}) });
  // A warm pool starts filling now, while the caller prepares its runs; a plain runner is made on first use.
  let runner = options.runner ?? (options.pool ? newRunner() : undefined);
  const interceptor = (privacy?: ManifestPrivacy) =>
    createPiiInterceptor(policyFromManifest(privacy, options.pii, config.pii));
  // The single place that sees every run: the run log appends its record here.
  const finished = (record: ExecutionRecord): void => {
    options.onRun?.(record);
  };

  return {
    config,
    requireIsolation,
    tools: toolset.tools,
    ...(toolset.backend ? { backend: toolset.backend } : {}),
    warnings: toolset.warnings,
    interceptor,
    async run(request) {
      const { skill, privacy, tools, backend, interceptor: given, ...rest } = request;
      runner ??= newRunner();
      const startedAt = Date.now();
      const runTools = tools ?? toolset.tools;
      const ran = await runner.run({
        ...rest,
        ...displayOf(rest, options.cwd),
        tools: runTools,
        backend: backend ?? toolset.backend,
        requireIsolation,
        interceptor: given ?? interceptor(privacy),
      });
      // A failure says which rule of the sandbox it met and what to change (the manifest line to add, ...).
      const result = ran.error
        ? {
            ...ran,
            error: await explainFailure(ran.error, {
              language: request.language,
              cwd: options.cwd,
              ...(options.configPath ? { configPath: options.configPath } : {}),
              cacheDir: config.cacheDir,
              ...(request.skill && request.skillDir ? { skillDir: request.skillDir } : {}),
              declared: runTools.map((tool) => `${tool.server}/${tool.name}`),
              maxToolCalls: request.limits?.maxToolCalls ?? DEFAULT_LIMITS.maxToolCalls,
            }),
          }
        : ran;
      finished({ kind: options.kind, language: request.language, ...describe(request), startedAt, result });
      return result;
    },
    openSession(request) {
      const session = createSession({
        language: request.language,
        tools: toolset.tools,
        backend: toolset.backend,
        ...(request.limits ? { limits: request.limits } : {}),
        ...(request.idleTimeoutMs !== undefined ? { idleTimeoutMs: request.idleTimeoutMs } : {}),
        ...(request.skillDir ? { skillDir: request.skillDir } : {}),
        ...displayOf(request, options.cwd),
        python: config.python,
        requireIsolation,
        interceptor: interceptor(request.privacy),
      });
      return observeSession(session, (code, startedAt, result) =>
        finished({
          kind: options.kind,
          language: request.language,
          ...(request.skill ? { skill: request.skill } : {}),
          code,
          startedAt,
          result,
        }),
      );
    },
    async close() {
      try {
        if (runner && runner !== options.runner) await runner.close();
      } finally {
        await toolset.close();
      }
    },
  };
}

/** Errors name the skill folder as the user does (relative to the working folder), unless the caller said. */
function displayOf(
  request: { skillDir?: string; display?: RunRequest["display"] },
  cwd: string,
): Pick<RunRequest, "display"> {
  if (request.display) return { display: request.display };
  return request.skillDir ? { display: { skillDir: displayPath(request.skillDir, cwd) } } : {};
}

function describe(request: ExecutionRequest): Pick<ExecutionRecord, "skill" | "code"> {
  return {
    ...(request.skill ? { skill: request.skill } : {}),
    ...(request.code !== undefined ? { code: request.code } : {}),
  };
}

/** The session as is, with every execution reported when it finishes. */
function observeSession(
  session: Session,
  report: (code: string, startedAt: number, result: RunResult) => void,
): Session {
  return {
    get id() {
      return session.id;
    },
    get language() {
      return session.language;
    },
    get closed() {
      return session.closed;
    },
    async execute(code) {
      const startedAt = Date.now();
      const result = await session.execute(code);
      report(code, startedAt, result);
      return result;
    },
    close: () => session.close(),
  };
}
