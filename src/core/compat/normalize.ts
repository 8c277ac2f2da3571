/**
 * Normalising a JSON Schema before it is diffed, so that two ways of writing the same schema compare equal:
 * local `$ref`s are inlined (a cycle is left as a `$ref`), `type` becomes a sorted list, OpenAPI's `nullable` and
 * `anyOf: [X, {type: null}]` become a `null` type, `const` becomes a one-value `enum`, `oneOf` is read as `anyOf`
 * with its alternatives in a canonical order, a one-branch (or plain object) `allOf` is merged, draft-04 boolean
 * exclusive bounds and draft-07 tuple `items` take their 2020-12 forms, and keywords that change nothing a caller
 * can observe (`$comment`, `examples`, `$id`, `$defs`) are dropped.
 */
import type { JsonObject } from "../../contracts/json.js";
import { canonicalJson } from "../testing/fingerprint.js";

export type Schema = JsonObject;

/** Keywords that only describe: ignored when two schemas are compared for "the same shape" (rename detection). */
export const ANNOTATION_KEYWORDS = new Set([
  "title",
  "description",
  "examples",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

const DROPPED = new Set([
  "$comment",
  "examples",
  "$id",
  "$schema",
  "$defs",
  "definitions",
  "$anchor",
  "$dynamicAnchor",
]);
const SCHEMA_MAPS = ["properties", "patternProperties", "dependentSchemas", "$defs"];
const SCHEMA_VALUES = [
  "items",
  "additionalProperties",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "additionalItems",
  "contentSchema",
];

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Normalises a whole schema (the root is where local `$ref`s are resolved). */
export function normalizeSchema(schema: unknown): Schema {
  const root = isObject(schema) ? schema : {};
  return normalizeNode(schema, root, []);
}

function normalizeNode(node: unknown, root: JsonObject, stack: string[]): Schema {
  if (node === true || node === undefined) return {};
  if (node === false) return { not: {} };
  if (!isObject(node)) return {};
  const ref = node.$ref;
  if (typeof ref === "string" && ref.startsWith("#")) {
    if (stack.includes(ref) || stack.length > 64) return { $ref: ref };
    const target = resolvePointer(root, ref.slice(1));
    if (target !== undefined) {
      const { $ref: _ignored, ...siblings } = node;
      const merged = isObject(target) ? { ...target, ...siblings } : target === false ? { not: {} } : siblings;
      return normalizeNode(merged, root, [...stack, ref]);
    }
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue;
    if (SCHEMA_MAPS.includes(key) && isObject(value)) {
      const map: JsonObject = {};
      for (const name of Object.keys(value).sort()) map[name] = normalizeNode(value[name], root, stack);
      out[key] = map;
    } else if (SCHEMA_VALUES.includes(key) && (isObject(value) || typeof value === "boolean")) {
      // `additionalProperties: false` and friends keep their boolean form: it reads better in changes.
      out[key] = typeof value === "boolean" && key !== "items" ? value : normalizeNode(value, root, stack);
    } else if ((key === "items" || key === "prefixItems") && Array.isArray(value)) {
      out.prefixItems = value.map((item) => normalizeNode(item, root, stack));
    } else if ((key === "anyOf" || key === "oneOf" || key === "allOf") && Array.isArray(value)) {
      const branches = value.map((item) => normalizeNode(item, root, stack));
      const target = key === "allOf" ? "allOf" : "anyOf";
      out[target] = [...((out[target] as Schema[] | undefined) ?? []), ...branches];
    } else {
      out[key] = value;
    }
  }
  if (Array.isArray(node.items)) {
    // draft-07 tuples: `additionalItems` is what 2020-12 calls `items`
    if ("additionalItems" in out) {
      const rest = out.additionalItems;
      out.items = typeof rest === "boolean" ? normalizeNode(rest, root, stack) : rest;
      delete out.additionalItems;
    } else delete out.items;
  }
  normalizeType(out);
  normalizeEnum(out);
  normalizeBounds(out);
  if (Array.isArray(out.required)) out.required = [...new Set(out.required.map(String))].sort();
  mergeAllOf(out);
  normalizeAnyOf(out);
  return out;
}

function resolvePointer(root: JsonObject, pointer: string): unknown {
  if (pointer === "" || pointer === "/") return root;
  let node: unknown = root;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node)) node = node[segment];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function normalizeType(out: Schema): void {
  let types: string[] | undefined;
  if (typeof out.type === "string") types = [out.type];
  else if (Array.isArray(out.type)) types = out.type.map(String);
  if (out.nullable === true && types) types.push("null");
  delete out.nullable;
  if (types) out.type = [...new Set(types)].sort();
  else delete out.type;
}

function normalizeEnum(out: Schema): void {
  if ("const" in out) {
    out.enum = [out.const];
    delete out.const;
  }
  if (Array.isArray(out.enum)) {
    const seen = new Map<string, unknown>();
    for (const value of out.enum) seen.set(canonicalJson(value), value);
    out.enum = [...seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((entry) => entry[1]);
  }
}

/** draft-04: `exclusiveMaximum: true` qualifies `maximum`; 2020-12: it is the bound itself. */
function normalizeBounds(out: Schema): void {
  for (const [exclusive, inclusive] of [
    ["exclusiveMaximum", "maximum"],
    ["exclusiveMinimum", "minimum"],
  ] as const) {
    if (out[exclusive] === true && typeof out[inclusive] === "number") {
      out[exclusive] = out[inclusive];
      delete out[inclusive];
    } else if (typeof out[exclusive] === "boolean") delete out[exclusive];
  }
}

/** `allOf` with one branch, or with branches that only add properties and required keys, is merged. */
function mergeAllOf(out: Schema): void {
  const branches = out.allOf as Schema[] | undefined;
  if (!branches) return;
  const mergeable = branches.every((branch) =>
    Object.keys(branch).every(
      (key) => key === "properties" || key === "required" || key === "type" || ANNOTATION_KEYWORDS.has(key),
    ),
  );
  if (branches.length !== 1 && !mergeable) {
    out.allOf = sortBranches(branches);
    return;
  }
  delete out.allOf;
  for (const branch of branches) {
    for (const [key, value] of Object.entries(branch)) {
      if (key === "properties" && isObject(value)) {
        const properties = { ...((out.properties as JsonObject | undefined) ?? {}) };
        for (const [name, schema] of Object.entries(value)) properties[name] = schema;
        out.properties = Object.fromEntries(
          Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        );
      } else if (key === "required" && Array.isArray(value)) {
        out.required = [...new Set([...((out.required as string[] | undefined) ?? []), ...value.map(String)])].sort();
      } else if (key === "type" && Array.isArray(value)) {
        const current = out.type as string[] | undefined;
        out.type = current ? current.filter((t) => value.includes(t)) : value;
      } else if (!(key in out)) out[key] = value;
    }
  }
}

function normalizeAnyOf(out: Schema): void {
  const listed = out.anyOf as Schema[] | undefined;
  if (!listed) return;
  // nested alternatives are one list of alternatives
  const branches = listed.flatMap((branch) =>
    Object.keys(branch).length === 1 && Array.isArray(branch.anyOf) ? (branch.anyOf as Schema[]) : [branch],
  );
  const isNull = (branch: Schema) => typeOnly(branch) && canonicalJson(branch.type) === '["null"]';
  const nullable = branches.some(isNull);
  const rest = branches.filter((branch) => !isNull(branch));
  const ownType = out.type as string[] | undefined;
  if (rest.every(typeOnly)) {
    // `anyOf: [{type: a}, {type: b}]` is `type: [a, b]`
    delete out.anyOf;
    if (rest.some((branch) => !Array.isArray(branch.type))) return;
    const types = new Set(rest.flatMap((branch) => (branch.type as string[]).map(String)));
    if (nullable) types.add("null");
    out.type = ownType ? ownType.filter((t) => types.has(t)) : [...types].sort();
    return;
  }
  const single = rest.length === 1 ? rest[0]! : undefined;
  const conflicts =
    single !== undefined &&
    (ownType !== undefined ||
      Object.keys(single).some((key) => key in out && key !== "anyOf" && !ANNOTATION_KEYWORDS.has(key)));
  if (single && !conflicts) {
    // `anyOf: [X, {type: null}]` (pydantic's Optional) is X with a null type
    delete out.anyOf;
    for (const [key, value] of Object.entries(single)) if (!(key in out)) out[key] = value;
    if (nullable && Array.isArray(out.type)) out.type = [...new Set([...(out.type as string[]), "null"])].sort();
    return;
  }
  out.anyOf = sortBranches(branches);
}

function typeOnly(branch: Schema): boolean {
  return Object.keys(branch).every((key) => key === "type" || key === "title" || key === "description");
}

function sortBranches(branches: Schema[]): Schema[] {
  const seen = new Map<string, Schema>();
  for (const branch of branches) seen.set(canonicalJson(branch), branch);
  return [...seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((entry) => entry[1]);
}

/** Documentation only: a renamed argument keeps its shape but often gets new words. */
const DOCUMENTATION = new Set(["title", "description", "examples"]);

/** The schema without documentation, at every depth: "the same shape" for rename detection (a default counts). */
export function shapeOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(shapeOf);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DOCUMENTATION.has(key)) continue;
    if (key === "properties" && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, shapeOf(sub)]));
    } else out[key] = isObject(value) || Array.isArray(value) ? shapeOf(value) : value;
  }
  return out;
}

export function sameShape(a: unknown, b: unknown): boolean {
  return canonicalJson(shapeOf(a)) === canonicalJson(shapeOf(b));
}

export { canonicalJson };
