/** Prometheus and OpenMetrics text from the run log: valid exposition, bounded labels, the right values. */
import client from "prom-client";
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../../src/contracts/runRecord.js";
import { skillLabel } from "../../../src/core/metrics/columns.js";
import { DURATION_BUCKETS, renderPrometheus } from "../../../src/core/metrics/prometheus.js";
import { syntheticRecords } from "../../../bench/lib/runRecords.mjs";
import { parseExposition, sampleValue } from "../../helpers/promText.js";

const records = syntheticRecords(300) as RunRecord[];

describe("renderPrometheus", () => {
  it("writes valid Prometheus text whose counters add up to the log", async () => {
    const { text, contentType } = await renderPrometheus(records, "prometheus");
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    const exposition = parseExposition(text, "prometheus");
    expect(exposition.types.get("skills_runs_total") ?? exposition.types.get("skills_runs")).toBe("counter");
    expect(exposition.types.get("skills_run_duration_seconds")).toBe("histogram");
    expect(sampleValue(exposition, "skills_runs_total")).toBe(300);
    const failed = records.filter((r) => r.outcome !== "ok").length;
    expect(sampleValue(exposition, "skills_runs_total", { status: "error" })).toBe(failed);
    const contacts = records.filter((r) => r.skill === "import-contacts").length;
    expect(sampleValue(exposition, "skills_runs_total", { skill: "import-contacts" })).toBe(contacts);
    expect(sampleValue(exposition, "skills_run_duration_seconds_count")).toBe(300);
    const calls = records.reduce((n, r) => n + r.tool_calls, 0);
    expect(sampleValue(exposition, "skills_tool_calls_total")).toBe(calls);
    expect(sampleValue(exposition, "skills_tokens_in_total")).toBe(records.reduce((n, r) => n + r.tokens_in, 0));
    expect(sampleValue(exposition, "skills_pii_values_total", { type: "email" })).toBe(3 * contacts);
  });

  it("labels only from bounded sets: never ids, versions, messages or clients", async () => {
    const { text } = await renderPrometheus(records, "prometheus");
    const labels = new Set(parseExposition(text, "prometheus").samples.flatMap((s) => Object.keys(s.labels)));
    expect([...labels].sort()).toEqual(["language", "le", "skill", "start", "status", "tool", "type"]);
    for (const record of records.slice(0, 20)) expect(text).not.toContain(record.id);
    expect(text).not.toContain("KeyError");
  });

  it("writes OpenMetrics text ending in # EOF", async () => {
    const { text, contentType } = await renderPrometheus(records, "openmetrics");
    expect(contentType).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    const exposition = parseExposition(text, "openmetrics");
    expect(sampleValue(exposition, "skills_runs_total")).toBe(300);
  });

  it("escapes what a label value could break", async () => {
    const odd = { ...records[0]!, skill: 'we"ird\\name\nx' };
    const { text } = await renderPrometheus([odd], "prometheus");
    const exposition = parseExposition(text, "prometheus");
    expect(exposition.samples.find((s) => s.name === "skills_runs_total")?.labels.skill).toBe('we"ird\\name\nx');
  });

  it("counts a run refused before it started, without observing a duration for it", async () => {
    const refused = {
      ...records[0]!,
      skill: "refused",
      isolation: "none",
      outcome: "error",
      duration_ms: 0,
    } as RunRecord;
    const exposition = parseExposition(
      (await renderPrometheus([records[1]!, refused], "prometheus")).text,
      "prometheus",
    );
    expect(sampleValue(exposition, "skills_runs_total", { skill: "refused", status: "error" })).toBe(1);
    expect(sampleValue(exposition, "skills_run_duration_seconds_count", { skill: "refused" })).toBe(0);
    expect(sampleValue(exposition, "skills_run_duration_seconds_count")).toBe(1);
  });

  it("writes the families with no samples for an empty log", async () => {
    const { text } = await renderPrometheus([], "prometheus");
    expect(sampleValue(parseExposition(text, "prometheus"), "skills_runs_total")).toBe(0);
  });
});

