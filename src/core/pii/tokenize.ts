/** Replacing detected values with tokens (tool results) and tokens with values (tool arguments). */
import { detectInString, mayContainPii, resolveOverlaps } from "./detect.js";
import { textFeatures } from "./detectors/text.js";
import { tokenizeJsonFast } from "./jsonFast.js";
import { JsonSyntaxError, type LiteralFilter, lexJson } from "./jsonLexer.js";
import { type KeyContext, keyContext, NO_CONTEXT } from "./keyContext.js";
import type { PiiMatch, PiiPolicy, PiiType } from "./types.js";
import { ssnValid } from "./validators.js";
import { TOKEN_RE, type TokenVault } from "./vault.js";
import { hintTakesNumbers, numberDigits, walkJson } from "./walk.js";
import { firstNotBefore, insideSpans, MIN_KNOWN, type Occurrence, WatchIndex } from "./watch.js";

/** Called once per replaced occurrence. */
export type CountFn = (type: PiiType) => void;

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
function presentIn(haystack: string, index: WatchIndex): WatchIndex | undefined {
  if (index.size === 0) return undefined;
  const present = index.present(haystack);
  return present.length === 0 ? undefined : new WatchIndex(present);
}

/** The entries watched since `mark` (first found in the text just read) that occur in `haystack`. */
function freshIn(haystack: string, vault: TokenVault, mark: number): WatchIndex | undefined {
  return vault.watched.length > mark ? presentIn(haystack, new WatchIndex(vault.watched.slice(mark))) : undefined;
}

/**
 * Tokenizes every string (and phone/ssn/card-named number) in a parsed JSON value. Strings that hold JSON themselves
 * (a file's text in structuredContent) are read as JSON, with field context and ignore rules.
 */
export function tokenizeJson(
  value: unknown,
  policy: PiiPolicy,
  vault: TokenVault,
  count: CountFn,
  reuse?: (text: string) => string | undefined,
): unknown {
  const mark = vault.watched.length;
  const before = mark > 0 ? presentIn(JSON.stringify(value ?? null), vault.watchedIndex()) : undefined;
  let out = walkNested(value, policy, vault, count, before, false, reuse);
  // Values first found in this very value (under a `phone` key, say) may sit in an earlier field as well.
  const fresh = vault.watched.length > mark ? freshIn(JSON.stringify(out ?? null), vault, mark) : undefined;
  if (fresh !== undefined) out = retokenizeKnown(out, fresh, policy, vault, count, reuse);
  return out;
}

function tokenizeNested(
  text: string,
  policy: PiiPolicy,
  vault: TokenVault,
  count: CountFn,
  ctx: KeyContext,
  watched: WatchIndex | undefined,
  knownOnly = false,
): string | undefined {
  // JSON kept in a string is read as JSON; its top-level value takes the field's meaning
  // ({"cards": "[\"4111...\"]"} holds cards).
  if (text.length > 1 && plausibleJson(text)) {
    const nested = nestedPolicy(policy);
    if (watched === undefined && !knownOnly && nested.ignoreKeys.size === 0 && nested.ignorePointers.length === 0) {
      // The fast reader alone: a string that only looks like JSON ("[2024-05-01T10:00Z] INFO ...") fails it cheaply
      // (no syntax error built) and is read as text.
      const fast = fastJson(text, nested, vault, count, ctx);
      if (fast !== undefined) return fast === text ? undefined : fast;
    } else {
      try {
        const out = tokenizeJsonTextWith(text, nested, vault, count, watched, knownOnly, ctx);
        return out === text ? undefined : out;
      } catch (error) {
        if (!(error instanceof JsonSyntaxError)) throw error;
      }
    }
  }
  return tokenizeString(text, policy, vault, count, ctx, watched, knownOnly);
}

/** Ignore pointers name places in the tool result, not in a document kept inside one of its strings. */
const nestedPolicies = new WeakMap<PiiPolicy, PiiPolicy>();
function nestedPolicy(policy: PiiPolicy): PiiPolicy {
  if (policy.ignorePointers.length === 0) return policy;
  let nested = nestedPolicies.get(policy);
  if (!nested) {
    nested = { ...policy, ignorePointers: [] };
    nestedPolicies.set(policy, nested);
  }
  return nested;
}

/**
 * An object or array whose first token could be JSON: a token (`[EMAIL_1]`), a bracketed note (`[draft] ...`) or a
 * `{name}` placeholder is not tried (and does not cost a thrown syntax error).
 */
