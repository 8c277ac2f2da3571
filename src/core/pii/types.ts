/** Types of the PII layer: what a detector finds and what a policy allows. The mode and the audit are contracts. */
import type { PiiMode, PiiType } from "../../contracts/privacy.js";

export type { PiiAudit, PiiMode, PiiType, PiiTypeCounts } from "../../contracts/privacy.js";

/** Built-in detector names, as written in a manifest's `privacy.tokenize`. */
export const BUILTIN_PII_TYPES = ["email", "phone", "ssn", "credit_card", "ip", "secret", "iban"] as const;
export type BuiltinPiiType = (typeof BUILTIN_PII_TYPES)[number];

/** One value a detector matched. Offsets are UTF-16 indexes into the scanned string. */
export interface PiiMatch {
  type: PiiType;
  start: number;
  end: number;
  /** 0..1; key context raises it. Matches below the policy's threshold are dropped. */
  confidence: number;
  /** For a value the run already knows, found in another spelling (JSON-escaped): the value itself. */
  known?: string;
}

/** A match placed in a document: for JSON, `path` is the JSON pointer of the string (or key) it sits in. */
export interface PiiFinding extends PiiMatch {
  /** JSON pointer of the value ("" for plain text). */
  path: string;
  /** True when the match is in an object key rather than a value. */
  inKey?: boolean;
}

export interface CustomPattern {
  name: string;
  /** Compiled with the global flag. */
  regex: RegExp;
}

export interface PiiPolicy {
  mode: PiiMode;
  /** Built-in detectors that are on. */
  types: ReadonlySet<BuiltinPiiType>;
  patterns: readonly CustomPattern[];
  /** Field names (lower-cased) whose values are left alone, wherever they appear. */
  ignoreKeys: ReadonlySet<string>;
  /** JSON pointers (with `*` for any one segment) whose values are left alone. */
  ignorePointers: readonly string[][];
  /** Matches with a lower confidence are not reported. */
  minConfidence: number;
}

/** Called once per replaced occurrence (the audit counts with it). */
export type CountFn = (type: PiiType) => void;
