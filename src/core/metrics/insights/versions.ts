/**
 * Skills that got slower from one version to the next: for each pair of consecutive versions (semver order) with
 * enough successful runs each, the median run time is compared, and a Mann–Whitney U test says how likely the
 * difference is chance. Only runs that succeeded count (a failure's time says little), and cold and warm runs are
 * compared like with like when both versions have enough of the same kind.
 */
import semver from "semver";
import type { RunRecord } from "../../../contracts/runRecord.js";
import { percentiles, round } from "../stats.js";
import type { Analysis, Confidence, Insight } from "./types.js";

/** Runs per version needed to compare (fewer than the failure analysis: durations vary less than outcomes). */
const MIN_PER_VERSION = 5;

export const slowerVersions: Analysis = (sources, options) => {
  const bySkill = new Map<string, Map<string, RunRecord[]>>();
  for (const run of sources.runs) {
    if (!run.skill || !run.version || run.outcome !== "ok" || !semver.valid(run.version)) continue;
    let versions = bySkill.get(run.skill);
    if (!versions) {
      versions = new Map();
      bySkill.set(run.skill, versions);
    }
    const list = versions.get(run.version);
    if (list) list.push(run);
    else versions.set(run.version, [run]);
  }
  const out: Insight[] = [];
  for (const [skill, versions] of bySkill) {
    const ordered = [...versions.keys()].sort(semver.compare);
    for (let i = 1; i < ordered.length; i++) {
      const before = ordered[i - 1] as string;
      const after = ordered[i] as string;
      const a = comparable(versions.get(before) ?? [], versions.get(after) ?? []);
      if (!a) continue;
      const old = percentiles(a.before).p50;
      const now = percentiles(a.after).p50;
      if (old <= 0 || now / old < options.slowdownRatio || now - old < 1) continue;
      const p = mannWhitneyP(a.before, a.after);
      if (p > 0.05) continue;
      const confidence: Confidence = p < 0.001 && Math.min(a.before.length, a.after.length) >= 20 ? "high" : "medium";
      out.push({
        kind: "slower-version",
        subject: skill,
        title: `${skill} ${after} is ${round(now / old, 2)}× slower than ${before} (median ${fmt(old)} → ${fmt(now)}${a.start ? `, ${a.start} runs` : ""})`,
        recommendation: `Compare the two versions (\`git diff ${skill}@${before} ${skill}@${after}\`): look for new tool calls in loops or work the program now does itself.`,
        command: `skills metrics --skill ${skill}`,
        confidence,
        score: round((now / old - 1) * Math.min(a.after.length, 200) * (confidence === "high" ? 1 : 0.6), 3),
        evidence: {
          before: { version: before, runs: a.before.length, p50Ms: old },
          after: { version: after, runs: a.after.length, p50Ms: now },
          ratio: round(now / old, 3),
          pValue: Number(p.toPrecision(3)),
          ...(a.start ? { start: a.start } : {}),
        },
      });
    }
  }
  return out;
};

/** Durations to compare: warm with warm or cold with cold when possible, else all. */
function comparable(
  before: RunRecord[],
  after: RunRecord[],
): { before: number[]; after: number[]; start?: "warm" | "cold" } | undefined {
  for (const start of ["warm", "cold"] as const) {
    const b = before.filter((r) => r.start === start).map((r) => r.duration_ms);
    const a = after.filter((r) => r.start === start).map((r) => r.duration_ms);
    if (b.length >= MIN_PER_VERSION && a.length >= MIN_PER_VERSION) return { before: b, after: a, start };
  }
  if (before.length < MIN_PER_VERSION || after.length < MIN_PER_VERSION) return undefined;
  return { before: before.map((r) => r.duration_ms), after: after.map((r) => r.duration_ms) };
}

/** One-sided p-value that `after` is not larger than `before` (Mann–Whitney U, normal approximation, tie-corrected). */
export function mannWhitneyP(before: number[], after: number[]): number {
  const n1 = before.length;
  const n2 = after.length;
  const all = [...before.map((v) => ({ v, g: 0 })), ...after.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  let rankAfter = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]?.v === all[i]?.v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k]?.g === 1) rankAfter += rank;
    i = j + 1;
  }
  const u = rankAfter - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1;
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return 1 - normalCdf(z);
}

function normalCdf(z: number): number {
  // Abramowitz–Stegun 7.1.26 on erf; plenty for a p-value threshold.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${round(ms / 1000, 2)} s` : `${round(ms, 1)} ms`;
}
