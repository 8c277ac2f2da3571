/** Runs the detectors a policy turns on over one string, then resolves overlaps. */
import { detectEmail, detectPhone } from "./detectors/contact.js";
import { detectCard, detectIban, detectIp, detectSsn } from "./detectors/numbers.js";
import { detectSecret } from "./detectors/secrets.js";
import { TOKEN_SHAPE, textFeatures } from "./detectors/text.js";
import { type KeyContext, NO_CONTEXT } from "./keyContext.js";
import type { PiiMatch, PiiPolicy } from "./types.js";

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

/** Longest match wins; on equal length the more specific type; the survivors come back in text order. */
export function resolveOverlaps(matches: PiiMatch[]): PiiMatch[] {
  if (matches.length < 2) return matches;
  const ranked = [...matches].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || specificity(b.type) - specificity(a.type) || a.start - b.start,
  );
  const kept: PiiMatch[] = [];
  for (const m of ranked) {
    if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** All matches in one string. `ctx` is the context of the field the string sits in. */
export function detectInString(text: string, policy: PiiPolicy, ctx: KeyContext = NO_CONTEXT): PiiMatch[] {
  const out: PiiMatch[] = [];
  if (text.length < 3) return out;
  const types = policy.types;
  const f = textFeatures(text);
  if (types.has("email")) detectEmail(text, ctx, f, out);
  if (f.digits > 0) {
    if (types.has("phone")) detectPhone(text, ctx, f, out);
    if (types.has("ssn")) detectSsn(text, ctx, f, out);
    if (types.has("credit_card")) detectCard(text, ctx, f, out);
    if (types.has("ip")) detectIp(text, ctx, f, out);
    if (types.has("iban")) detectIban(text, ctx, f, out);
  }
  if (types.has("secret")) detectSecret(text, ctx, out);
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
  if (out.length === 0) return out;
  const kept = out.filter(
    (m) => m.confidence >= policy.minConfidence && m.end > m.start && !TOKEN_SHAPE.test(text.slice(m.start, m.end)),
  );
  return resolveOverlaps(kept);
}
