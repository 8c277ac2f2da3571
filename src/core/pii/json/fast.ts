/**
 * The bridge's fast path for tokenizing JSON text (every tool result goes through it). Instead of reading the whole
 * grammar it hops from string literal to string literal with indexOf, and only looks at the characters between them
 * to follow the nesting (for field context) and to find numbers in phone / ssn / card fields. Anything between
 * literals that valid JSON would not have there makes it give up (undefined): the caller then uses the full reader
 * (jsonLexer.ts), which also reports syntax errors. Policies with ignore rules always use the full reader, since
 * those need JSON pointers.
 */
import { mayContainPii } from "../detect/detect.js";
import { textFeatures } from "../detect/detectors/text.js";
import { type KeyContext, NO_CONTEXT, keyContext } from "../detect/keyContext.js";
import { RecordTemplates } from "./recordTemplate.js";
import { hintTakesNumbers, numberDigits } from "./walk.js";
import type { PiiPolicy } from "../types.js";

/** Replaces a decoded literal's value; undefined keeps it. */
export type LiteralRewrite = (value: string, ctx: KeyContext) => string | undefined;

interface Frame {
  array: boolean;
  /** For arrays: the context of the field the array sits under (its items take it). */
  ctx: KeyContext;
  /** For objects: position of the next key, for reusing key strings across records. */
  keyIndex: number;
  /** For objects: the key strings (and their contexts) last seen at each position at this depth. */
  keys: string[];
  ctxs: KeyContext[];
  /** For objects: per key position, the last value there that no detector could match (see sameShape). */
  shapes: (string | undefined)[];
  /** For records in an array: where the record starts (for learning a template from it), else -1. */
  start: number;
  /** Nothing but strings, numbers, true, false and null inside. */
  flat: boolean;
  /** `copied` when the record started: if it moved, something inside was rewritten. */
  copiedAtStart: number;
  /** For objects: a key comes next (after '{' or ','), not a value. */
  expectKey: boolean;
}

