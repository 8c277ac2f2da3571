/**
 * Walks a parsed JSON value: every string value and every object key goes through `visit` with the context of the
 * field it sits in. Returns the same value when nothing changed, else a copy with only the changed branches copied.
 * Fields the policy ignores are skipped whole.
 */
import { type KeyContext, NO_CONTEXT, keyContext } from "../detect/keyContext.js";
import { type PathSegment, pointerIgnored } from "./pointer.js";
import type { PiiPolicy } from "../types.js";

/**
 * The digits of a number literal that stands for a whole number ("4155552671", "4155552671.0", "4.155552671e9",
 * "-4155552671"), for phone / ssn / card fields; undefined for anything else.
 */
export function numberDigits(literal: string): string | undefined {
  let digits: string | undefined;
  if (/^\d+$/.test(literal)) digits = literal;
  else {
    const n = Number(literal);
    if (!Number.isInteger(n)) return undefined;
    digits = Number.isSafeInteger(n) ? String(Math.abs(n)) : BigInt(n).toString().replace("-", "");
  }
  return digits;
}

/** Fields whose numbers are read as values: phone, SSN and card fields ({"phone": 14155552671}). */
export function hintTakesNumbers(ctx: KeyContext): boolean {
  return ctx.hint === "phone" || ctx.hint === "ssn" || ctx.hint === "credit_card";
}

/** Returns the replacement string, or undefined to keep the original. */
export type StringVisitor = (
  text: string,
  ctx: KeyContext,
  segments: readonly PathSegment[],
  inKey: boolean,
) => string | undefined;

export type IgnoreRules = Pick<PiiPolicy, "ignoreKeys" | "ignorePointers">;

export function isFieldIgnored(policy: IgnoreRules, key: string, segments: readonly PathSegment[]): boolean {
  if (policy.ignoreKeys.size > 0 && policy.ignoreKeys.has(key.toLowerCase())) return true;
  return policy.ignorePointers.length > 0 && pointerIgnored(segments, policy.ignorePointers);
}

/**
 * Numbers reach `visit` as text only in phone / ssn / card fields (as their digits), unless `allNumbers` (when
 * looking for values already known, which may come back as a number anywhere). A replaced number becomes a string.
 */
export function walkJson(value: unknown, policy: IgnoreRules, visit: StringVisitor, allNumbers = false): unknown {
  return walk(value, undefined, [], policy, visit, allNumbers);
}

function walk(
  value: unknown,
  key: string | undefined,
  segs: PathSegment[],
  policy: IgnoreRules,
  visit: StringVisitor,
  allNumbers: boolean,
): unknown {
  if (typeof value === "string") return visit(value, keyContext(key), segs, false) ?? value;
  if (typeof value === "number") {
    // Numbers matter where the field name says phone / ssn / card (e.g. {"phone": 14155552671}).
    const ctx = keyContext(key);
    // Integers beyond 2^53 too: a card number JSON.parse rounded still holds most of the real digits.
    if (Number.isInteger(value) && hintTakesNumbers(ctx)) {
      return visit(numberDigits(String(value)) ?? String(Math.abs(value)), ctx, segs, false) ?? value;
    }
    return allNumbers ? (visit(String(value), ctx, segs, false) ?? value) : value;
  }
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      segs.push(i);
      const item = value[i];
      const next = walk(item, key, segs, policy, visit, allNumbers);
      segs.pop();
      if (next !== item) {
        copy ??= value.slice();
        copy[i] = next;
      }
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i]!;
    segs.push(k);
    if (isFieldIgnored(policy, k, segs)) {
      segs.pop();
      if (copy) setOwn(copy, k, v);
      continue;
    }
    const newKey = visit(k, NO_CONTEXT, segs, true) ?? k;
    const next = walk(v, k, segs, policy, visit, allNumbers);
    segs.pop();
    if (newKey !== k || next !== v) {
      copy ??= rebuildUpTo(entries, i);
      setOwn(copy, newKey, next);
    } else if (copy) setOwn(copy, k, v);
  }
  return copy ?? value;
}

/** A fresh object with the first `count` entries, so later entries keep their order. */
function rebuildUpTo(entries: [string, unknown][], count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const [k, v] = entries[i]!;
    setOwn(out, k, v);
  }
  return out;
}

/** Plain assignment would treat a "__proto__" key from JSON as the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
