/**
 * `skills metrics`: the run log summed per skill and per tool — runs, success rate, duration percentiles, cold vs
 * warm, tool calls, tokens in (tool results the program read) vs out (the result it returned) and what that saved,
 * PII counts — plus a timeline for the charts. Pure: records in, summary out.
 */
import type { LogRecord, RunRecord } from "../../contracts/runRecord.js";
import { type Percentiles, percentiles, round } from "./stats.js";

export interface MetricsFilter {
  /** Only records at or after this time (ms since the epoch). */
  since?: number;
  /** Only this skill (exec and repl runs are `(exec)` and `(repl)`). */
  skill?: string;
}

export interface StartMetrics {
  runs: number;
  durationMs: Percentiles;
}

export interface TokenMetrics {
  in: number;
  out: number;
  /** Tokens that stayed out of the model's context: in − out (never below 0). */
  saved: number;
  /** saved / in, 0 when nothing came in. */
  savedRatio: number;
}

export interface SkillMetrics {
  /** The skill's name, or `(exec)` / `(repl)` for programs that are not skills. */
  skill: string;
  languages: string[];
  versions: string[];
  runs: number;
  ok: number;
  failed: number;
  successRate: number;
  durationMs: Percentiles;
  cold: StartMetrics;
  warm: StartMetrics;
  toolCalls: number;
  tokens: TokenMetrics;
  pii: Record<string, number>;
  /** Runs per kind (run, test, exec, repl, serve). */
  kinds: Record<string, number>;
  lastRun: string;
}

export interface ToolMetrics {
  /** `server/tool` (gen_ai.tool.name). */
  tool: string;
  calls: number;
  failed: number;
  successRate: number;
  /** Per call: the mean of each run's calls to the tool. */
  callMs: Percentiles;
  bytesIn: number;
  bytesOut: number;
  /** Skills that called it. */
  skills: string[];
}

export interface TimelineBucket {
  /** ISO time the bucket starts. */
  start: string;
  runs: number;
  failed: number;
  durationMs: Percentiles;
  tokensIn: number;
  tokensOut: number;
}

export interface MetricsSummary {
  window: { since?: string; from?: string; to?: string; records: number };
  totals: {
    runs: number;
    ok: number;
    failed: number;
    successRate: number;
    durationMs: Percentiles;
    toolCalls: number;
    tokens: TokenMetrics;
    pii: Record<string, number>;
  };
  skills: SkillMetrics[];
  tools: ToolMetrics[];
  timeline: TimelineBucket[];
}

export function skillLabel(record: RunRecord): string {
  return record.skill ?? `(${record.kind})`;
}

/** The run records that pass the filter (search records and others are left out). */
export function selectRuns(records: readonly LogRecord[], filter: MetricsFilter): RunRecord[] {
  const out: RunRecord[] = [];
  const since = filter.since;
  for (const record of records) {
    if (record.kind === "search") continue;
    if (since !== undefined && Date.parse(record.time) < since) continue;
    if (filter.skill !== undefined && skillLabel(record) !== filter.skill) continue;
    out.push(record);
  }
  return out;
}

interface SkillAcc {
  skill: string;
  languages: Set<string>;
  versions: Set<string>;
  ok: number;
  durations: number[];
  cold: number[];
  warm: number[];
  toolCalls: number;
  tokensIn: number;
  tokensOut: number;
  pii: Record<string, number>;
  kinds: Record<string, number>;
  lastRun: string;
}

interface ToolAcc {
  tool: string;
  calls: number;
  failed: number;
  perCall: number[];
  bytesIn: number;
  bytesOut: number;
  skills: Set<string>;
}

export function summarise(records: readonly LogRecord[], filter: MetricsFilter = {}): MetricsSummary {
  const summariser = createSummariser(filter);
  for (const record of records) summariser.add(record);
  return summariser.finish();
}

export interface Summariser {
  /** Folds one record in (records outside the filter are ignored); the record is not kept. */
  add(record: LogRecord): void;
  finish(): MetricsSummary;
}

