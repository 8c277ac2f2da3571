/**
 * Skills and tools that fail often: judged only past a minimum number of runs (calls), and only when the lower end of
 * the 95% Wilson interval is above the threshold, so two failures in three runs do not outrank 40 in 400. Each
 * finding lists the most common errors, with their values already taken out by the run log.
 */
import type { RunRecord } from "../../../contracts/runRecord.js";
import { skillLabel } from "../aggregate.js";
import { round, wilson } from "../stats.js";
import type { Analysis, Confidence, Insight, InsightOptions } from "./types.js";

export const failingSkills: Analysis = (sources, options) => {
  const bySkill = new Map<string, RunRecord[]>();
  for (const run of sources.runs) {
    const label = skillLabel(run);
    const list = bySkill.get(label);
    if (list) list.push(run);
    else bySkill.set(label, [run]);
  }
  const out: Insight[] = [];
  for (const [skill, runs] of bySkill) {
    const failed = runs.filter((run) => run.outcome !== "ok");
    const judged = judge(failed.length, runs.length, options);
    if (!judged) continue;
    const errors = commonErrors(failed);
    const top = errors[0];
    const isSkill = !skill.startsWith("(");
    out.push({
      kind: "failing-skill",
      subject: skill,
      title: `${skill} fails in ${pct(judged.rate)} of its runs (${failed.length} of ${runs.length}; 95% interval ${pct(judged.low)}–${pct(judged.high)})`,
      recommendation: top
        ? `Start with the most common error (${top.count}×): ${top.type}${top.message ? ` "${top.message}"` : ""}.`
        : "Look at the failed runs' error codes with `skills metrics --skill`.",
      ...(isSkill ? { command: `skills metrics --skill ${skill}` } : {}),
      confidence: judged.confidence,
      score: round(judged.low * runs.length * 10, 3),
      evidence: {
        runs: runs.length,
        failed: failed.length,
        failureRate: round(judged.rate, 4),
        interval: [round(judged.low, 4), round(judged.high, 4)],
        errors: errors.slice(0, 5),
      },
    });
  }
  return out;
};

export const failingTools: Analysis = (sources, options) => {
  const byTool = new Map<string, { calls: number; failed: number; codes: Map<string, number>; skills: Set<string> }>();
  for (const run of sources.runs) {
    for (const tool of run.tools) {
      const name = tool["gen_ai.tool.name"];
      let acc = byTool.get(name);
      if (!acc) {
        acc = { calls: 0, failed: 0, codes: new Map(), skills: new Set() };
        byTool.set(name, acc);
      }
      acc.calls += tool.calls;
      acc.failed += tool.failed;
      if (tool.failed > 0) acc.skills.add(skillLabel(run));
      for (const [code, n] of Object.entries(tool.errors ?? {})) acc.codes.set(code, (acc.codes.get(code) ?? 0) + n);
    }
  }
  const out: Insight[] = [];
  for (const [tool, acc] of byTool) {
    const judged = judge(acc.failed, acc.calls, options);
    if (!judged) continue;
    const codes = [...acc.codes].sort((a, b) => b[1] - a[1]).map(([code, count]) => ({ code, count }));
    const refused = codes.filter((c) => c.code !== "TOOL_ERROR" && c.code !== "TOOL_CALL_FAILED");
    out.push({
      kind: "failing-tool",
      subject: tool,
      title: `${tool} fails in ${pct(judged.rate)} of its calls (${acc.failed} of ${acc.calls}; 95% interval ${pct(judged.low)}–${pct(judged.high)})`,
      recommendation:
        refused.length > 0 && refused[0] && refused[0].count >= acc.failed / 2
          ? `Most failures are refusals before the call (${refused[0].code}): the callers (${[...acc.skills].join(", ")}) send what the tool's schema rejects or call it undeclared.`
          : `The tool itself returns errors: check the server, and make the callers (${[...acc.skills].join(", ")}) handle the failure.`,
      confidence: judged.confidence,
      score: round(judged.low * acc.calls * 5, 3),
      evidence: {
        calls: acc.calls,
        failed: acc.failed,
        failureRate: round(judged.rate, 4),
        interval: [round(judged.low, 4), round(judged.high, 4)],
        errors: codes.slice(0, 5),
        usedBy: [...acc.skills].sort(),
      },
    });
  }
  return out;
};

function judge(
  failed: number,
  n: number,
  options: InsightOptions,
): { rate: number; low: number; high: number; confidence: Confidence } | undefined {
  if (n < options.minRuns || failed === 0) return undefined;
  const { low, high } = wilson(failed, n);
  if (low < options.failureThreshold) return undefined;
  const confidence: Confidence = n >= 5 * options.minRuns && low >= 2 * options.failureThreshold ? "high" : "medium";
  return { rate: failed / n, low, high, confidence };
}

/** Error type and normalised message, most common first. */
export function commonErrors(failed: RunRecord[]): { type: string; message: string; count: number }[] {
  const counts = new Map<string, { type: string; message: string; count: number }>();
  for (const run of failed) {
    const type = run["error.type"] ?? "UNKNOWN";
    const message = run.error_message ?? "";
    const key = `${type}\u0000${message}`;
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { type, message, count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`;
}
