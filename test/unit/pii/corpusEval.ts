/** Scores the detectors on the labelled corpus (test/fixtures/pii/corpus.json): precision and recall per type. */
import { readFileSync } from "node:fs";
import { policyFromManifest, scanPii } from "../../../src/core/pii/index.js";

export interface CorpusCase {
  id: string;
  category: string;
  format: "text" | "json";
  input: string;
  expect: { type: string; value: string }[];
}

export interface TypeScore {
  type: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export interface CorpusReport {
  scores: TypeScore[];
  misses: { id: string; type: string; value: string }[];
  falseAlarms: { id: string; type: string; value: string }[];
}

export function loadCorpus(): CorpusCase[] {
  return JSON.parse(readFileSync(new URL("../../fixtures/pii/corpus.json", import.meta.url), "utf8")) as CorpusCase[];
}

export function scoreCorpus(cases: CorpusCase[]): CorpusReport {
  const policy = policyFromManifest();
  const tally = new Map<string, { tp: number; fp: number; fn: number }>();
  const bump = (type: string, key: "tp" | "fp" | "fn") => {
    const t = tally.get(type) ?? { tp: 0, fp: 0, fn: 0 };
    t[key]++;
    tally.set(type, t);
  };
  const misses: CorpusReport["misses"] = [];
  const falseAlarms: CorpusReport["falseAlarms"] = [];
  for (const c of cases) {
    const findings = scanPii(c.input, policy, { format: c.format });
    const expected = [...c.expect];
    for (const f of findings) {
      const value = c.input.slice(f.start, f.end);
      const i = expected.findIndex((e) => e.type === f.type && e.value === value);
      if (i >= 0) {
        bump(f.type, "tp");
        expected.splice(i, 1);
      } else {
        bump(f.type, "fp");
        falseAlarms.push({ id: c.id, type: f.type, value });
      }
    }
    for (const e of expected) {
      bump(e.type, "fn");
      misses.push({ id: c.id, type: e.type, value: e.value });
    }
  }
  const scores = [...tally]
    .map(([type, t]) => ({
      type,
      truePositives: t.tp,
      falsePositives: t.fp,
      falseNegatives: t.fn,
      precision: t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp),
      recall: t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn),
    }))
    .sort((a, b) => a.type.localeCompare(b.type));
  return { scores, misses, falseAlarms };
}

export function formatScores(scores: TypeScore[]): string {
  const rows = scores.map(
    (s) =>
      `${s.type.padEnd(12)} ${String(s.truePositives).padStart(4)} ${String(s.falsePositives).padStart(4)} ${String(s.falseNegatives).padStart(4)}  ${s.precision.toFixed(3)}  ${s.recall.toFixed(3)}`,
  );
  return [`${"type".padEnd(12)}   tp   fp   fn  precision recall`, ...rows].join("\n");
}