function plausibleJson(text: string): boolean {
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
  return (from, to, field, kind) => {
    const ctx = field === undefined ? rootCtx : keyContext(field);
    if (kind === "number") return !hintTakesNumbers(ctx);
    return to - from < 3 || !mayContainPii(textFeatures(text, from, to), ctx, policy);
  };
}

/**
 * Tokenizes JSON text in place: only the literals that change are rewritten, the rest keeps its formatting.
 * Watched values (restored into arguments, or found only by field name) are also looked for in every literal of
 * the text, including values first found in this text; in numbers of other fields only restored ones.
 */
export function tokenizeJsonText(text: string, policy: PiiPolicy, vault: TokenVault, count: CountFn): string {
  // A byte order mark is not JSON; the text after it is.
  if (text.charCodeAt(0) === 0xfeff) return `\ufeff${tokenizeJsonText(text.slice(1), policy, vault, count)}`;
  const mark = vault.watched.length;
  let out = tokenizeJsonTextWith(text, policy, vault, count, presentIn(text, vault.watchedIndex()));
  const fresh = freshIn(out, vault, mark);
  if (fresh !== undefined) out = tokenizeJsonTextWith(out, policy, vault, count, fresh, true);
  return out;
}

function tokenizeJsonTextWith(
  text: string,
  policy: PiiPolicy,
  vault: TokenVault,
  count: CountFn,
  watched: WatchIndex | undefined,
  knownOnly = false,
  rootCtx: KeyContext = NO_CONTEXT,
): string {
  if (watched === undefined && !knownOnly) {
    const fast = fastJson(text, policy, vault, count, rootCtx);
    if (fast !== undefined) return fast;
  }
  return tokenizeJsonTextFull(text, policy, vault, count, watched, knownOnly, rootCtx);
}

/** The fast reader (jsonFast.ts); undefined when it gives up. Counts are held back until it succeeds, so a
 * fallback to the full reader or to text does not count anything twice. */
function fastJson(
  text: string,
  policy: PiiPolicy,
  vault: TokenVault,
  count: CountFn,
  rootCtx: KeyContext,
): string | undefined {
  const counted: PiiType[] = [];
  const fast = tokenizeJsonFast(
    text,
    policy,
    (value, ctx) => tokenizeNested(value, policy, vault, (type) => counted.push(type), ctx, undefined),
    undefined,
    rootCtx,
  );
  if (fast !== undefined) for (const type of counted) count(type);
  return fast;
}

/**
 * The same through the full reader (ignore rules, syntax errors, watched values). Throws JsonSyntaxError.
 * With watched values, every literal that overlaps one of their occurrences is read as well, whatever the pre-filter
 * says; with `knownOnly`, only those literals, and only for those values.
 */
export function tokenizeJsonTextFull(
  text: string,
  policy: PiiPolicy,
  vault: TokenVault,
  count: CountFn,
  watched?: WatchIndex,
  knownOnly = false,
  rootCtx: KeyContext = NO_CONTEXT,
): string {
  let out = "";
  let last = 0;
  // Counted only once the whole text has been read: on a syntax error the caller reads it again as plain text.
  const counted: PiiType[] = [];
  const hits = occurrences(text, watched);
  // Numbers of other fields are looked at only for values the program had restored: a count that equals a phone
  // found by its field name elsewhere is a count (what leaves the run is checked for such numbers as well).
  const numberHits = watched?.restored ? occurrences(text, watched, true) : NO_HITS;
  const filter = piiLiteralFilter(text, policy, rootCtx);
  const skip: LiteralFilter = (from, to, field, kind) =>
    !overlaps(kind === "number" ? numberHits : hits, from, to) && (knownOnly || filter(from, to, field, kind));
  lexJson(
    text,
    policy,
    (lit) => {
      const ctx = lit.kind === "key" ? NO_CONTEXT : lit.field === undefined ? rootCtx : keyContext(lit.field);
      let value = lit.value;
      if (lit.kind === "number" && !overlaps(numberHits, lit.start, lit.end)) {
        const digits = hintTakesNumbers(ctx) ? numberDigits(value) : undefined;
        if (digits === undefined) return;
        value = digits;
      }
      const tally = (type: PiiType) => counted.push(type);
      // A string that holds JSON (a document kept as a string field) is read as JSON too.
      const replaced =
        lit.kind === "string"
          ? tokenizeNested(value, policy, vault, tally, ctx, watched, knownOnly)
          : tokenizeString(value, policy, vault, tally, ctx, watched, knownOnly);
      if (replaced === undefined) return;
      out += text.slice(last, lit.start) + JSON.stringify(replaced);
      last = lit.end;
    },
    skip,
  );
  for (const type of counted) count(type);
  return last === 0 ? text : out + text.slice(last);
}

