/**
 * The one way a command runs code: project config, the tools it may call (servers started on first call), a PII
 * interceptor per run (a fresh token vault each), a runner or a session, and one place that learns about every
 * finished run: `finished()`, which appends the run's record to the run log and tells `onRun`. `skills run`, `exec`,
 * `repl`, `test` and `skills serve` open an execution (serve with the MCP client's name on each run: `client`).
 */
import type { ManifestPrivacy } from "../../contracts/skill.js";
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
import type { ExecutionRecord, RunKind } from "../../contracts/runRecord.js";
import type { ToolBackend, ToolInfo } from "../../contracts/tools.js";
import { combineRuns } from "../../core/metrics/record.js";
import { createPiiInterceptor, type PiiInterceptor, policyFromManifest } from "../../core/pii/index.js";
import { displayPath } from "../../core/paths.js";
import { DEFAULT_LIMITS } from "../../sandbox/limits.js";
import { createRunner } from "../../sandbox/runner.js";
import { createSession } from "../../sandbox/session.js";
import { isSkillsError } from "../../errors.js";
import { explainFailure } from "./explain.js";
import { loadProjectConfig, type ProjectConfig } from "../../store/config.js";
import { cleanClientName, newRunId, type RecordOutcome, openRunLog } from "./runLog.js";
import { openToolset, type OpenToolsetOptions, type Toolset } from "./toolset.js";

export type { ExecutionRecord, RunKind };

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
  /** Tools the caller opened already (`skills serve` keeps its servers connected); close() leaves them open. */
  toolset?: Toolset;
  /** Told what slow step is under way (the CLI shows it on a terminal). */
  onStatus?: (message: string) => void;
  /** Told about every finished run and cell (after its record is in the run log). */
  onRun?: RunObserver;
  /** Who the runs are for: `cli` (default), or an MCP client's name (`skills serve`); the run log keeps it. */
  client?: string;
}

/** A run as a command asks for it: tools, backend, isolation and interceptor come from the execution. */
export type ExecutionRequest = Omit<RunRequest, "tools" | "backend" | "requireIsolation" | "interceptor"> & {
  /** The skill that runs (for the record). */
  skill?: { name: string; version: string };
  /** The test case that runs (for the record). */
  case?: string;
  /** The skill's privacy block: its mode and detectors (else the command's and the project's). */
  privacy?: ManifestPrivacy;
  /** Tools and backend of this run only (a cassette replay); default: the execution's. */
  tools?: ToolInfo[];
  backend?: ToolBackend;
  /** An interceptor the caller made with `interceptor()` (to scrub what it prints afterwards). */
  interceptor?: ToolCallInterceptor;
  /** Who asked (for the record): the MCP client's name in `skills serve`; default: the execution's `client`. */
  client?: string;
};

export type ExecutionSessionRequest = Pick<
  SessionOptions,
  "language" | "limits" | "idleTimeoutMs" | "skillDir" | "display"
> & {
  skill?: { name: string; version: string };
  privacy?: ManifestPrivacy;
  /** Tools of this session only; default: the execution's. */
  tools?: ToolInfo[];
  /** Who asked, for the records of its cells; default: the execution's `client`. */
  client?: string;
  /**
   * The cells are one run (`skills run --cells`: one run of the skill): one record when the session closes, the cells
   * added up, whose id and run-log warning go on the last cell's result. Default: a record per cell (`skills repl`).
   */
  oneRun?: boolean;
  /** The input of a `oneRun` session (only the size of its JSON is logged). */
  input?: unknown;
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
  /** Runs one program in a fresh sandboxed process; its record is in the run log when this resolves (`runId`). */
  run(request: ExecutionRequest): Promise<RunResult>;
  /** A session: one live worker that keeps its namespace across executions. The caller closes it. */
  openSession(request: ExecutionSessionRequest): Session;
  /** Closes the runner (unless it was given) and the servers that were started. */
  close(): Promise<void>;
}

