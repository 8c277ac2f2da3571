/** Percentiles, Wilson intervals, --since, and the sums of `skills metrics`. */
import { describe, expect, it } from "vitest";
import type { LogRecord, RunRecord } from "../../../src/contracts/runRecord.js";
import { selectRuns, summarise } from "../../../src/core/metrics/aggregate.js";
import { parseSince, percentiles, wilson } from "../../../src/core/metrics/stats.js";

describe("percentiles", () => {
  it("uses the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(values)).toEqual({ p50: 50, p95: 95, p99: 99 });
    expect(percentiles([7])).toEqual({ p50: 7, p95: 7, p99: 7 });
    expect(percentiles([])).toEqual({ p50: 0, p95: 0, p99: 0 });
  });

  it("selects what a sort would give, on runs of equal values and on random ones", () => {
    const sorted = (values: number[]) => {
      const s = Float64Array.from(values).sort();
      const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! * 100) / 100;
      return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
    };
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let t = 0; t < 400; t++) {
      const n = 1 + Math.floor(random() * (t % 20 === 0 ? 5000 : 60));
      const values = Array.from({ length: n }, (_, i) =>
        t % 3 === 0 ? Math.floor(random() * 4) : t % 3 === 1 ? Math.round(random() * 100_000) / 100 : n - i,
      );
      expect(percentiles(values)).toEqual(sorted(values));
    }
  });
});

describe("wilson", () => {
  it.each([
    [0, 10, 0, 0.2775],
    [5, 10, 0.2366, 0.7634],
    [40, 400, 0.0745, 0.1329],
    [10, 10, 0.7225, 1],
  ])("%i of %i", (k, n, low, high) => {
    const interval = wilson(k, n);
    expect(interval.low).toBeCloseTo(low, 3);
    expect(interval.high).toBeCloseTo(high, 3);
  });

  it("is the whole range for no runs", () => {
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe("parseSince", () => {
  const now = Date.UTC(2025, 0, 31, 12);
  it.each([
    ["30m", now - 30 * 60_000],
    ["24h", now - 24 * 3_600_000],
    ["7d", now - 7 * 86_400_000],
    ["2w", now - 14 * 86_400_000],
    ["1.5h", now - 1.5 * 3_600_000],
    ["2025-01-01", Date.UTC(2025, 0, 1)],
    ["2025-01-30T06:00:00Z", Date.UTC(2025, 0, 30, 6)],
  ])("%s", (text, expected) => {
    expect(parseSince(text, now)).toBe(expected);
  });

  it.each(["", "7", "7y", "yesterday", "2025-13-45"])("refuses %j", (text) => {
    expect(parseSince(text, now)).toBeUndefined();
  });
});

function record(overrides: Partial<RunRecord>): RunRecord {
  return {
    v: 1,
    id: "r_1",
    time: "2025-01-31T10:00:00.000Z",
    kind: "run",
    client: "cli",
    skill: "a",
    version: "1.0.0",
    language: "python",
    isolation: "bwrap",
    start: "cold",
    "mcp.method.name": "tools/call",
    duration_ms: 10,
    startup_ms: 100,
    tool_ms: 0,
    cpu_ms: 1,
    outcome: "ok",
    tool_calls: 0,
    tools: [],
    tokens_in: 0,
    tokens_out: 0,
    result_bytes: 2,
    ...overrides,
  };
}

describe("summarise", () => {
  const records: LogRecord[] = [
    record({ duration_ms: 10, tokens_in: 1000, tokens_out: 10, pii: { email: 2 } }),
    record({ duration_ms: 30, start: "warm", startup_ms: 1, outcome: "error", "error.type": "TIMEOUT" }),
    record({
      skill: undefined,
      version: undefined,
      kind: "exec",
      time: "2025-01-31T11:00:00.000Z",
      duration_ms: 20,
      tool_calls: 3,
      tools: [
        { "gen_ai.tool.name": "fs/read", calls: 2, failed: 1, ms: 8, bytes_in: 10, bytes_out: 100 },
        { "gen_ai.tool.name": "fs/list", calls: 1, failed: 0, ms: 1, bytes_in: 5, bytes_out: 50 },
      ],
    }),
    { v: 1, id: "r_s", time: "2025-01-31T11:00:00.000Z", kind: "search", client: "x", query: "q", results: 0 },
  ];

  it("sums per skill and per tool", () => {
    const summary = summarise(records);
    expect(summary.totals).toEqual({
      runs: 3,
      ok: 2,
      failed: 1,
      successRate: 0.6667,
      durationMs: { p50: 20, p95: 30, p99: 30 },
      toolCalls: 3,
      tokens: { in: 1000, out: 10, saved: 990, savedRatio: 0.99 },
      pii: { email: 2 },
    });
    const a = summary.skills.find((s) => s.skill === "a")!;
    expect(a).toMatchObject({
      runs: 2,
      ok: 1,
      failed: 1,
      successRate: 0.5,
      cold: { runs: 1, durationMs: { p50: 110 } },
      warm: { runs: 1, durationMs: { p50: 31 } },
      versions: ["1.0.0"],
      kinds: { run: 2 },
    });
    expect(summary.skills.map((s) => s.skill)).toEqual(["a", "(exec)"]);
    expect(summary.tools).toEqual([
      {
        tool: "fs/read",
        calls: 2,
        failed: 1,
        successRate: 0.5,
        callMs: { p50: 4, p95: 4, p99: 4 },
        bytesIn: 10,
        bytesOut: 100,
        skills: ["(exec)"],
      },
      expect.objectContaining({ tool: "fs/list", calls: 1, failed: 0, successRate: 1 }),
    ]);
    expect(summary.timeline.reduce((n, b) => n + b.runs, 0)).toBe(3);
  });

  it("counts a run refused before it started as failed, without a duration", () => {
    const refused = record({
      isolation: "none",
      outcome: "error",
      "error.type": "SANDBOX_UNAVAILABLE",
      duration_ms: 0,
      startup_ms: 3,
    });
    const summary = summarise([...records, refused]);
    expect(summary.totals).toMatchObject({ runs: 4, ok: 2, failed: 2, durationMs: { p50: 20, p95: 30, p99: 30 } });
    const a = summary.skills.find((s) => s.skill === "a")!;
    expect(a).toMatchObject({ runs: 3, failed: 2, cold: { runs: 1 }, warm: { runs: 1 } });
    expect(summary.timeline.reduce((n, b) => n + b.runs, 0)).toBe(4);
    expect(summary.timeline.reduce((n, b) => n + b.failed, 0)).toBe(2);
  });

  it("filters by time and skill", () => {
    expect(selectRuns(records, { since: Date.parse("2025-01-31T10:30:00Z") }).map((r) => r.kind)).toEqual(["exec"]);
    expect(summarise(records, { skill: "(exec)" }).totals.runs).toBe(1);
    expect(summarise(records, { skill: "nope" }).totals).toMatchObject({ runs: 0, successRate: 0 });
  });
});
