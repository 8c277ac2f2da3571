/**
 * The PII shapes that cross layers: the mode a run is in (manifest, project config, --pii) and the counts a run
 * reports (RunResult.pii; the run log reads them). Detection itself lives in src/core/pii.
 */

export type PiiMode = "off" | "default" | "strict";

export const PII_MODES: readonly PiiMode[] = ["off", "default", "strict"];

export function isPiiMode(value: unknown): value is PiiMode {
  return typeof value === "string" && (PII_MODES as readonly string[]).includes(value);
}

/** A built-in detector name (email, phone, ...) or the name of a custom pattern. */
export type PiiType = string;

/** Counts for one type in the audit. Never values, never hashes of values. */
export interface PiiTypeCounts {
  /** Distinct values given a token in this run. */
  values: number;
  /** Occurrences replaced by tokens in tool results. */
  tokenized: number;
  /** Occurrences of tokens restored to real values in tool arguments. */
  restored: number;
  /** Occurrences replaced by tokens in what the run returned or logged (values that did not come from a tool). */
  scrubbed: number;
}

export interface PiiAudit {
  mode: PiiMode;
  types: Record<PiiType, PiiTypeCounts>;
  /** "server/tool" -> type -> occurrences tokenized in its results. */
  from: Record<string, Record<PiiType, number>>;
  /** "server/tool" -> type -> occurrences restored into its arguments. */
  to: Record<string, Record<PiiType, number>>;
  /** Outputs refused in strict mode. */
  refused: number;
}