/** Where watched values occur in raw text (as written or JSON-escaped), sorted by start. */
interface Hits {
  starts: number[];
  ends: number[];
  /** The longest occurrence: how far back an overlapping one can start. */
  longest: number;
}

const NO_HITS: Hits = { starts: [], ends: [], longest: 0 };

function occurrences(text: string, watched: WatchIndex | undefined, restoredOnly = false): Hits {
  const hits: Hits = { starts: [], ends: [], longest: 0 };
  if (watched === undefined) return hits;
  for (const { start, end, entry } of watched.find(text)) {
    if (restoredOnly && !entry.restored) continue;
    hits.starts.push(start);
    hits.ends.push(end);
    hits.longest = Math.max(hits.longest, end - start);
  }
  return hits;
}

/** Whether any occurrence overlaps [from, to). */
function overlaps(hits: Hits, from: number, to: number): boolean {
  const { starts, ends } = hits;
  if (starts.length === 0) return false;
  // the first occurrence that starts at or after `to`; overlapping ones start before it, at most `longest` back
  const lo = firstNotBefore(starts.length, (i) => starts[i]! < to);
  for (let i = lo - 1; i >= 0 && from - starts[i]! < hits.longest; i--) if (ends[i]! > from) return true;
  return false;
}

/**
 * Looks only for the values of `index` (no detectors) in a string (JSON-aware) or in every string, key and number of
 * a parsed value: the pass over a whole tool result once a later part of it gave away a value found by field name.
 */
export function retokenizeKnown(
  value: unknown,
  index: WatchIndex,
  policy: PiiPolicy,
  vault: TokenVault,
  count: CountFn,
  reuse?: (text: string) => string | undefined,
): unknown {
  if (typeof value === "string") return tokenizeNested(value, policy, vault, count, NO_CONTEXT, index, true) ?? value;
  return walkNested(value, policy, vault, count, index, true, reuse);
}

/**
 * Every string (JSON-aware) and key of a parsed value through tokenizeNested; numbers of any field too when a value
 * the program had restored is looked for (a tool may hand one back as a number). `reuse` gives a string that is a
 * copy of a text content that text's tokenized form, read without field names: only where this field adds no
 * meaning either.
 */
function walkNested(
  value: unknown,
  policy: PiiPolicy,
  vault: TokenVault,
  count: CountFn,
  watched: WatchIndex | undefined,
  knownOnly: boolean,
  reuse?: (text: string) => string | undefined,
): unknown {
  return walkJson(
    value,
    policy,
    (text, ctx) => {
      const done = ctx.hint === undefined ? reuse?.(text) : undefined;
      if (done !== undefined) return done === text ? undefined : done;
      return tokenizeNested(text, policy, vault, count, ctx, watched, knownOnly);
    },
    watched?.restored === true,
  );
}

/** Text that may be JSON (a server's text content): JSON-aware when it parses, plain text otherwise. */
export function tokenizeTextOrJson(text: string, policy: PiiPolicy, vault: TokenVault, count: CountFn): string {
  if (looksLikeJson(text)) {
    try {
      return tokenizeJsonText(text, policy, vault, count);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
    }
  }
  const mark = vault.watched.length;
  let out = tokenizeString(text, policy, vault, count, NO_CONTEXT, presentIn(text, vault.watchedIndex())) ?? text;
  const fresh = freshIn(out, vault, mark);
  if (fresh !== undefined) out = tokenizeString(out, policy, vault, count, NO_CONTEXT, fresh, true) ?? out;
  return out;
}

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

/** Replaces known tokens in a string with their values; unknown token-shaped text is left as is. */
export function restoreString(text: string, vault: TokenVault, count: CountFn): string | undefined {
  if (text.indexOf("[") < 0) return undefined;
  let changed = false;
  const out = text.replace(TOKEN_RE, (token) => {
    const entry = vault.lookup(token);
    if (!entry) return token;
    vault.watch(entry, "restored");
    changed = true;
    count(entry.type);
    return entry.value;
  });
  return changed ? out : undefined;
}

/** Restores tokens in every string and key of a JSON value (tool arguments). Ignore rules do not apply here. */
export function restoreJson(value: unknown, vault: TokenVault, count: CountFn): unknown {
  if (typeof value === "string") return restoreString(value, vault, count) ?? value;
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = restoreJson(item, vault, count);
      if (next !== item) {
        copy ??= value.slice();
        copy[i] = next;
      }
    });
    return copy ?? value;
  }
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = restoreString(k, vault, count) ?? k;
    const next = restoreJson(v, vault, count);
    if (key !== k || next !== v) changed = true;
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return changed ? out : value;
}
