/**
 * A check that needs no compiling, for the plain schemas most skills' inputs are. ajv compiles a schema into code
 * (~1 ms: code generation, then V8 compiles it), which pays off for a schema used many times but dominates where each
 * schema answers once: `skills validate` checks every skill's test inputs against its own input schema. This check
 * walks the schema instead, and only ever answers "valid": a value it is not sure of, a keyword outside the subset
 * below, or a value that fails, gets `undefined`, and the compiled validator decides and says why. So an answer here
 * is always the compiled validator's answer (test/unit/schemaQuickCheck.test.ts compares the two on many schemas).
 *
 * The subset: type, enum, const; minimum, maximum, exclusiveMinimum, exclusiveMaximum; minLength, maxLength,
 * pattern; items (one schema), minItems, maxItems, uniqueItems; properties, required, additionalProperties,
 * minProperties, maxProperties; annotations (title, description, default, examples, ...). Defaults are filled in
 * as ajv's `useDefaults` does (under `properties`, when the value is missing, a fresh copy through JSON).
 */

type Schema = Record<string, unknown>;

const TYPES = new Set(["null", "boolean", "object", "array", "number", "string", "integer"]);
const ANNOTATIONS: Record<string, (value: unknown) => boolean> = {
  title: (v) => typeof v === "string",
  description: (v) => typeof v === "string",
  $comment: (v) => typeof v === "string",
  examples: Array.isArray,
  deprecated: (v) => typeof v === "boolean",
  readOnly: (v) => typeof v === "boolean",
  writeOnly: (v) => typeof v === "boolean",
  default: () => true,
};
const isNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v);
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
/** ajv-formats' `regex` (the meta-schema's format of `pattern`) refuses `\Z`; ajv compiles patterns with "u". */
const Z_ANCHOR = /[^\\]\\Z/;
/** Past this many items uniqueItems is left to ajv (the pairwise comparison grows with the square). */
const MAX_UNIQUE_ITEMS = 200;

/**
 * Whether a schema lies in the subset, with every keyword's value one its meta-schema accepts: such a schema is valid
 * in 2020-12 and in draft-07, and ajv compiles it.
 */
export function quickCheckable(schema: unknown): boolean {
  if (typeof schema !== "object" || schema === null) return subsetHolds(schema, true);
  // a manifest's input schema is asked about more than once (meta-schema check, then its validator)
  let known = checked.get(schema);
  if (known === undefined) {
    known = subsetHolds(schema, true);
    checked.set(schema, known);
  }
  return known;
}

const checked = new WeakMap<object, boolean>();

function subsetHolds(schema: unknown, top: boolean): boolean {
  if (typeof schema === "boolean") return true;
  if (!isPlain(schema)) return false;
  for (const [keyword, value] of Object.entries(schema)) {
    if (!keywordOk(keyword, value, top)) return false;
  }
  return true;
}

function keywordOk(keyword: string, value: unknown, top: boolean): boolean {
  const annotation = ANNOTATIONS[keyword];
  if (annotation) return annotation(value);
  switch (keyword) {
    // the factory drops these at the top (dialect.ts); anywhere else they change how references resolve
    case "$schema":
      return top && typeof value === "string";
    case "$id":
      // the 2020-12 meta-schema's rule: no fragment but an empty one
      return top && typeof value === "string" && /^[^#]*#?$/.test(value);
    case "type":
      return typeof value === "string"
        ? TYPES.has(value)
        : Array.isArray(value) &&
            value.length > 0 &&
            value.every((t) => typeof t === "string" && TYPES.has(t)) &&
            new Set(value).size === value.length;
    case "enum":
      // draft-07's meta-schema wants the options unique; ajv refuses an empty list
      return Array.isArray(value) && value.length > 0 && value.every(isJson) && distinct(value);
    case "const":
      return isJson(value);
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return isNumber(value);
    case "minLength":
    case "maxLength":
    case "minItems":
    case "maxItems":
    case "minProperties":
    case "maxProperties":
      return isCount(value);
    case "uniqueItems":
      return typeof value === "boolean";
    case "pattern":
      return typeof value === "string" && patternOk(value);
    case "items":
    case "additionalProperties":
      return subsetHolds(value, false);
    case "properties":
      // ajv leaves a property named __proto__ out of `properties` (and counts it as additional)
      return (
        isPlain(value) &&
        !Object.hasOwn(value, "__proto__") &&
        Object.values(value).every((sub) => subsetHolds(sub, false))
      );
    case "required":
      return (
        Array.isArray(value) && value.every((name) => typeof name === "string") && new Set(value).size === value.length
      );
    default:
      return false;
  }
}

const patterns = new Map<string, RegExp | null>();

function patternOk(pattern: string): boolean {
  return regExp(pattern) !== null;
}

function regExp(pattern: string): RegExp | null {
  let found = patterns.get(pattern);
  if (found === undefined) {
    try {
      new RegExp(pattern);
      found = Z_ANCHOR.test(pattern) ? null : new RegExp(pattern, "u");
    } catch {
      found = null;
    }
    if (patterns.size > 1000) patterns.clear();
    patterns.set(pattern, found);
  }
  return found;
}

/**
 * `true` when `value` is valid against a schema that quickCheckable() accepted (defaults filled in when asked);
 * `undefined` when the compiled validator has to decide.
 */
export function quickCheck(schema: unknown, value: unknown, useDefaults: boolean): true | undefined {
  return valid(schema, value, useDefaults) ? true : undefined;
}

function valid(schema: unknown, data: unknown, useDefaults: boolean): boolean {
  if (schema === true) return true;
  if (!isPlain(schema)) return false;
  const kind = kindOf(data);
  if (kind === undefined) return false;
  if (kind === "object" && useDefaults && isPlain(schema.properties)) fillDefaults(schema.properties, data as Schema);
  if (schema.type !== undefined && !typeMatches(schema.type, kind, data)) return false;
  switch (kind) {
    case "number":
      if (!numberValid(schema, data as number)) return false;
      break;
    case "string":
      if (!stringValid(schema, data as string)) return false;
      break;
    case "array":
      if (!arrayValid(schema, data as unknown[], useDefaults)) return false;
      break;
    case "object":
      if (!objectValid(schema, data as Schema, useDefaults)) return false;
      break;
  }
  if (schema.const !== undefined && !jsonEqual(schema.const, data)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => jsonEqual(option, data))) return false;
  return true;
}

