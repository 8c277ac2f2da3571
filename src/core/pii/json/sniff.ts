/** Cheap looks at text before any reading: could it be JSON, and which literals can the reader skip. */
import { mayContainPii, onlyPrefixedSecretPossible } from "../detect/detect.js";
import { PREFIX_FILTER } from "../detect/detectors/secrets.js";
import { featuresStamp, type TextFeatures, textFeatures } from "../detect/detectors/text.js";
import { type KeyContext, keyContext, NO_CONTEXT } from "../detect/keyContext.js";
import type { PiiPolicy } from "../types.js";
import type { LiteralFilter } from "./lexer.js";
import { hintTakesNumbers } from "./walk.js";

function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 0xfeff) break;
    i++;
  }
  return i;
}

/** Starts (after whitespace or a byte order mark) like a JSON object, array or string. */
export function looksLikeJson(text: string): boolean {
  const c = text.charCodeAt(firstNonSpace(text));
  return c === 123 || c === 91 || c === 34;
}

/**
 * An object or array whose first token could be JSON: a token (`[EMAIL_1]`), a bracketed note (`[draft] ...`) or a
 * `{name}` placeholder is not tried (and does not cost a thrown syntax error).
 */
export function plausibleJson(text: string): boolean {
  let i = firstNonSpace(text);
  const open = text.charCodeAt(i);
  if (open !== 123 && open !== 91) return false;
  i++;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    i++;
  }
  const c = text.charCodeAt(i);
  if (open === 123) return c === 34 || c === 125;
  return (
    c === 34 ||
    c === 123 ||
    c === 91 ||
    c === 93 ||
    c === 45 ||
    (c >= 48 && c <= 57) ||
    c === 116 ||
    c === 102 ||
    c === 110
  );
}

/** The reader's pre-filter: numbers outside phone/ssn/card fields, and strings no detector could match. */
export function piiLiteralFilter(text: string, policy: PiiPolicy, rootCtx: KeyContext = NO_CONTEXT): LiteralFilter {
  return piiLiteralReader(text, policy, rootCtx).skip;
}

export interface PiiLiteralReader {
  /** The pre-filter, as piiLiteralFilter. */
  skip: LiteralFilter;
  /**
   * The features `skip` computed for the string or key whose content starts at `from`, when it let that literal
   * through and no features have been computed since (so the detectors need not go over its characters again).
   */
  featuresOf(from: number): TextFeatures | undefined;
}

export function piiLiteralReader(text: string, policy: PiiPolicy, rootCtx: KeyContext = NO_CONTEXT): PiiLiteralReader {
  let passedFrom = -1;
  let passedStamp = -1;
  let passed: TextFeatures | undefined;
  return {
    skip: (from, to, field, kind) => {
      const ctx = field === undefined ? rootCtx : keyContext(field);
      if (kind === "number") return !hintTakesNumbers(ctx);
      if (to - from < 3) return true;
      const features = textFeatures(text, from, to);
      if (!mayContainPii(features, ctx, policy)) return true;
      // Prose passes the character test (any long string with letters could hold `sk-...`): one native search for
      // the prefixes decides it here, instead of cutting it out and running every detector on it.
      if (onlyPrefixedSecretPossible(features, ctx, policy) && !PREFIX_FILTER.test(text.slice(from, to))) return true;
      passed = features;
      passedFrom = from;
      passedStamp = featuresStamp();
      return false;
    },
    featuresOf: (from) => (from === passedFrom && passedStamp === featuresStamp() ? passed : undefined),
  };
}
