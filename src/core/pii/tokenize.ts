/** Replacing detected values with tokens (tool results) and tokens with values (tool arguments). */
import { detectInString, mayContainPii, resolveOverlaps } from "./detect.js";
import { textFeatures } from "./detectors/text.js";
import { tokenizeJsonFast } from "./jsonFast.js";
import { JsonSyntaxError, type LiteralFilter, lexJson } from "./jsonLexer.js";
import { type KeyContext, NO_CONTEXT, keyContext } from "./keyContext.js";
import type { PiiMatch, PiiPolicy, PiiType } from "./types.js";
import { TOKEN_RE, type TokenVault } from "./vault.js";
import { walkJson } from "./walk.js";

/** Called once per replaced occurrence. */
export type CountFn = (type: PiiType) => void;

function replaceMatches(text: string, matches: PiiMatch[], vault: TokenVault, count: CountFn): string {
  let out = "";
  let last = 0;
  for (const m of matches) {
    out += text.slice(last, m.start) + vault.tokenFor(m.type, text.slice(m.start, m.end)).token;
    count(m.type);
    last = m.end;
  }
  return out + text.slice(last);
}

/** Tokenizes one string; undefined when nothing was found. */
export function tokenizeString(
  text: string,
  policy: PiiPolicy,
  vault: TokenVault,
  count: CountFn,
  ctx: KeyContext = NO_CONTEXT,
): string | undefined {
  let matches = detectInString(text, policy, ctx);
  if (vault.size > 0 && text.length >= 3) {
    const known = knownValueMatches(text, vault);
    if (known.length > 0) matches = resolveOverlaps([...matches, ...known]);
  }
  return matches.length === 0 ? undefined : replaceMatches(text, matches, vault, count);
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
    if (word.length < 3) continue;
    const entry = vault.entryFor(word);
    if (entry) out.push({ type: entry.type, start: m.index, end: m.index + word.length, confidence: 1 });
  }
  return out;
}

/** Tokenizes every string (and phone/ssn/card-named number) in a parsed JSON value. */
export function tokenizeJson(value: unknown, policy: PiiPolicy, vault: TokenVault, count: CountFn): unknown {
  return walkJson(value, policy, (text, ctx) => tokenizeString(text, policy, vault, count, ctx));
}

function numberMayBePii(ctx: KeyContext, text: string): boolean {
  return (ctx.hint === "phone" || ctx.hint === "ssn" || ctx.hint === "credit_card") && /^\d+$/.test(text);
}

/** The reader's pre-filter: numbers outside phone/ssn/card fields, and strings no detector could match. */
export function piiLiteralFilter(text: string, policy: PiiPolicy): LiteralFilter {
  return (from, to, field, kind) => {
    const ctx = keyContext(field);
    if (kind === "number") return ctx.hint !== "phone" && ctx.hint !== "ssn" && ctx.hint !== "credit_card";
    return to - from < 3 || !mayContainPii(textFeatures(text, from, to), ctx, policy);
  };
}

/** Tokenizes JSON text in place: only the literals that change are rewritten, the rest keeps its formatting. */
export function tokenizeJsonText(text: string, policy: PiiPolicy, vault: TokenVault, count: CountFn): string {
  // Fast path first; counts are held back until it succeeds, so a fallback does not count anything twice.
  const counted: PiiType[] = [];
  const fast = tokenizeJsonFast(text, policy, (value, ctx) =>
    tokenizeString(value, policy, vault, (type) => counted.push(type), ctx),
  );
  if (fast !== undefined) {
    for (const type of counted) count(type);
    return fast;
  }
  return tokenizeJsonTextFull(text, policy, vault, count);
}

/** The same through the full reader (ignore rules, syntax errors). Throws JsonSyntaxError. */
export function tokenizeJsonTextFull(text: string, policy: PiiPolicy, vault: TokenVault, count: CountFn): string {
  let out = "";
  let last = 0;
  // Counted only once the whole text has been read: on a syntax error the caller reads it again as plain text.
  const counted: PiiType[] = [];
  lexJson(
    text,
    policy,
    (lit) => {
      const ctx = lit.kind === "key" ? NO_CONTEXT : keyContext(lit.field);
      if (lit.kind === "number" && !numberMayBePii(ctx, lit.value)) return;
      const replaced = tokenizeString(lit.value, policy, vault, (type) => counted.push(type), ctx);
      if (replaced === undefined) return;
      out += text.slice(last, lit.start) + JSON.stringify(replaced);
      last = lit.end;
    },
    piiLiteralFilter(text, policy),
  );
  for (const type of counted) count(type);
  return last === 0 ? text : out + text.slice(last);
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
  return tokenizeString(text, policy, vault, count) ?? text;
}

export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) continue;
    return c === 123 || c === 91 || c === 34;
  }
  return false;
}

/** Replaces known tokens in a string with their values; unknown token-shaped text is left as is. */
export function restoreString(text: string, vault: TokenVault, count: CountFn): string | undefined {
  if (text.indexOf("[") < 0) return undefined;
  let changed = false;
  const out = text.replace(TOKEN_RE, (token) => {
    const entry = vault.lookup(token);
    if (!entry) return token;
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
