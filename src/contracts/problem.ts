/** A problem found in a file: the unit every validator reports. Positions are 1-based. */
export type Severity = "error" | "warning";

export interface Problem {
  severity: Severity;
  /** Stable string code, e.g. MANIFEST_SCHEMA, NAME_MISMATCH. */
  code: string;
  message: string;
  /** Path of the file, as given to the loader (relative or absolute). */
  file: string;
  line: number;
  column: number;
  /** JSON pointer into the document ("" for the whole document). */
  pointer: string;
  /** How to fix it. */
  hint?: string;
}

/** Validation returns a result, it does not throw. */
export type ValidationResult<T> =
  | { ok: true; value: T; warnings: Problem[] }
  | { ok: false; errors: Problem[]; warnings: Problem[] };
