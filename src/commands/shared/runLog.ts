/**
 * The run log as `openExecution` uses it: one logger per execution, `watch` on each run's PII interceptor so the tool
 * results that reach the program can be counted in tokens, `record` when the run ends. Logging never fails a run: any
 * error (a full disk, a read-only folder) becomes one warning per logger, and the run's result stands. With
 * `logRuns: false` every method is a no-op.
 */
import { randomBytes } from "node:crypto";
import type { ToolCallInterceptor } from "../../contracts/run.js";
import { type ExecutionRecord, RUN_RECORD_VERSION, type SearchRecord } from "../../contracts/runRecord.js";
import { normaliseMessage } from "../../core/metrics/normalise.js";
import { buildRunRecord, type RunFigures } from "../../core/metrics/record.js";
import type { TokenCounter } from "../../core/metrics/tokens.js";
import { detectInString, policyFromManifest } from "../../core/pii/index.js";
import type { ProjectConfig } from "../../store/config.js";
import { appendRecordLine, asciiJson } from "../../store/runLog/append.js";
import { codeSha256, storeRunCode } from "../../store/runLog/code.js";

export interface RecordOutcome {
  /** The run's id in the log; absent when nothing was written. */
  runId?: string;
  /** Why the record (or the exec's code) could not be written; at most one per logger. */
  warning?: string;
}

export interface RunLogger {
  readonly enabled: boolean;
  /** Lets the logger see what each tool call returned to the program (after PII tokenization). Returns it. */
  watch<T extends ToolCallInterceptor | undefined>(interceptor: T): T;
  /**
   * Gets the token counter ready (its table read, its split pattern compiled): called while the sandbox starts, when
   * the host has nothing else to do. record() does it otherwise.
   */
  prepare(): void;
  /** Appends the run's record; never rejects. `interceptor`: the one watched for this run (its tool results). */
  record(record: ExecutionRecord, interceptor?: ToolCallInterceptor): Promise<RecordOutcome>;
}

const DISABLED: RunLogger = {
  enabled: false,
  watch: (interceptor) => interceptor,
  prepare: () => undefined,
  record: async () => ({}),
};

export function newRunId(): string {
  return `r_${randomBytes(8).toString("hex")}`;
}

