/** Tokenizing JSON: parsed values, JSON text (read fast, or in full with ignore rules), and text that may be JSON. */
import { type KeyContext, keyContext, NO_CONTEXT } from "../detect/keyContext.js";
import { tokenizeJsonFast } from "../json/fast.js";
import { JsonSyntaxError, type LiteralFilter, lexJson } from "../json/lexer.js";
import { looksLikeJson, piiLiteralFilter, plausibleJson } from "../json/sniff.js";
import { hintTakesNumbers, numberDigits, walkJson } from "../json/walk.js";
import type { CountFn, PiiPolicy, PiiType } from "../types.js";
import type { TokenVault } from "../vault/vault.js";
import { firstNotBefore, type WatchIndex } from "../vault/watch.js";
import { freshIn, presentIn, tokenizeString } from "./strings.js";

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