export function tokenizeJsonFast(
  text: string,
  policy: PiiPolicy,
  rewrite: LiteralRewrite,
  templates: RecordTemplates | undefined = RecordTemplates.usable(policy) ? new RecordTemplates(policy) : undefined,
  /** The context of the top-level value: a field's, when the text is JSON kept in that field's string. */
  rootCtx: KeyContext = NO_CONTEXT,
): string | undefined {
  if (policy.ignoreKeys.size > 0 || policy.ignorePointers.length > 0) return undefined;
  const len = text.length;
  const stack: Frame[] = [];
  // Per depth and key position: the last key string seen there and its context, reused while records repeat.
  const keyCache: string[][] = [];
  const ctxCache: KeyContext[][] = [];
  const shapeCache: (string | undefined)[][] = [];
  let lastCtx: KeyContext = NO_CONTEXT;
  let out = "";
  let copied = 0;
  let i = 0;
  let nextBackslash = 0;
  /** A whole top-level value has been read: anything after it but whitespace is not JSON. */
  let topDone = false;

  const currentCtx = (): KeyContext => {
    const top = stack[stack.length - 1];
    return top === undefined ? rootCtx : top.array ? top.ctx : lastCtx;
  };
  const replace = (start: number, end: number, value: string) => {
    out += text.slice(copied, start) + JSON.stringify(value);
    copied = end;
  };

  for (;;) {
    // Between literals: whitespace, structure, numbers, true / false / null, nothing else. Gaps are short, so they
    // are walked char by char up to the next quote (cheaper than a search call per literal).
    let quote = -1;
    for (let k = i; k < len; k++) {
      const c = text.charCodeAt(k);
      if (c === 34) {
        quote = k;
        break;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      // Text that only starts like JSON ('"Ada",415-555-2671') must fail here, so it is read as plain text.
      if (stack.length === 0 && (topDone || c === 44 || c === 58)) return undefined;
      const open = stack[stack.length - 1];
      if (c === 44) {
        if (open !== undefined && !open.array) open.expectKey = true;
        continue;
      }
      if (c === 58) {
        // ':' only after a key, which the literal reading below has checked
        if (open === undefined || open.array) return undefined;
        continue;
      }
      // a value where an object wants a key ({1: 2}, {{}})
      if (open !== undefined && !open.array && open.expectKey && c !== 125) return undefined;
      if (c === 123 || c === 91) {
        const parent = stack[stack.length - 1];
        const depth = stack.length + 1;
        const record = c === 123 && parent !== undefined && parent.array && templates !== undefined;
        if (record) {
          // A record like the ones before it, proven clean in one regex match: nothing to walk.
          const end = templates.match(text, k, depth);
          if (end > 0) {
            k = end - 1;
            continue;
          }
        }
        if (parent !== undefined) parent.flat = false;
        const ctx = parent === undefined ? rootCtx : parent.array ? parent.ctx : lastCtx;
        keyCache[depth] ??= [];
        ctxCache[depth] ??= [];
        shapeCache[depth] ??= [];
        stack.push({
          array: c === 91,
          ctx,
          keyIndex: 0,
          keys: keyCache[depth]!,
          ctxs: ctxCache[depth]!,
          shapes: shapeCache[depth]!,
          start: record ? k : -1,
          flat: true,
          copiedAtStart: copied,
          expectKey: c === 123,
        });
      } else if (c === 125 || c === 93) {
        const frame = stack.pop();
        if (frame === undefined || frame.array !== (c === 93)) return undefined;
        if (stack.length === 0) topDone = true;
        if (frame.start >= 0 && c === 125 && frame.flat && copied === frame.copiedAtStart) {
          templates!.learn(text, frame.start, k + 1, stack.length + 1);
        }
      } else if ((c >= 48 && c <= 57) || c === 45) {
        let e = k + 1;
        for (; e < len; e++) {
          const d = text.charCodeAt(e);
          if (!((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) break;
        }
        if (!jsonNumber(text, k, e)) return undefined;
        if (stack.length === 0) topDone = true;
        const ctx = currentCtx();
        if (hintTakesNumbers(ctx)) {
          const digits = numberDigits(text.slice(k, e));
          if (digits !== undefined) {
            const replaced = rewrite(digits, ctx);
            if (replaced !== undefined) replace(k, e, replaced);
          }
        }
        k = e - 1;
      } else if (c === 116 || c === 102 || c === 110) {
        const word = c === 116 ? "true" : c === 102 ? "false" : "null";
        if (!text.startsWith(word, k)) return undefined;
        if (stack.length === 0) topDone = true;
        k += word.length - 1;
      } else return undefined;
    }
    if (quote < 0) break;
    if (stack.length === 0) {
      if (topDone) return undefined;
      topDone = true;
    }

    // Records repeat their keys: the key last seen at this position is compared in place, without any search.
    const frame = stack[stack.length - 1];
    if (frame !== undefined && !frame.array && frame.expectKey) {
      const expected = frame.keys[frame.keyIndex];
      if (expected !== undefined && sameKey(text, quote + 1, expected)) {
        let after = quote + expected.length + 2;
        let c = text.charCodeAt(after);
        while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++after);
        if (c === 58) {
          lastCtx = frame.ctxs[frame.keyIndex]!;
          frame.keyIndex++;
          frame.expectKey = false;
          i = quote + expected.length + 2;
          continue;
        }
      }
    }

    // The literal: find its closing quote (an even run of backslashes before it).
    let j = quote + 1;
    let close: number;
    for (;;) {
      close = text.indexOf('"', j);
      if (close < 0) return undefined;
      let backslashes = 0;
      for (let k = close - 1; k > quote && text.charCodeAt(k) === 92; k--) backslashes++;
      if (backslashes % 2 === 0) break;
      j = close + 1;
    }
    if (nextBackslash !== -1 && nextBackslash <= quote) nextBackslash = text.indexOf("\\", quote + 1);
    const escaped = nextBackslash !== -1 && nextBackslash < close;
    i = close + 1;

    // A key is a literal followed by ':'.
    let after = i;
    let c = text.charCodeAt(after);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++after);
    const top = stack[stack.length - 1];
    // A key where a key belongs, a value where a value belongs ({"phone" "555"}, ["ssn": "..."] are not JSON).
    if ((c === 58) !== (top !== undefined && !top.array && top.expectKey)) return undefined;
    if (c === 58 && top !== undefined && !top.array) {
      top.expectKey = false;
      const slot = top.keys;
      const ctxSlot = top.ctxs;
      const cached = slot[top.keyIndex];
      const keyLength = close - quote - 1;
      // Only keys that cannot hold PII are cached, so a cache hit needs no check.
      if (!escaped && cached !== undefined && cached.length === keyLength && text.startsWith(cached, quote + 1)) {
        lastCtx = ctxSlot[top.keyIndex]!;
      } else {
        const key = escaped ? decodeLiteral(text.slice(quote, i)) : text.slice(quote + 1, close);
        if (key === undefined) return undefined;
        lastCtx = keyContext(key);
        if (escaped || mayContainPii(textFeatures(key), NO_CONTEXT, policy)) {
          const replaced = rewrite(key, NO_CONTEXT);
          if (replaced !== undefined) replace(quote, i, replaced);
        } else {
          slot[top.keyIndex] = key;
          ctxSlot[top.keyIndex] = lastCtx;
        }
      }
      top.keyIndex++;
      continue;
    }

    const ctx = currentCtx();
    const length = close - quote - 1;
    // Under 6 characters only "::1" could match a detector (an email needs "a@b.co"), unless the field says more.
    const tooShort =
      length < 6 && ctx.hint === undefined && policy.patterns.length === 0 && text.charCodeAt(quote + 1) !== 58;
    if (!escaped) {
      if (tooShort) continue;
      // Under the same key as a clean value of the same shape (ISO timestamps, "item-123"...): clean as well.
      // Only under keys without a hint: there the gate depends on the shape alone, whatever the key.
      const shapes =
        top !== undefined && !top.array && top.keyIndex > 0 && ctx.hint === undefined ? top.shapes : undefined;
      const previous = shapes?.[top!.keyIndex - 1];
      if (previous !== undefined && sameShape(text, quote + 1, close, previous)) continue;
      if (!mayContainPii(textFeatures(text, quote + 1, close), ctx, policy)) {
        if (shapes !== undefined && close - quote <= 64) shapes[top!.keyIndex - 1] = text.slice(quote + 1, close);
        continue;
      }
    }
    const value = escaped ? decodeLiteral(text.slice(quote, i)) : text.slice(quote + 1, close);
    if (value === undefined) return undefined;
    const replaced = rewrite(value, ctx);
    if (replaced !== undefined) replace(quote, i, replaced);
  }
  if (stack.length !== 0) return undefined;
  return copied === 0 ? text : out + text.slice(copied);
}

/** Whether text[from, to) is a number as JSON spells it (no leading zeros, digits after '.' and 'e'). */
function jsonNumber(text: string, from: number, to: number): boolean {
  let i = from;
  if (text.charCodeAt(i) === 45) i++;
  const digits = () => {
    const start = i;
    while (i < to && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    return i > start;
  };
  if (text.charCodeAt(i) === 48) i++;
  else if (!digits()) return false;
  if (i < to && text.charCodeAt(i) === 46) {
    i++;
    if (!digits()) return false;
  }
  if (i < to && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69)) {
    i++;
    if (i < to && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
    if (!digits()) return false;
  }
  return i === to;
}

function decodeLiteral(raw: string): string | undefined {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return undefined;
  }
}

/** Whether the literal whose content starts at `from` is exactly `key` (an unescaped key, so no backslashes). */
function sameKey(text: string, from: number, key: string): boolean {
  const n = key.length;
  if (text.charCodeAt(from + n) !== 34) return false;
  for (let k = 0; k < n; k++) if (text.charCodeAt(from + k) !== key.charCodeAt(k)) return false;
  return true;
}

/**
 * Same length, same characters, except that any digit may stand for any digit. Every feature the detectors' gate
 * looks at (digit counts and runs, letters, separators, '@'...) depends only on that, so a value of the same shape as
 * a clean value under the same key is clean too.
 */
function sameShape(text: string, from: number, to: number, previous: string): boolean {
  if (to - from !== previous.length) return false;
  for (let k = 0; k < previous.length; k++) {
    const a = text.charCodeAt(from + k);
    const b = previous.charCodeAt(k);
    if (a !== b && !(a >= 48 && a <= 57 && b >= 48 && b <= 57)) return false;
  }
  return true;
}
