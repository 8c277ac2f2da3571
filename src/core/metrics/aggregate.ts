/**
 * `skills metrics`: the run log summed per skill and per tool — runs, success rate, duration percentiles, cold vs
 * warm, tool calls, tokens in (tool results the program read) vs out (the result it returned) and what that saved,
 * PII counts — plus a timeline for the charts. Pure: columns in (columns.ts: one typed array per field, so 100,000
 * runs fold in without an object each), summary out. A run refused before its program started counts as a failed run
 * with no duration: it is left out of the percentiles.
 */
import type { LogRecord, RunRecord } from "../../contracts/runRecord.js";
import { columnsOf, NONE, NOT_STARTED, OK, type RunColumns, skillLabel, WARM } from "./columns.js";
import { type Percentiles, percentilesInPlace, round } from "./stats.js";

export { skillLabel };

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

/** A list of numbers that grows in place (no array of boxed values for the garbage collector to walk). */
class Values {
  private buffer = new Float64Array(64);
  length = 0;
  push(value: number): void {
    if (this.length === this.buffer.length) {
      const grown = new Float64Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.length++] = value;
  }
  /** The values (a view, which percentilesInPlace reorders: read them once). */
  view(): Float64Array {
    return this.buffer.subarray(0, this.length);
  }
}

interface SkillAcc {
  skill: string;
  languages: Set<string>;
  versions: Set<string>;
  runs: number;
  ok: number;
  durations: Values;
  cold: Values;
  warm: Values;
  toolCalls: number;
  tokensIn: number;
  tokensOut: number;
  pii: Record<string, number>;
  kinds: Record<string, number>;
  lastRun: number;
}

interface ToolAcc {
  tool: string;
  calls: number;
  failed: number;
  perCall: Values;
  bytesIn: number;
  bytesOut: number;
  skills: Set<string>;
}

export function summarise(records: readonly LogRecord[], filter: MetricsFilter = {}): MetricsSummary {
  const summariser = createSummariser(filter);
  summariser.add(columnsOf(records));
  return summariser.finish();
}

export interface Summariser {
  /** Folds one file's columns in (runs outside the filter are left out). */
  add(columns: RunColumns): void;
  finish(): MetricsSummary;
}

/** What a file's skill label adds up to: per-run counters by string id, folded into the skill's figures after. */
interface LabelInFile {
  acc: SkillAcc;
  /** Runs per kind, by the kind's string id. */
  kinds: Float64Array;
  /** The last language and version seen (runs of a skill rarely change them: a Set is asked only when they do). */
  language: number;
  version: number;
}

