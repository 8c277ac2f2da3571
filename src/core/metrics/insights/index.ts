/**
 * `skills insights`: every analysis over the same sources, findings ranked by score (how much they touch, scaled by
 * how sure they are). To add an analysis, write an `Analysis` and list it in ANALYSES.
 */
import { failingSkills, failingTools } from "./failures.js";
import { compatFails, missedSearches } from "./external.js";
import { nearDuplicates } from "./duplicates.js";
import { repeatedSequences } from "./sequences.js";
import type { Analysis, Insight, InsightOptions, InsightSources } from "./types.js";
import { slowerVersions } from "./versions.js";

export * from "./types.js";

export const ANALYSES: Analysis[] = [
  failingSkills,
  failingTools,
  slowerVersions,
  repeatedSequences,
  nearDuplicates,
  compatFails,
  missedSearches,
];

const CONFIDENCE_ORDER = { high: 0, medium: 1, low: 2 };

export function findInsights(sources: InsightSources, options: InsightOptions): Insight[] {
  return ANALYSES.flatMap((analysis) => analysis(sources, options)).sort(
    (a, b) =>
      b.score - a.score ||
      CONFIDENCE_ORDER[a.confidence] - CONFIDENCE_ORDER[b.confidence] ||
      a.subject.localeCompare(b.subject),
  );
}
