/** Structural comparison of JSON values: deep equality and deep partial ("subset") matching. */
import { escapePointerToken, isPlainObject } from "../json/index.js";

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
    if (keysA.length !== keysB.length) return false;
    return keysA.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * Deep partial match: every key of an expected object must be present in the actual object with a matching value;
 * extra actual keys are fine. Arrays match element by element and must have the same length (as in Jest's
 * toMatchObject). Scalars must be equal. Returns the JSON pointer of the first difference, or null when it matches.
 */
export function findSubsetMismatch(expected: unknown, actual: unknown, pointer = ""): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return pointer;
    for (let i = 0; i < expected.length; i++) {
      const at = findSubsetMismatch(expected[i], actual[i], `${pointer}/${i}`);
      if (at !== null) return at;
    }
    return null;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return pointer;
    for (const [key, value] of Object.entries(expected)) {
      if (value === undefined) continue;
      const child = `${pointer}/${escapePointerToken(key)}`;
      if (!Object.hasOwn(actual, key)) return child;
      const at = findSubsetMismatch(value, actual[key], child);
      if (at !== null) return at;
    }
    return null;
  }
  return deepEqual(expected, actual) ? null : pointer;
}

export function isSubset(expected: unknown, actual: unknown): boolean {
  return findSubsetMismatch(expected, actual) === null;
}

/** Keeps only the parts of `actual` that `expected` talks about, so a subset diff shows what matters. */
export function projectOnto(expected: unknown, actual: unknown): unknown {
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(expected)) {
      if (Object.hasOwn(actual, key)) out[key] = projectOnto(expected[key], actual[key]);
    }
    return out;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return actual.map((item, i) => (i < expected.length ? projectOnto(expected[i], item) : item));
  }
  return actual;
}