export function createSummariser(filter: MetricsFilter = {}): Summariser {
  const skills = new Map<string, SkillAcc>();
  const tools = new Map<string, ToolAcc>();
  // The files added, and which of their skill labels pass the filter: the timeline reads them again in finish().
  const files: { columns: RunColumns; pass: Uint8Array }[] = [];
  let runs = 0;
  let ok = 0;
  let toolCalls = 0;
  let tokensIn = 0;
  let tokensOut = 0;
  const pii: Record<string, number> = {};
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  const skillAcc = (label: string): SkillAcc => {
    let acc = skills.get(label);
    if (!acc) {
      acc = {
        skill: label,
        languages: new Set(),
        versions: new Set(),
        runs: 0,
        ok: 0,
        durations: new Values(),
        cold: new Values(),
        warm: new Values(),
        toolCalls: 0,
        tokensIn: 0,
        tokensOut: 0,
        pii: {},
        kinds: {},
        lastRun: Number.NEGATIVE_INFINITY,
      };
      skills.set(label, acc);
    }
    return acc;
  };
  const toolAcc = (name: string): ToolAcc => {
    let acc = tools.get(name);
    if (!acc) {
      acc = { tool: name, calls: 0, failed: 0, perCall: new Values(), bytesIn: 0, bytesOut: 0, skills: new Set() };
      tools.set(name, acc);
    }
    return acc;
  };
  const add = (c: RunColumns): void => {
    const { strings, time: timeAt, label: labelAt, flags: flagsAt, duration: durationAt, startup: startupAt } = c;
    const { toolStart, toolName, toolCallCount, toolFailed, toolMs, toolBytesIn, toolBytesOut, piiStart } = c;
    const { language: languageAt, version: versionAt, kind: kindAt, toolCalls: callsAt } = c;
    const { tokensIn: tokensInAt, tokensOut: tokensOutAt } = c;
    const width = strings.length;
    // Per string id of this file: the label's accumulator (null: filtered out), looked up by name once; and for
    // each tool, the labels already added to its skills.
    const byLabel: (LabelInFile | null | undefined)[] = [];
    const byTool: (ToolAcc | undefined)[] = [];
    const toolSkills: (Uint8Array | undefined)[] = [];
    const since = filter.since;
    for (let i = 0; i < c.count; i++) {
      const time = timeAt[i] as number;
      if (since !== undefined && time < since) continue;
      const labelId = labelAt[i] as number;
      let at = byLabel[labelId];
      if (at === undefined) {
        const label = strings[labelId] as string;
        at =
          filter.skill === undefined || label === filter.skill
            ? { acc: skillAcc(label), kinds: new Float64Array(width), language: -1, version: -1 }
            : null;
        byLabel[labelId] = at;
      }
      if (at === null) continue;
      const acc = at.acc;
      const flags = flagsAt[i] as number;
      runs += 1;
      acc.runs += 1;
      const language = languageAt[i] as number;
      if (language !== at.language) {
        at.language = language;
        acc.languages.add(strings[language] as string);
      }
      const version = versionAt[i] as number;
      if (version !== at.version) {
        at.version = version;
        if (version !== NONE) acc.versions.add(strings[version] as string);
      }
      const kind = kindAt[i] as number;
      at.kinds[kind] = (at.kinds[kind] as number) + 1;
      if ((flags & OK) !== 0) {
        acc.ok += 1;
        ok += 1;
      }
      if ((flags & NOT_STARTED) === 0) {
        const duration = durationAt[i] as number;
        acc.durations.push(duration);
        ((flags & WARM) !== 0 ? acc.warm : acc.cold).push(duration + (startupAt[i] as number));
      }
      const calls = callsAt[i] as number;
      const tin = tokensInAt[i] as number;
      const tout = tokensOutAt[i] as number;
      acc.toolCalls += calls;
      acc.tokensIn += tin;
      acc.tokensOut += tout;
      toolCalls += calls;
      tokensIn += tin;
      tokensOut += tout;
      if (time > acc.lastRun) acc.lastRun = time;
      // A run whose time cannot be read (NaN) counts, but has no place on the timeline.
      if (time < from) from = time;
      if (time > to) to = time;
      for (let j = piiStart[i] as number; j < (piiStart[i + 1] as number); j++) {
        const type = strings[c.piiType[j] as number] as string;
        const n = c.piiCount[j] as number;
        acc.pii[type] = (acc.pii[type] ?? 0) + n;
        pii[type] = (pii[type] ?? 0) + n;
      }
      for (let j = toolStart[i] as number; j < (toolStart[i + 1] as number); j++) {
        const nameId = toolName[j] as number;
        let tool = byTool[nameId];
        if (!tool) {
          tool = toolAcc(strings[nameId] as string);
          byTool[nameId] = tool;
          toolSkills[nameId] = new Uint8Array(width);
        }
        const n = toolCallCount[j] as number;
        tool.calls += n;
        tool.failed += toolFailed[j] as number;
        if (n > 0) tool.perCall.push((toolMs[j] as number) / n);
        tool.bytesIn += toolBytesIn[j] as number;
        tool.bytesOut += toolBytesOut[j] as number;
        const seen = toolSkills[nameId] as Uint8Array;
        if (seen[labelId] === 0) {
          seen[labelId] = 1;
          tool.skills.add(acc.skill);
        }
      }
    }
    const pass = new Uint8Array(width);
    byLabel.forEach((at, id) => {
      if (!at) return;
      pass[id] = 1;
      at.kinds.forEach((n, kind) => {
        if (n > 0) at.acc.kinds[strings[kind] as string] = (at.acc.kinds[strings[kind] as string] ?? 0) + n;
      });
    });
    files.push({ columns: c, pass });
  };
  const finish = (): MetricsSummary => ({
    window: {
      ...(filter.since !== undefined ? { since: new Date(filter.since).toISOString() } : {}),
      ...(from <= to ? { from: new Date(from).toISOString(), to: new Date(to).toISOString() } : {}),
      records: runs,
    },
    totals: {
      runs,
      ok,
      failed: runs - ok,
      successRate: rate(ok, runs),
      // Every run's duration is in its skill's list: together they are all of them.
      durationMs: percentilesInPlace(concat([...skills.values()].map((acc) => acc.durations.view()))),
      toolCalls,
      tokens: tokenMetrics(tokensIn, tokensOut),
      pii: sortedCounts(pii),
    },
    // Skills after the totals: their lists are reordered when their percentiles are taken.
    skills: [...skills.values()].map(finishSkill).sort((a, b) => b.runs - a.runs || a.skill.localeCompare(b.skill)),
    tools: [...tools.values()].map(finishTool).sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool)),
    timeline: from <= to ? timeline(files, filter.since, from, to) : [],
  });
  return { add, finish };
}

