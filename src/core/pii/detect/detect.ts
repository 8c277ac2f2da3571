/** Runs the detectors a policy turns on over one string, then resolves overlaps. */
import { detectEmail, detectPhone } from "./detectors/contact.js";
import { detectLabelledPhone, detectLabelledSsn } from "./detectors/labels.js";
import { detectCard, detectIban, detectIp, detectSsn } from "./detectors/numbers.js";
import { detectSecret } from "./detectors/secrets.js";
import { TOKEN_SHAPE, type TextFeatures, secretPossible, textFeatures } from "./detectors/text.js";
import { type KeyContext, NO_CONTEXT } from "./keyContext.js";
import type { PiiMatch, PiiPolicy } from "../types.js";

/** Higher wins when two matches of the same length overlap. Custom patterns are the user's explicit intent. */
const SPECIFICITY: Record<string, number> = {
  secret: 8,
  iban: 7,
  credit_card: 6,
  ssn: 5,
  email: 4,
  ip: 3,
  phone: 1,
};
const CUSTOM_SPECIFICITY = 9;

function specificity(type: string): number {
  return SPECIFICITY[type] ?? CUSTOM_SPECIFICITY;
}

/**
 * Longest match wins; on equal length the more specific type; the survivors come back in text order. Matches are
 * split into clusters of mutually overlapping spans first (a sweep), so a long text with thousands of matches stays
 * O(n log n).
 */
export function resolveOverlaps(matches: PiiMatch[]): PiiMatch[] {
  if (matches.length < 2) return matches;
  const byStart = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PiiMatch[] = [];
  let cluster: PiiMatch[] = [];
  let clusterEnd = -1;
  const flush = () => {
    if (cluster.length === 1) kept.push(cluster[0]!);
    else if (cluster.length > 1) kept.push(...resolveCluster(cluster));
    cluster = [];
  };
  for (const m of byStart) {
    if (m.start >= clusterEnd) {
      flush();
      clusterEnd = m.end;
    } else if (m.end > clusterEnd) clusterEnd = m.end;
    cluster.push(m);
  }
  flush();
  return kept;
}

function resolveCluster(cluster: PiiMatch[]): PiiMatch[] {
  const ranked = cluster.sort(
    (a, b) => b.end - b.start - (a.end - a.start) || specificity(b.type) - specificity(a.type) || a.start - b.start,
  );
  const kept: PiiMatch[] = [];
  for (const m of ranked) {
    if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Whether any detector the policy runs could match a string with these features. Most strings in tool results
 * (ids, timestamps, names, prices) fail this and are never cut out of the JSON text or handed to a regex.
 */
export function mayContainPii(f: TextFeatures, ctx: KeyContext, policy: PiiPolicy): boolean {
  if (ctx.hint !== undefined || policy.patterns.length > 0) return true;
  if (f.length < 6 && f.colons < 2) return false;
  const types = policy.types;
  if (f.at && types.has("email")) return true;
  // +intl phone >= 8 digits, SSN 9, national phone 10, card 12 (an ISO date's run is 8: it stops here)
  if (f.maxRun >= 9 || (f.plus && f.maxRun >= 8)) return true;
  // "Phone: 555-0100": a 7-digit number after a label word
  if (f.maxRun >= 7 && f.letterRun >= 3) return true;
  if (types.has("ip") && ((f.dots >= 3 && f.digits >= 4) || f.colons >= 7 || (f.colons >= 2 && f.doubleColon))) {
    return true;
  }
  if (f.ibanStart && types.has("iban")) return true;
  if (types.has("secret")) {
    const secret = secretPossible(f);
    if (secret.prefixed || secret.assignment) return true;
  }
  return false;
}

/**
 * For a string mayContainPii let through: whether that was only because it is long enough to hold a secret with a
 * well-known prefix (which any sentence is). Then only the prefix test can still find something in it: when that
 * fails, no detector would (the other detectors' conditions are the ones mayContainPii found false).
 */
export function onlyPrefixedSecretPossible(f: TextFeatures, ctx: KeyContext, policy: PiiPolicy): boolean {
  if (ctx.hint !== undefined || policy.patterns.length > 0) return false;
  const types = policy.types;
  if (f.at && (types.has("email") || types.has("secret"))) return false; // an address, or URL credentials
  if (f.maxRun >= 7) return false;
  if (types.has("ip") && ((f.dots >= 3 && f.digits >= 4) || f.colons >= 7 || (f.colons >= 2 && f.doubleColon))) {
    return false;
  }
  if (f.ibanStart && types.has("iban")) return false;
  const secret = secretPossible(f);
  return types.has("secret") && secret.prefixed && !secret.assignment;
}

const NONE: PiiMatch[] = [];
/** Detectors push into one scratch array; most strings find nothing, and then nothing is allocated. */
const scratch: PiiMatch[] = [];

/**
 * All matches in one string. `ctx` is the context of the field the string sits in. `known`: the string's features
 * when the caller has them in hand already (the JSON reader's pre-filter computed them on the same characters).
 */
export function detectInString(
  text: string,
  policy: PiiPolicy,
  ctx: KeyContext = NO_CONTEXT,
  known?: TextFeatures,
): PiiMatch[] {
  if (text.length < 3) return NONE;
  const out = scratch;
  if (out.length !== 0) out.length = 0;
  const types = policy.types;
  const f = known ?? textFeatures(text);
  if (!mayContainPii(f, ctx, policy)) return NONE;
  if (f.at && types.has("email")) detectEmail(text, ctx, f, out);
  if (f.digits > 0) {
    if (types.has("phone")) {
      detectPhone(text, ctx, f, out);
      if (ctx.hint === undefined) detectLabelledPhone(text, f, out);
    }
    if (types.has("ssn")) {
      detectSsn(text, ctx, f, out);
      if (ctx.hint === undefined) detectLabelledSsn(text, f, out);
    }
    if (types.has("credit_card")) detectCard(text, ctx, f, out);
    if (types.has("ip")) detectIp(text, ctx, f, out);
    if (types.has("iban")) detectIban(text, ctx, f, out);
  }
  if (types.has("secret")) detectSecret(text, ctx, f, out);
  for (const pattern of policy.patterns) {
    const re = pattern.regex;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      out.push({ type: pattern.name, start: m.index, end: m.index + m[0].length, confidence: 0.9 });
    }
  }
  if (out.length === 0) return NONE;
  // Setting length is a runtime call: only done when something was found.
  const kept = out.filter(
    (m) => m.confidence >= policy.minConfidence && m.end > m.start && !TOKEN_SHAPE.test(text.slice(m.start, m.end)),
  );
  out.length = 0;
  return kept.length === 0 ? NONE : resolveOverlaps(kept);
}
