/** Tokenizing one string: detector matches and values the run already knows become tokens. */
import { detectInString, resolveOverlaps } from "../detect/detect.js";
import { type KeyContext, NO_CONTEXT } from "../detect/keyContext.js";
import { ssnValid } from "../detect/validators.js";
import type { CountFn, PiiMatch, PiiPolicy, PiiType } from "../types.js";
import { TOKEN_RE, type TokenVault } from "../vault/vault.js";
import { firstNotBefore, insideSpans, MIN_KNOWN, type Occurrence, WatchIndex } from "../vault/watch.js";

function replaceMatches(
  text: string,
  matches: PiiMatch[],
  policy: PiiPolicy,
  vault: TokenVault,
  count: CountFn,
): string {
  let out = "";
  let last = 0;
  for (const m of matches) {
    const value = m.known ?? text.slice(m.start, m.end);
    if (vault.exempt.size > 0 && vault.exempt.has(value)) continue;
    const { token, isNew } = vault.tokenFor(m.type, value);
    // Short values found by field name alone ("pin": "2024") are not hunted for elsewhere: they are everywhere.
    // So are plain words ("postgres" as a URL's password): a word is in too many other places to hunt.
    if (isNew && value.length >= MIN_KNOWN && /[^A-Za-z]/.test(value) && !standsAlone(value, m.type, policy)) {
      vault.watch(vault.entryFor(value)!, "weak");
    }
    out += text.slice(last, m.start) + token;
    count(m.type);
    last = m.end;
  }
  return out + text.slice(last);
}

/** Whether a detector finds this whole value with no field name or label around it. */
function standsAlone(value: string, type: PiiType, policy: PiiPolicy): boolean {
  const found = detectInString(value, policy, NO_CONTEXT);
  return found.some((m) => m.type === type && m.start === 0 && m.end === value.length);
}

/**
 * Tokenizes one string; undefined when nothing was found. `watched` are vault entries known to occur in this text
 * that are looked for beyond whole words (see findWatched); with `knownOnly` the detectors do not run again.
 */
export function tokenizeString(
  text: string,
  policy: PiiPolicy,
  vault: TokenVault,
  count: CountFn,
  ctx: KeyContext = NO_CONTEXT,
  watched?: WatchIndex,
  knownOnly = false,
): string | undefined {
  let matches = knownOnly ? NO_MATCHES : detectInString(text, policy, ctx);
  if (!knownOnly && matches.length === 0 && lostDigits(text, ctx)) {
    matches = [{ type: ctx.hint!, start: 0, end: text.length, confidence: 1 }];
  }
  if (vault.size > 0 && text.length >= 3) {
    const known = knownValueMatches(text, vault);
    if (watched !== undefined) findWatched(text, watched, known);
    if (known.length > 0) matches = mergeKnown(matches, resolveOverlaps(known));
  }
  if (matches.length === 0) return undefined;
  const out = replaceMatches(text, matches, policy, vault, count);
  return out === text ? undefined : out;
}

const NO_MATCHES: PiiMatch[] = [];

/**
 * Detector matches and known values (in text order, not overlapping each other): a detector's match wins where it
 * holds known values whole and is longer ("hunter2hunter@corp.example" is one new address), the known values where
 * the two only overlap ("a@x.coma@x.com" is two known addresses, not one new one that would leave "a@" in clear).
 * Linear in the number of matches: each detector match looks only at the known values around it.
 */
function mergeKnown(detected: PiiMatch[], known: PiiMatch[]): PiiMatch[] {
  const beaten = new Uint8Array(known.length);
  const won: PiiMatch[] = [];
  for (const m of detected) {
    // the first known value that ends after m starts
    const lo = firstNotBefore(known.length, (i) => known[i]!.end <= m.start);
    let wins = true;
    let last = lo;
    for (; last < known.length && known[last]!.start < m.end; last++) {
      const k = known[last]!;
      if (!(m.start <= k.start && k.end <= m.end && m.end - m.start > k.end - k.start)) wins = false;
    }
    if (!wins) continue;
    won.push(m);
    for (let i = lo; i < last; i++) beaten[i] = 1;
  }
  return resolveOverlaps([...won, ...known.filter((_, i) => beaten[i] === 0)]);
}