/** The summary built record by record, so a large log can be read without keeping its records. */
export function createSummariser(filter: MetricsFilter = {}): Summariser {
  const skills = new Map<string, SkillAcc>();
  const tools = new Map<string, ToolAcc>();
  // One entry per run, in columns: what the totals and the timeline need.
  const all: number[] = [];
  const times: number[] = [];
  const failedAt: boolean[] = [];
  const tokensInAt: number[] = [];
  const tokensOutAt: number[] = [];
  let ok = 0;
  let toolCalls = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  const pii: Record<string, number> = {};
  let from: string | undefined;
  let to: string | undefined;
  const add = (record: LogRecord): void => {
    if (record.kind === "search") return;
    const run = record;
    const time = Date.parse(run.time);
    if (filter.since !== undefined && time < filter.since) return;
    const label = skillLabel(run);
    if (filter.skill !== undefined && label !== filter.skill) return;
    let acc = skills.get(label);
    if (!acc) {
      acc = {
        skill: label,
        languages: new Set(),
        versions: new Set(),
        ok: 0,
        durations: [],
        cold: [],
        warm: [],
        toolCalls: 0,
        tokensIn: 0,
        tokensOut: 0,
        pii: {},
        kinds: {},
        lastRun: run.time,
      };
      skills.set(label, acc);
    }
    acc.languages.add(run.language);
    if (run.version) acc.versions.add(run.version);
    const succeeded = run.outcome === "ok";
    if (succeeded) {
      acc.ok += 1;
      ok += 1;
    }
    acc.durations.push(run.duration_ms);
    (run.start === "warm" ? acc.warm : acc.cold).push(run.duration_ms + (run.startup_ms ?? 0));
    acc.toolCalls += run.tool_calls;
    acc.tokensIn += run.tokens_in;
    acc.tokensOut += run.tokens_out;
    acc.kinds[run.kind] = (acc.kinds[run.kind] ?? 0) + 1;
    if (run.time > acc.lastRun) acc.lastRun = run.time;
    if (run.pii) {
      for (const type in run.pii) {
        const n = run.pii[type] ?? 0;
        acc.pii[type] = (acc.pii[type] ?? 0) + n;
        pii[type] = (pii[type] ?? 0) + n;
      }
    }
    all.push(run.duration_ms);
    times.push(time);
    failedAt.push(!succeeded);
    tokensInAt.push(run.tokens_in);
    tokensOutAt.push(run.tokens_out);
    toolCalls += run.tool_calls;
    tokensIn += run.tokens_in;
    tokensOut += run.tokens_out;
    if (from === undefined || run.time < from) from = run.time;
    if (to === undefined || run.time > to) to = run.time;
    for (const call of run.tools) {
      const name = call["gen_ai.tool.name"];
      let tool = tools.get(name);
      if (!tool) {
        tool = { tool: name, calls: 0, failed: 0, perCall: [], bytesIn: 0, bytesOut: 0, skills: new Set() };
        tools.set(name, tool);
      }
      tool.calls += call.calls;
      tool.failed += call.failed;
      if (call.calls > 0) tool.perCall.push(call.ms / call.calls);
      tool.bytesIn += call.bytes_in;
      tool.bytesOut += call.bytes_out;
      tool.skills.add(label);
    }
  };
  const finish = (): MetricsSummary => {
    const runs = all.length;
    return {
      window: {
        ...(filter.since !== undefined ? { since: new Date(filter.since).toISOString() } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        records: runs,
      },
      totals: {
        runs,
        ok,
        failed: runs - ok,
        successRate: rate(ok, runs),
        durationMs: percentiles(all),
        toolCalls,
        tokens: tokenMetrics(tokensIn, tokensOut),
        pii: sortedCounts(pii),
      },
      skills: [...skills.values()].map(finishSkill).sort((a, b) => b.runs - a.runs || a.skill.localeCompare(b.skill)),
      tools: [...tools.values()].map(finishTool).sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool)),
      timeline: timeline({ times, durations: all, failed: failedAt, tokensIn: tokensInAt, tokensOut: tokensOutAt }),
    };
  };
  return { add, finish };
}

function finishSkill(acc: SkillAcc): SkillMetrics {
  const runs = acc.durations.length;
  return {
    skill: acc.skill,
    languages: [...acc.languages].sort(),
    versions: [...acc.versions].sort(),
    runs,
    ok: acc.ok,
    failed: runs - acc.ok,
    successRate: rate(acc.ok, runs),
    durationMs: percentiles(acc.durations),
    cold: { runs: acc.cold.length, durationMs: percentiles(acc.cold) },
    warm: { runs: acc.warm.length, durationMs: percentiles(acc.warm) },
    toolCalls: acc.toolCalls,
    tokens: tokenMetrics(acc.tokensIn, acc.tokensOut),
    pii: sortedCounts(acc.pii),
    kinds: acc.kinds,
    lastRun: acc.lastRun,
  };
}

function finishTool(acc: ToolAcc): ToolMetrics {
  return {
    tool: acc.tool,
    calls: acc.calls,
    failed: acc.failed,
    successRate: rate(acc.calls - acc.failed, acc.calls),
    callMs: percentiles(acc.perCall),
    bytesIn: acc.bytesIn,
    bytesOut: acc.bytesOut,
    skills: [...acc.skills].sort(),
  };
}

function tokenMetrics(tokensIn: number, tokensOut: number): TokenMetrics {
  const saved = Math.max(0, tokensIn - tokensOut);
  return { in: tokensIn, out: tokensOut, saved, savedRatio: tokensIn > 0 ? round(saved / tokensIn, 4) : 0 };
}

function rate(part: number, whole: number): number {
  return whole > 0 ? round(part / whole, 4) : 0;
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

const BUCKET_SIZES = [60_000, 300_000, 900_000, 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000];

interface RunColumns {
  times: number[];
  durations: number[];
  failed: boolean[];
  tokensIn: number[];
  tokensOut: number[];
}

/** Runs in time buckets: the smallest of a few round sizes that gives at most 60 buckets over the window. */
function timeline(columns: RunColumns): TimelineBucket[] {
  const { times } = columns;
  if (times.length === 0) return [];
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const time of times) {
    if (time < start) start = time;
    if (time > end) end = time;
  }
  const span = end - start;
  const size = BUCKET_SIZES.find((s) => span / s < 60) ?? Math.ceil(span / 60);
  const first = Math.floor(start / size) * size;
  const buckets = new Map<number, { runs: number; failed: number; durations: number[]; in: number; out: number }>();
  for (let i = 0; i < times.length; i++) {
    const key = Math.floor(((times[i] as number) - first) / size);
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = { runs: 0, failed: 0, durations: [], in: 0, out: 0 };
      buckets.set(key, bucket);
    }
    bucket.runs += 1;
    if (columns.failed[i]) bucket.failed += 1;
    bucket.durations.push(columns.durations[i] as number);
    bucket.in += columns.tokensIn[i] as number;
    bucket.out += columns.tokensOut[i] as number;
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, bucket]) => ({
      start: new Date(first + key * size).toISOString(),
      runs: bucket.runs,
      failed: bucket.failed,
      durationMs: percentiles(bucket.durations),
      tokensIn: bucket.in,
      tokensOut: bucket.out,
    }));
}