export function openRunLog(config: ProjectConfig): RunLogger {
  if (!config.logRuns) return DISABLED;
  const settings = config.runLog;
  // Loaded on the first watched run: the table comes from the cache in milliseconds; without one (the first run in a
  // project) it is built in slices while the sandbox starts, and cached after the record is written.
  let counter: Promise<TokenCounter | undefined> | undefined;
  const tokens = () => {
    counter ??= import("../../store/runLog/tokenCache.js")
      .then(({ loadCachedTokenCounter }) => loadCachedTokenCounter(config.cacheDir))
      .catch(() => undefined);
    return counter;
  };
  // The counter once it has loaded: tool results are counted as they pass, while the run goes on.
  let ready: TokenCounter | undefined;
  // Tool results each watched interceptor passed to its program since its last record: those not counted yet, and
  // the tokens of those that were.
  const seen = new WeakMap<ToolCallInterceptor, Seen>();
  let warned = false;
  const warnOnce = (message: string): string | undefined => {
    if (warned) return undefined;
    warned = true;
    return message;
  };
  return {
    enabled: true,
    prepare() {
      // After the current turn of the event loop: the caller is starting a process, which comes first.
      setImmediate(
        () =>
          void tokens().then((counter) => {
            counter?.count("warm up");
            ready = counter;
          }),
      );
    },
    watch(interceptor) {
      if (!interceptor || seen.has(interceptor)) return interceptor;
      const delivered = interceptor.delivered?.bind(interceptor);
      const entry: Seen = { pending: [], tokens: 0, scheduled: false };
      seen.set(interceptor, entry);
      // Counted after the result has gone on to the program (the next turn of the event loop), while the program and
      // the servers work: a run with many results does not wait for all of them to be counted at its end. In slices
      // of a few milliseconds, a long result in several: the calls and answers the bridge carries meanwhile are never
      // held up for the whole count (a 90 KB result takes ~35 ms to count in a fresh process).
      const drain = () => {
        entry.scheduled = false;
        if (!ready) return;
        const deadline = performance.now() + SLICE_MS;
        const stop = () => performance.now() > deadline;
        for (;;) {
          if (!entry.counting) {
            const next = entry.pending.shift();
            if (next === undefined) return;
            entry.counting = { text: next, next: 0 };
          }
          const { tokens, next } = ready.countFrom(entry.counting.text, entry.counting.next, stop);
          entry.tokens += tokens;
          if (next < entry.counting.text.length) entry.counting.next = next;
          else entry.counting = undefined;
          if (stop()) break;
        }
        if (entry.counting || entry.pending.length > 0) {
          entry.scheduled = true;
          setImmediate(drain);
        }
      };
      // The same object keeps its other hooks and fields (the sandbox reads the PII policy off it). The text the
      // bridge sends is counted as the gate serialized it, not serialized again.
      interceptor.delivered = (server, tool, text) => {
        delivered?.(server, tool, text);
        entry.pending.push(text);
        if (ready && !entry.scheduled) {
          entry.scheduled = true;
          setImmediate(drain);
        }
      };
      return interceptor;
    },
    async record(record, interceptor) {
      const entry = interceptor ? seen.get(interceptor) : undefined;
      const results = entry?.pending.splice(0) ?? [];
      const partly = entry?.counting;
      const countedBefore = entry?.tokens ?? 0;
      if (entry) {
        entry.tokens = 0;
        entry.counting = undefined;
      }
      try {
        const counter = await tokens();
        const run: RunFigures = record.result ?? notStarted(record);
        const resultText = run.ok ? resultJson(run.result) : "";
        const sha = record.code !== undefined ? codeSha256(record.code) : undefined;
        // The record is worth writing even when the code cannot be kept (a read-only code/ folder).
        let codeProblem: string | undefined;
        if (sha && record.code !== undefined && record.kind === "exec") {
          try {
            codeProblem = keepCode(settings.path, record.code, record.language, sha);
          } catch (error) {
            codeProblem = `the program's code could not be kept beside the run log (${describe(error)}), so \`skills new --from-run\` cannot use this run`;
          }
        }
        const line = buildRunRecord(run, {
          id: record.id,
          time: new Date(),
          kind: record.kind,
          client: record.client,
          language: record.language,
          ...(record.skill ? { skill: record.skill.name, version: record.skill.version } : {}),
          ...(record.case !== undefined ? { case: record.case } : {}),
          ...(sha ? { codeSha256: sha } : {}),
          warm: run.warm === true,
          startupMs: run.startupMs ?? 0,
          tokensIn:
            countedBefore +
            (counter && partly ? counter.countFrom(partly.text, partly.next, () => false).tokens : 0) +
            countAll(counter, results),
          tokensOut: counter && resultText ? counter.count(resultText) : 0,
          resultBytes: Buffer.byteLength(resultText),
          ...(record.inputBytes !== undefined ? { inputBytes: record.inputBytes } : {}),
        });
        appendRecordLine(settings, asciiJson(line));
        const { persistTokenTable } = await import("../../store/runLog/tokenCache.js");
        await persistTokenTable(config.cacheDir);
        const warning = codeProblem ? warnOnce(codeProblem) : undefined;
        return { runId: record.id, ...(warning ? { warning } : {}) };
      } catch (error) {
        const warning = warnOnce(
          `the run log could not be written (${describe(error)}); the run itself is unaffected — see logRuns in skills.config.json`,
        );
        return warning ? { warning } : {};
      }
    },
  };
}

/** A run that never reached its program: a failure with no duration, no isolation and no tool calls. */
function notStarted(record: ExecutionRecord): RunFigures {
  return {
    ok: false,
    ...(record.error ? { error: record.error } : {}),
    durationMs: 0,
    cpuMs: 0,
    isolation: "none",
    toolCalls: [],
    startupMs: Math.max(0, Date.now() - record.startedAt),
  };
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !message.startsWith(code) ? `${code}: ${message}` : message;
}

/** Milliseconds of counting between two turns of the event loop. */
const SLICE_MS = 3;

interface Seen {
  /** Results not counted yet, as the bridge sent them. */
  pending: string[];
  /** The result being counted, as text, and where its count stopped. */
  counting?: { text: string; next: number };
  tokens: number;
  scheduled: boolean;
}

const resultJson = (result: unknown): string => JSON.stringify(result ?? null) ?? "null";

function countAll(counter: TokenCounter | undefined, results: string[]): number {
  if (!counter) return 0;
  let total = 0;
  for (const text of results) total += counter.count(text);
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
 * For `skills serve`: one record per tool or skill search an agent made, with the query's values taken out and the
 * number of results; `skills insights` reports queries that keep finding nothing. Never throws; returns a warning.
 * (Runs of a served client are logged by the execution the server opens with `client: <clientInfo.name>`.)
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
    return [`the run log could not be written (${describe(error)})`];
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
