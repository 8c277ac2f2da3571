/**
 * The run log as the commands that run code use it: `openRunLog` once per command (or served client), `watch` on the
 * PII interceptor so the tool results that reach the program can be counted in tokens, `record` after each run.
 * Logging never fails a run: any error (a full disk, a read-only folder) becomes one warning per logger, and the run's
 * result stands. With `logRuns: false` every method is a no-op.
 */
import { randomBytes } from "node:crypto";
import type { ToolCallInterceptor } from "../../contracts/run.js";
import { RUN_RECORD_VERSION, type RunKind, type SearchRecord } from "../../contracts/runRecord.js";
import { normaliseMessage } from "../../core/metrics/normalise.js";
import { buildRunRecord, type RunFigures } from "../../core/metrics/record.js";
import type { TokenCounter } from "../../core/metrics/tokens.js";
import { detectInString } from "../../core/pii/detect.js";
import { policyFromManifest } from "../../core/pii/policy.js";
import type { ProjectConfig } from "../../store/config.js";
import { appendRecordLine, asciiJson } from "../../store/runLog/append.js";
import { codeSha256, storeRunCode } from "../../store/runLog/code.js";
import { loadCachedTokenCounter, persistTokenTable } from "../../store/runLog/tokenCache.js";

export interface OpenRunLogOptions {
  kind: RunKind;
  /** Who asked: `cli` (default), or an MCP client's name for served calls. */
  client?: string;
}

export interface RunFacts {
  language: string;
  skill?: { name: string; version: string };
  case?: string;
  /** The program text of exec runs and repl cells: hashed; kept beside the log for exec runs. */
  code?: string;
  /** The run's input: only the size of its JSON is logged. */
  input?: unknown;
  /** The interceptor the run used, when several runs share the logger at once (test cases); default: the last watched. */
  interceptor?: ToolCallInterceptor;
}

export interface RecordOutcome {
  /** The run's id in the log (`skills new --from-run <id>`); absent when nothing was written. */
  runId?: string;
  warnings: string[];
}

export interface RunLogger {
  readonly enabled: boolean;
  /** Lets the logger see what each tool call returned to the program (after PII tokenization). Returns it. */
  watch<T extends ToolCallInterceptor | undefined>(interceptor: T): T;
  /** Appends the run's record; resolves to its id (when written) and warnings (at most one per logger); never rejects. */
  record(run: RunFigures, facts: RunFacts): Promise<RecordOutcome>;
}

const DISABLED: RunLogger = {
  enabled: false,
  watch: (interceptor) => interceptor,
  record: async () => ({ warnings: [] }),
};

const shared = new WeakMap<ProjectConfig, Map<string, RunLogger>>();

/** One logger per loaded config and kind: a command whose runs go through several modules shares it (one warning). */
export function sharedRunLog(config: ProjectConfig, options: OpenRunLogOptions): RunLogger {
  let byKind = shared.get(config);
  if (!byKind) {
    byKind = new Map();
    shared.set(config, byKind);
  }
  const key = `${options.kind}\0${options.client ?? "cli"}`;
  let logger = byKind.get(key);
  if (!logger) {
    logger = openRunLog(config, options);
    byKind.set(key, logger);
  }
  return logger;
}

export function newRunId(): string {
  return `r_${randomBytes(8).toString("hex")}`;
}