export async function openExecution(options: OpenExecutionOptions): Promise<Execution> {
  const config = options.config ?? (await loadProjectConfig(options.cwd));
  const requireIsolation = options.requireIsolation ?? config.requireIsolation;
  const toolset: Toolset = options.toolset
    ? options.toolset
    : options.tools
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
  const runLog = openRunLog(config);
  const client = cleanClientName(options.client ?? "cli");
  // A served execution runs for many clients: each run or session may name its own.
  const clientOf = (asker: string | undefined) => (asker === undefined ? client : cleanClientName(asker));
  // The single place that sees every run: its record goes to the run log (which never throws), then to the observer.
  const finished = async (record: ExecutionRecord, watched?: ToolCallInterceptor): Promise<RecordOutcome> => {
    const logged = await runLog.record(record, watched);
    options.onRun?.(record);
    return logged;
  };
  const facts = (language: ExecutionRecord["language"], startedAt: number, asker: string | undefined) => ({
    id: newRunId(),
    kind: options.kind,
    client: clientOf(asker),
    language,
    startedAt,
  });

  return {
    config,
    requireIsolation,
    tools: toolset.tools,
    ...(toolset.backend ? { backend: toolset.backend } : {}),
    warnings: toolset.warnings,
    interceptor,
    async run(request) {
      const { skill, privacy, tools, backend, interceptor: given, case: caseName, client: asker, ...rest } = request;
      runner ??= newRunner();
      const watched = runLog.watch(given ?? interceptor(privacy));
      const startedAt = Date.now();
      const record = {
        ...facts(request.language, startedAt, asker),
        ...(skill ? { skill } : {}),
        ...(caseName !== undefined ? { case: caseName } : {}),
        ...(request.code !== undefined ? { code: request.code } : {}),
        ...(request.input !== undefined ? { inputBytes: jsonBytes(request.input) } : {}),
      };
      const runTools = tools ?? toolset.tools;
      let result: RunResult;
      try {
        result = await runner.run({
          ...rest,
          ...displayOf(rest, options.cwd),
          tools: runTools,
          backend: backend ?? toolset.backend,
          requireIsolation,
          interceptor: watched,
          onStarted: () => {
            runLog.prepare();
            rest.onStarted?.();
          },
        });
      } catch (error) {
        // Refused or broken before the program ran (no bwrap under requireIsolation, no interpreter): logged too.
        await finished({ ...record, error: errorOf(error) }, watched);
        throw error;
      }
      // A failure says which rule of the sandbox it met and what to change (the manifest line to add, ...).
      if (result.error) {
        result = {
          ...result,
          error: await explainFailure(result.error, {
            language: request.language,
            cwd: options.cwd,
            ...(options.configPath ? { configPath: options.configPath } : {}),
            cacheDir: config.cacheDir,
            ...(skill && request.skillDir ? { skillDir: request.skillDir } : {}),
            declared: runTools.map((tool) => `${tool.server}/${tool.name}`),
            maxToolCalls: request.limits?.maxToolCalls ?? DEFAULT_LIMITS.maxToolCalls,
          }),
        };
      }
      return withLogged(result, await finished({ ...record, result }, watched));
    },
    openSession(request) {
      const watched = runLog.watch(interceptor(request.privacy));
      runLog.prepare();
      const session = createSession({
        language: request.language,
        tools: request.tools ?? toolset.tools,
        backend: toolset.backend,
        ...(request.limits ? { limits: request.limits } : {}),
        ...(request.idleTimeoutMs !== undefined ? { idleTimeoutMs: request.idleTimeoutMs } : {}),
        ...(request.skillDir ? { skillDir: request.skillDir } : {}),
        ...displayOf(request, options.cwd),
        python: config.python,
        requireIsolation,
        interceptor: watched,
      });
      const describeCell = (code: string | undefined, startedAt: number) => ({
        ...facts(request.language, startedAt, request.client),
        ...(request.skill ? { skill: request.skill } : {}),
        ...(code !== undefined ? { code } : {}),
        ...(request.oneRun && request.input !== undefined ? { inputBytes: jsonBytes(request.input) } : {}),
      });
      return observeSession(session, request.oneRun === true, (cell) => {
        const record = describeCell(cell.code, cell.startedAt);
        return finished(cell.result ? { ...record, result: cell.result } : { ...record, error: cell.error }, watched);
      });
    },
    async close() {
      // The sandbox and the servers end side by side (each waits for processes to exit); the first failure is thrown.
      const [sandbox, servers] = await Promise.allSettled([
        runner && runner !== options.runner ? runner.close() : undefined,
        toolset !== options.toolset ? toolset.close() : undefined,
      ]);
      if (sandbox.status === "rejected") throw sandbox.reason;
      if (servers.status === "rejected") throw servers.reason;
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

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "");
}

function errorOf(error: unknown): { code: string; message: string } {
  if (isSkillsError(error)) return { code: error.code, message: error.message };
  return { code: "INTERNAL", message: error instanceof Error ? error.message : String(error) };
}

/** The result with where its record went: its id, or the warning that it could not be written. */
function withLogged(result: RunResult, logged: RecordOutcome): RunResult {
  if (logged.runId) result.runId = logged.runId;
  if (logged.warning) {
    result.runLogWarning = logged.warning;
    result.warnings = [...(result.warnings ?? []), logged.warning];
  }
  return result;
}

/** A cell as the session reports it: its code (absent for the combined run of a whole session), result or error. */
type CellReport = { code?: string; startedAt: number } & (
  | { result: RunResult; error?: undefined }
  | { result?: undefined; error: { code: string; message: string } }
);

/**
 * The session as is, with every execution reported when it finishes; with `oneRun`, the cells are gathered and
 * reported once, as one run, when the session closes.
 */
function observeSession(
  session: Session,
  oneRun: boolean,
  report: (cell: CellReport) => Promise<RecordOutcome>,
): Session {
  const cells: RunResult[] = [];
  let firstStart: number | undefined;
  let failure: { code: string; message: string } | undefined;
  let reported = false;
  const reportWhole = async () => {
    if (reported || firstStart === undefined) return;
    reported = true;
    // A cell the session could not run at all (the sandbox refused it) makes the whole run one that never ran.
    if (failure) {
      await report({ startedAt: firstStart, error: failure });
      return;
    }
    const last = cells[cells.length - 1];
    if (last) withLogged(last, await report({ startedAt: firstStart, result: combineRuns(cells) }));
  };
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
      firstStart ??= startedAt;
      let result: RunResult;
      try {
        result = await session.execute(code);
      } catch (error) {
        if (oneRun) failure ??= errorOf(error);
        else await report({ code, startedAt, error: errorOf(error) });
        throw error;
      }
      if (oneRun) {
        cells.push(result);
        return result;
      }
      return withLogged(result, await report({ code, startedAt, result }));
    },
    async close() {
      try {
        await session.close();
      } finally {
        if (oneRun) await reportWhole();
      }
    },
  };
}
