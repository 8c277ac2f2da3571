import { describe, expect, it } from "vitest";
import { formatScores, loadCorpus, scoreCorpus } from "./corpusEval.js";

describe("PII corpus: precision and recall per type", () => {
  const cases = loadCorpus();
  const report = scoreCorpus(cases);

  it("has at least 300 true values across all types and at least 300 hard negatives", () => {
    const truths = cases.reduce((n, c) => n + c.expect.length, 0);
    const negatives = cases.filter((c) => c.expect.length === 0).length;
    expect(truths).toBeGreaterThanOrEqual(300);
    expect(negatives).toBeGreaterThanOrEqual(300);
    const types = new Set(cases.flatMap((c) => c.expect.map((e) => e.type)));
    expect([...types].sort()).toEqual(["credit_card", "email", "iban", "ip", "phone", "secret", "ssn"]);
  });

  it("meets recall >= 0.98 and precision >= 0.97 for every type", () => {
    console.log(`\n${formatScores(report.scores)}\n`);
    if (report.misses.length > 0) console.log("missed:", report.misses);
    if (report.falseAlarms.length > 0) console.log("false alarms:", report.falseAlarms);
    for (const score of report.scores) {
      expect({ type: score.type, recall: score.recall >= 0.98 }).toEqual({ type: score.type, recall: true });
      expect({ type: score.type, precision: score.precision >= 0.97 }).toEqual({ type: score.type, precision: true });
    }
  });
});