export function openRunLog(config: ProjectConfig, options: OpenRunLogOptions): RunLogger {
  if (!config.logRuns) return DISABLED;
  const settings = config.runLog;
  // The token table loads from the cache in milliseconds; without one (the first run in a project) it is built in
  // slices while servers and the sandbox start, and cached after the record is written.
  const counter = loadCachedTokenCounter(config.cacheDir).catch(() => undefined);
  // Tool results each watched interceptor passed to its program since its last record.
  const seen = new WeakMap<ToolCallInterceptor, unknown[]>();
  let lastWatched: ToolCallInterceptor | undefined;
  let warned = false;
  const warnOnce = (message: string): string[] => {
    if (warned) return [];
    warned = true;
    return [message];
  };
  return {
    enabled: true,
    watch(interceptor) {
      if (!interceptor) return interceptor;
      const afterCall = interceptor.afterCall.bind(interceptor);
      const results: unknown[] = [];
      seen.set(interceptor, results);
      lastWatched = interceptor;
      // The same object keeps its other hooks and fields (the sandbox reads the PII policy off it).
      interceptor.afterCall = (server, tool, result, args) => {
        const out = afterCall(server, tool, result, args);
        results.push(out);
        return out;
      };
      return interceptor;
    },
    async record(run, facts) {
      const watched = facts.interceptor ?? lastWatched;
      const buffer = watched ? seen.get(watched) : undefined;
      const results = buffer ? buffer.splice(0) : [];
      const warnings: string[] = [];
      try {
        const tokens = await counter;
        const resultText = run.ok ? (JSON.stringify(run.result ?? null) ?? "null") : "";
        const sha = facts.code !== undefined ? codeSha256(facts.code) : undefined;
        // The record is worth writing even when the code cannot be kept (a read-only code/ folder).
        let codeProblem: string | undefined;
        if (sha && facts.code !== undefined && options.kind === "exec") {
          try {
            codeProblem = keepCode(settings.path, facts.code, facts.language, sha);
          } catch (error) {
            codeProblem = `the program's code could not be kept beside the run log (${describe(error)}), so \`skills new --from-run\` cannot use this run`;
          }
        }
        const id = newRunId();
        const record = buildRunRecord(run, {
          id,
          time: new Date(),
          kind: options.kind,
          client: options.client ?? "cli",
          language: facts.language,
          ...(facts.skill ? { skill: facts.skill.name, version: facts.skill.version } : {}),
          ...(facts.case !== undefined ? { case: facts.case } : {}),
          ...(sha ? { codeSha256: sha } : {}),
          warm: run.warm === true,
          startupMs: run.startupMs ?? 0,
          tokensIn: countAll(tokens, results),
          tokensOut: tokens ? tokens.count(resultText) : 0,
          resultBytes: Buffer.byteLength(resultText),
          ...(facts.input !== undefined ? { inputBytes: Buffer.byteLength(JSON.stringify(facts.input) ?? "") } : {}),
        });
        appendRecordLine(settings, asciiJson(record));
        await persistTokenTable(config.cacheDir);
        if (codeProblem) warnings.push(...warnOnce(codeProblem));
        return { runId: id, warnings };
      } catch (error) {
        const why = describe(error);
        warnings.push(
          ...warnOnce(
            `the run log could not be written (${why}); the run itself is unaffected — see logRuns in skills.config.json`,
          ),
        );
      }
      return { warnings };
    },
  };
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

function countAll(counter: TokenCounter | undefined, results: unknown[]): number {
  if (!counter) return 0;
  let total = 0;
  for (const result of results) total += counter.count(JSON.stringify(result ?? null) ?? "null");
  return total;
}

const CODE_POLICY = policyFromManifest(undefined, "strict");

/**
 * Keeps the exec program beside the log, unless it holds what looks like personal data or a secret (an API key typed
 * into the code): that never goes to a file. Returns a warning when the code was not kept.
 */
function keepCode(logPath: string, code: string, language: string, sha: string): string | undefined {
  const found = detectInString(code, CODE_POLICY);
  if (found.length > 0) {
    const types = [...new Set(found.map((match) => match.type))].join(", ");
    return `the program holds what looks like personal data or a secret (${types}), so its code was not kept beside the run log; \`skills new --from-run\` cannot use this run`;
  }
  storeRunCode(logPath, code, language, sha);
  return undefined;
}

/**
 * For `skills serve`: a logger for one MCP client's calls (`execute_code`, running a skill), named after the client
 * (its `clientInfo.name`), so `skills metrics` and `skills insights` can tell agents apart.
 *
 *   const log = openServedRunLog(config, clientInfo.name);
 *   const interceptor = log.watch(createPiiInterceptor(policy));
 *   ... run ...
 *   const { runId, warnings } = await log.record(run, { language, code, input });
 */
export function openServedRunLog(config: ProjectConfig, clientName: string): RunLogger {
  return sharedRunLog(config, { kind: "serve", client: cleanClientName(clientName) });
}

/**
 * For `skills serve`: one record per tool or skill search an agent made, with the query's values taken out and the
 * number of results; `skills insights` reports queries that keep finding nothing. Never throws; returns a warning.
 */
export function recordSearch(config: ProjectConfig, clientName: string, query: string, results: number): string[] {
  if (!config.logRuns) return [];
  const record: SearchRecord = {
    v: RUN_RECORD_VERSION,
    id: newRunId(),
    time: new Date().toISOString(),
    kind: "search",
    client: cleanClientName(clientName),
    query: normaliseMessage(query),
    results,
  };
  try {
    appendRecordLine(config.runLog, asciiJson(record));
    return [];
  } catch (error) {
    return [`the run log could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`];
  }
}

/** A client's self-chosen name as a bounded label: printable, at most 64 characters. */
export function cleanClientName(name: string): string {
  const cleaned = name
    .replace(/[^\w.@/ -]/g, "")
    .trim()
    .slice(0, 64);
  return cleaned || "unknown";
}
