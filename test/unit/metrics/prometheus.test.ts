/** Prometheus and OpenMetrics text from the run log: valid exposition, bounded labels, the right values. */
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../../../src/contracts/runRecord.js";
import { renderPrometheus } from "../../../src/core/metrics/prometheus.js";
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

  it("writes the families with no samples for an empty log", async () => {
    const { text } = await renderPrometheus([], "prometheus");
    expect(sampleValue(parseExposition(text, "prometheus"), "skills_runs_total")).toBe(0);
  });
});