/**
 * prom-client as it is meant to be fed: one inc() and observe() per run and per call. The exposition sums first and
 * hands prom-client only the sums; its text must be the same, byte for byte.
 */
async function perObservation(runs: RunRecord[], format: "prometheus" | "openmetrics"): Promise<string> {
  const registry = new client.Registry<client.RegistryContentType>();
  if (format === "openmetrics") registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  const registers = [registry];
  const counter = (name: string, help: string, labelNames: string[]) =>
    new client.Counter({ name, help, labelNames, registers });
  const histogram = (name: string, help: string, labelNames: string[]) =>
    new client.Histogram({ name, help, labelNames, buckets: DURATION_BUCKETS, registers });
  const runsTotal = counter(
    "skills_runs_total",
    "Runs of skills, exec programs, test cases and repl cells in the run log",
    ["skill", "language", "status"],
  );
  const duration = histogram("skills_run_duration_seconds", "Run time of the program, from hand-off to result", [
    "skill",
    "language",
    "status",
  ]);
  const startup = histogram(
    "skills_run_startup_seconds",
    "Time before the program started: preparation, and the interpreter start of a cold run",
    ["skill", "start"],
  );
  const toolCalls = counter("skills_tool_calls_total", "MCP tools/call requests made by programs (gen_ai.tool.name)", [
    "tool",
    "status",
  ]);
  const toolDuration = histogram(
    "skills_tool_call_duration_seconds",
    "Duration of a tool call (per run, the mean of its calls to the tool)",
    ["tool"],
  );
  const requestBytes = counter("skills_tool_request_bytes_total", "Bytes of tool-call arguments sent by programs", [
    "tool",
  ]);
  const responseBytes = counter(
    "skills_tool_response_bytes_total",
    "Bytes of tool results returned to programs (after PII tokenization)",
    ["tool"],
  );
  const tokensIn = counter(
    "skills_tokens_in_total",
    "o200k_base tokens of the tool results programs read (what a model would otherwise have read)",
    ["skill"],
  );
  const tokensOut = counter("skills_tokens_out_total", "o200k_base tokens of the results programs returned", ["skill"]);
  const pii = counter("skills_pii_values_total", "Personal data values replaced by tokens, per type", [
    "skill",
    "type",
  ]);
  for (const run of runs) {
    const skill = skillLabel(run);
    const labels = { skill, language: run.language, status: run.outcome === "ok" ? "ok" : "error" };
    runsTotal.inc(labels);
    duration.observe(labels, run.duration_ms / 1000);
    startup.observe({ skill, start: run.start }, run.startup_ms / 1000);
    if (run.tokens_in > 0) tokensIn.inc({ skill }, run.tokens_in);
    if (run.tokens_out > 0) tokensOut.inc({ skill }, run.tokens_out);
    for (const call of run.tools) {
      const tool = call["gen_ai.tool.name"];
      if (call.calls - call.failed > 0) toolCalls.inc({ tool, status: "ok" }, call.calls - call.failed);
      if (call.failed > 0) toolCalls.inc({ tool, status: "error" }, call.failed);
      for (let i = 0; i < call.calls; i++) toolDuration.observe({ tool }, call.ms / call.calls / 1000);
      if (call.bytes_in > 0) requestBytes.inc({ tool }, call.bytes_in);
      if (call.bytes_out > 0) responseBytes.inc({ tool }, call.bytes_out);
    }
    if (run.pii) for (const [type, n] of Object.entries(run.pii)) pii.inc({ skill, type }, n);
  }
  return registry.metrics();
}

describe("summed before prom-client", () => {
  it.each(["prometheus", "openmetrics"] as const)(
    "gives the %s text that one observation per run gives",
    async (format) => {
      const many = syntheticRecords(3000) as RunRecord[];
      expect((await renderPrometheus(many, format)).text).toBe(await perObservation(many, format));
    },
  );
});
