/** Argument matching for replay: exact by default; listed fields (names at any depth, or dotted paths) ignored. */
import { isPlainObject } from "../json/index.js";
import { deepEqual } from "./compare.js";
import type { ArgRules } from "./types.js";

/** Recorded values replaced by the recorder start with this; in replay they match any actual value. */
export const REDACTED_PREFIX = "[REDACTED";

export function isRedacted(value: unknown): boolean {
  return typeof value === "string" && value.startsWith(REDACTED_PREFIX);
}

/** Removes ignored fields: `name` drops that key at any depth, `a.b` drops only that path from the top. */
export function stripIgnored(value: unknown, ignore: string[] = [], path: string[] = []): unknown {
  if (ignore.length === 0) return value;
  if (Array.isArray(value)) return value.map((item) => stripIgnored(item, ignore, path));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const here = [...path, key];
    const dotted = here.join(".");
    if (ignore.some((rule) => (rule.includes(".") ? rule === dotted : rule === key))) continue;
    out[key] = stripIgnored(child, ignore, here);
  }
  return out;
}

/** Replaces each redacted expected value with whatever the actual value is at that place. */
function fillRedacted(expected: unknown, actual: unknown): unknown {
  if (isRedacted(expected)) return actual;
  if (Array.isArray(expected) && Array.isArray(actual)) return expected.map((item, i) => fillRedacted(item, actual[i]));
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(expected)) out[key] = fillRedacted(value, actual[key]);
    return out;
  }
  return expected;
}

/** The arguments as they are compared (ignored fields removed), for diffs. */
export function comparableArgs(args: unknown, rules: ArgRules = {}): unknown {
  return stripIgnored(args, rules.ignore);
}

export function argsMatch(expected: unknown, actual: unknown, rules: ArgRules = {}): boolean {
  const a = comparableArgs(expected, rules);
  const b = comparableArgs(actual, rules);
  return deepEqual(fillRedacted(a, b), b);
}