type Kind = "null" | "boolean" | "number" | "string" | "array" | "object";

/** The JSON kind of a value; undefined for anything JSON does not have (NaN, Infinity, functions, class instances). */
function kindOf(data: unknown): Kind | undefined {
  if (data === null) return "null";
  switch (typeof data) {
    case "boolean":
      return "boolean";
    case "number":
      return Number.isFinite(data) ? "number" : undefined;
    case "string":
      return "string";
    case "object":
      if (Array.isArray(data)) return "array";
      return isPlain(data) ? "object" : undefined;
    default:
      return undefined;
  }
}

function typeMatches(type: unknown, kind: Kind, data: unknown): boolean {
  const one = (t: unknown) => t === kind || (t === "integer" && kind === "number" && Number.isInteger(data));
  return Array.isArray(type) ? type.some(one) : one(type);
}

function numberValid(schema: Schema, data: number): boolean {
  if (typeof schema.minimum === "number" && data < schema.minimum) return false;
  if (typeof schema.maximum === "number" && data > schema.maximum) return false;
  if (typeof schema.exclusiveMinimum === "number" && data <= schema.exclusiveMinimum) return false;
  if (typeof schema.exclusiveMaximum === "number" && data >= schema.exclusiveMaximum) return false;
  return true;
}

function stringValid(schema: Schema, data: string): boolean {
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    const length = codePoints(data);
    if (typeof schema.minLength === "number" && length < schema.minLength) return false;
    if (typeof schema.maxLength === "number" && length > schema.maxLength) return false;
  }
  if (typeof schema.pattern === "string") {
    const pattern = regExp(schema.pattern);
    if (!pattern?.test(data)) return false;
  }
  return true;
}

/** Length as ajv counts it (a surrogate pair is one character). */
function codePoints(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    length++;
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return length;
}

function arrayValid(schema: Schema, data: unknown[], useDefaults: boolean): boolean {
  if (typeof schema.minItems === "number" && data.length < schema.minItems) return false;
  if (typeof schema.maxItems === "number" && data.length > schema.maxItems) return false;
  if (schema.items !== undefined && !data.every((item) => valid(schema.items, item, useDefaults))) return false;
  if (schema.uniqueItems === true) {
    if (data.length > MAX_UNIQUE_ITEMS) return false;
    for (let i = 1; i < data.length; i++) {
      for (let j = 0; j < i; j++) if (jsonEqual(data[i], data[j])) return false;
    }
  }
  return true;
}

function objectValid(schema: Schema, data: Schema, useDefaults: boolean): boolean {
  const properties = isPlain(schema.properties) ? schema.properties : {};
  if (Array.isArray(schema.required) && schema.required.some((name) => data[name as string] === undefined))
    return false;
  if (schema.minProperties !== undefined || schema.maxProperties !== undefined) {
    const count = Object.keys(data).length;
    if (typeof schema.minProperties === "number" && count < schema.minProperties) return false;
    if (typeof schema.maxProperties === "number" && count > schema.maxProperties) return false;
  }
  // ajv reads a property as `data[name]` (inherited ones too, as here) and skips one that is undefined
  for (const [name, sub] of Object.entries(properties)) {
    const item = data[name];
    if (item !== undefined && !valid(sub, item, useDefaults)) return false;
  }
  if (schema.additionalProperties !== undefined) {
    for (const name of Object.keys(data)) {
      if (Object.hasOwn(properties, name)) continue;
      if (!valid(schema.additionalProperties, data[name], useDefaults)) return false;
    }
  }
  return true;
}

/** ajv's useDefaults: a missing property gets its schema's `default`, written out and read back as JSON. */
function fillDefaults(properties: Schema, data: Schema): void {
  for (const [name, sub] of Object.entries(properties)) {
    if (!isPlain(sub) || sub.default === undefined || data[name] !== undefined) continue;
    data[name] = JSON.parse(JSON.stringify(sub.default)) as unknown;
  }
}

/** An object literal's kind of object (ajv's deep equality tells others apart by their constructor). */
function isPlain(value: unknown): value is Schema {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.getPrototypeOf(value) === Object.prototype;
}

/** Whether a schema's value (enum, const) is plain JSON: anything else is left to ajv. */
function isJson(value: unknown): boolean {
  const kind = kindOf(value);
  if (kind === "array") return (value as unknown[]).every(isJson);
  if (kind === "object") return Object.values(value as Schema).every(isJson);
  return kind !== undefined;
}

function distinct(values: unknown[]): boolean {
  return values.every((value, i) => values.findIndex((other) => jsonEqual(value, other)) === i);
}

/** Deep equality of JSON values, as ajv's (fast-deep-equal) for them. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]));
  }
  const left = a as Schema;
  const right = b as Schema;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
}