/** Words of a string, split at whitespace, quotes, brackets and list punctuation. */
const WORD_RE = /[^\s,;:"'<>()[\]{}|]+/g;

/**
 * Values this run already tokenized, found again as whole words where no detector fires: a phone that was found
 * under a `phone` field and turns up bare in a `note` ("call 4155552671") gets the same token there.
 */
function knownValueMatches(text: string, vault: TokenVault): PiiMatch[] {
  const out: PiiMatch[] = [];
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m; m = WORD_RE.exec(text)) {
    let word = m[0];
    while (word.length > 0 && /[.!?]$/.test(word)) word = word.slice(0, -1);
    if (word.length < MIN_KNOWN) continue;
    const entry = vault.entryFor(word);
    if (entry) out.push({ type: entry.type, start: m.index, end: m.index + word.length, confidence: 1 });
  }
  return out;
}

/**
 * Numbers that lost what made them detectable on the way: a card number beyond 2^53 that JSON.parse rounded (no
 * longer Luhn-valid, still mostly the real digits), an SSN kept as a number that lost its leading zeros
 * (078051120 -> 78051120). Only under a field named for them.
 */
function lostDigits(text: string, ctx: KeyContext): boolean {
  if (ctx.hint === "credit_card") return /^\d{16,19}$/.test(text) && !Number.isSafeInteger(Number(text));
  if (ctx.hint === "ssn" && /^\d{7,8}$/.test(text)) {
    const full = text.padStart(9, "0");
    return ssnValid(full.slice(0, 3), full.slice(3, 5), full.slice(5));
  }
  return false;
}

/**
 * Watched values inside longer text (as written or JSON-escaped): a value restored into a tool's arguments anywhere
 * at all ("9ada@example.com9", "ada@example.com.txt"), a value found only thanks to its field name wherever letters
 * or digits do not continue it on either side ("tel:5550100" but not "15550100"). Never inside a token this layer
 * handed out: `[SECRET_1]` holds "SECRET" but is not the value "SECRET".
 */
function findWatched(text: string, watched: WatchIndex, out: PiiMatch[]): void {
  for (const { start, end, entry } of knownOutsideTokens(text, watched)) {
    // Restored values anywhere at all; values found by field name as whole words only.
    if (!entry.restored && (alnumAt(text, start - 1) || alnumAt(text, end))) continue;
    out.push({ type: entry.type, start, end, confidence: 1, known: entry.value });
  }
}

/** The occurrences of the index's values in the text, but for those inside the tokens it already holds. */
export function knownOutsideTokens(text: string, index: WatchIndex): Occurrence[] {
  const found = index.find(text);
  if (found.length === 0) return found;
  const tokens = tokenSpans(text);
  return tokens.length === 0 ? found : found.filter((o) => !insideSpans(tokens, o.start, o.end));
}

/** Where tokens (`[EMAIL_1]`) stand in a text. */
function tokenSpans(text: string): [number, number][] {
  if (!text.includes("[")) return [];
  const spans: [number, number][] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m; m = TOKEN_RE.exec(text)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

function alnumAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** An index of the entries of `index` that occur in `haystack`; undefined when none does. */
export function presentIn(haystack: string, index: WatchIndex): WatchIndex | undefined {
  if (index.size === 0) return undefined;
  const present = index.present(haystack);
  return present.length === 0 ? undefined : new WatchIndex(present);
}

/** The entries watched since `mark` (first found in the text just read) that occur in `haystack`. */
export function freshIn(haystack: string, vault: TokenVault, mark: number): WatchIndex | undefined {
  return vault.watched.length > mark ? presentIn(haystack, new WatchIndex(vault.watched.slice(mark))) : undefined;
}