function finishSkill(acc: SkillAcc): SkillMetrics {
  return {
    skill: acc.skill,
    languages: [...acc.languages].sort(),
    versions: [...acc.versions].sort(),
    runs: acc.runs,
    ok: acc.ok,
    failed: acc.runs - acc.ok,
    successRate: rate(acc.ok, acc.runs),
    durationMs: percentilesInPlace(acc.durations.view()),
    cold: { runs: acc.cold.length, durationMs: percentilesInPlace(acc.cold.view()) },
    warm: { runs: acc.warm.length, durationMs: percentilesInPlace(acc.warm.view()) },
    toolCalls: acc.toolCalls,
    tokens: tokenMetrics(acc.tokensIn, acc.tokensOut),
    pii: sortedCounts(acc.pii),
    kinds: sortedCounts(acc.kinds),
    lastRun: Number.isFinite(acc.lastRun) ? new Date(acc.lastRun).toISOString() : "",
  };
}

function finishTool(acc: ToolAcc): ToolMetrics {
  return {
    tool: acc.tool,
    calls: acc.calls,
    failed: acc.failed,
    successRate: rate(acc.calls - acc.failed, acc.calls),
    callMs: percentilesInPlace(acc.perCall.view()),
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

function concat(lists: Float64Array[]): Float64Array {
  const out = new Float64Array(lists.reduce((n, list) => n + list.length, 0));
  let at = 0;
  for (const list of lists) {
    out.set(list, at);
    at += list.length;
  }
  return out;
}

interface Bucket {
  runs: number;
  failed: number;
  started: number;
  in: number;
  out: number;
  durations?: Float64Array;
}

/**
 * Runs in time buckets over [from, to]: the smallest of a few round sizes that gives at most 60 buckets. Read from the
 * files' columns in two passes (count, then fill), so no run leaves an object or an array entry behind.
 */
function timeline(
  files: { columns: RunColumns; pass: Uint8Array }[],
  since: number | undefined,
  from: number,
  to: number,
): TimelineBucket[] {
  const span = to - from;
  const size = BUCKET_SIZES.find((s) => span / s < 60) ?? Math.ceil(span / 60);
  const first = Math.floor(from / size) * size;
  const buckets: Bucket[] = Array.from({ length: Math.floor((to - first) / size) + 1 }, () => ({
    runs: 0,
    failed: 0,
    started: 0,
    in: 0,
    out: 0,
  }));
  const each = (visit: (key: number, c: RunColumns, i: number, flags: number) => void) => {
    for (const { columns: c, pass } of files) {
      for (let i = 0; i < c.count; i++) {
        const time = c.time[i] as number;
        if (Number.isNaN(time) || (since !== undefined && time < since) || !pass[c.label[i] as number]) continue;
        visit(Math.floor((time - first) / size), c, i, c.flags[i] as number);
      }
    }
  };
  each((key, c, i, flags) => {
    const bucket = buckets[key] as Bucket;
    bucket.runs += 1;
    if ((flags & OK) === 0) bucket.failed += 1;
    if ((flags & NOT_STARTED) === 0) bucket.started += 1;
    bucket.in += c.tokensIn[i] as number;
    bucket.out += c.tokensOut[i] as number;
  });
  const filled = new Uint32Array(buckets.length);
  for (const bucket of buckets) bucket.durations = new Float64Array(bucket.started);
  each((key, c, i, flags) => {
    if ((flags & NOT_STARTED) !== 0) return;
    (buckets[key] as Bucket).durations![(filled[key] as number)++] = c.duration[i] as number;
  });
  const out: TimelineBucket[] = [];
  buckets.forEach((bucket, key) => {
    if (bucket.runs === 0) return;
    out.push({
      start: new Date(first + key * size).toISOString(),
      runs: bucket.runs,
      failed: bucket.failed,
      durationMs: percentilesInPlace(bucket.durations as Float64Array),
      tokensIn: bucket.in,
      tokensOut: bucket.out,
    });
  });
  return out;
}
