/** What `skills insights` says: findings a maintainer of a skill library should act on, each with its evidence. */
import type { RunRecord, SearchRecord } from "../../../contracts/runRecord.js";

export type InsightKind =
  | "failing-skill"
  | "failing-tool"
  | "slower-version"
  | "repeated-sequence"
  | "near-duplicate"
  | "compat-fails"
  | "search-missed";

export type Confidence = "high" | "medium" | "low";

export interface Insight {
  kind: InsightKind;
  /** The skill, tool or sequence it is about. */
  subject: string;
  /** One plain sentence: what is wrong or worth doing. */
  title: string;
  /** What to do about it. */
  recommendation: string;
  /** A command that does it or shows more, when there is one. */
  command?: string;
  confidence: Confidence;
  /** Ranking weight (higher first): roughly, how many runs or calls it touches, scaled by how sure we are. */
  score: number;
  /** The figures behind it. */
  evidence: Record<string, unknown>;
}

/** A skill of the library, as the near-duplicate check sees it. */
export interface LibrarySkill {
  name: string;
  /** Declared `server/tool` keys. */
  tools: string[];
  /** The entry file, as the user would type it (relative to the working folder), and its source text. */
  entryPath: string;
  code: string;
}

/**
 * Extension point: a skill whose compat check failed. `skills compat` (a later part) fills these in; until then the
 * list is empty and the analysis says nothing.
 */
export interface CompatFinding {
  skill: string;
  /** compatible | warning | migration-needed | incompatible */
  status: string;
  /** The dependency (`server/tool`) that broke, and why, in a few words. */
  tool?: string;
  detail?: string;
}

export interface InsightOptions {
  /** Runs (or calls) a skill (or tool) needs before its failure rate is judged. Default 10. */
  minRuns: number;
  /** A failure rate whose 95% lower bound is at least this is flagged. Default 0.05. */
  failureThreshold: number;
  /** Runs with the same tool chain before it is suggested as a skill. Default 3. */
  minRepeats: number;
  /** Median slowdown between versions that is reported. Default 1.2 (20% slower). */
  slowdownRatio: number;
}

export const DEFAULT_INSIGHT_OPTIONS: InsightOptions = {
  minRuns: 10,
  failureThreshold: 0.05,
  minRepeats: 3,
  slowdownRatio: 1.2,
};

/** Everything the analyses read. Each source is optional: an analysis without its data finds nothing. */
export interface InsightSources {
  runs: RunRecord[];
  /** Served searches (`skills serve` logs them as kind "search"); the search-missed analysis reads them. */
  searches: SearchRecord[];
  library: LibrarySkill[];
  compat: CompatFinding[];
  /** Whether the code of an exec run is kept beside the log (so `--from-run` can use it). */
  hasCode: (record: RunRecord) => boolean;
}

/** One analysis: sources in, findings out. New analyses are added to ANALYSES in index.ts. */
export type Analysis = (sources: InsightSources, options: InsightOptions) => Insight[];
