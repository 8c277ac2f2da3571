/**
 * Keys of a skill's `input`/`output` schema that are no JSON Schema keyword. JSON Schema ignores them, so a typo
 * (`minimun`) or a YAML slip silently checks nothing: in a flow mapping `{ description: a, b }` the comma ends the
 * value, and `b` becomes a key of its own with the value null. Reported with the closest keyword, or with the YAML
 * reason when the key reads like the rest of a sentence. Keys starting with `x-` are the usual room for one's own
 * annotations and are left alone.
 */
import { KEYWORDS as COMPAT_KEYWORDS } from "../compat/keywords.js";
import { escapePointerToken } from "../json/index.js";
import type { SchemaIssue } from "./issues.js";
import { closestMatches } from "./suggest.js";

/**
 * The keywords of 2020-12 and draft-07: the compat diff's table of every keyword, less the OpenAPI word it knows
 * because servers send it (`nullable`, which no JSON Schema validator reads), plus 2019-09's recursive references.
 */
const KEYWORDS = [
  ...Object.keys(COMPAT_KEYWORDS).filter((keyword) => keyword !== "nullable"),
  "$recursiveRef",
  "$recursiveAnchor",
];
const KNOWN = new Set(KEYWORDS);

/** Keywords whose value maps names to schemas. */
const SCHEMA_MAPS = new Set(["$defs", "definitions", "properties", "patternProperties", "dependentSchemas"]);
/** Keywords whose value is a schema, or a list of schemas. */
const SCHEMAS = new Set([
  "not",
  "if",
  "then",
  "else",
  "items",
  "additionalItems",
  "contains",
  "additionalProperties",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
  "allOf",
  "anyOf",
  "oneOf",
  "prefixItems",
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Issues (pointers relative to the schema, at the key) for every key that is not a keyword. */
export function unknownKeywords(schema: Record<string, unknown>): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  visit(schema, "", issues);
  return issues;
}

function visit(node: unknown, pointer: string, issues: SchemaIssue[]): void {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) visit(item, `${pointer}/${index}`, issues);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const at = `${pointer}/${escapePointerToken(key)}`;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      for (const [name, sub] of Object.entries(value)) visit(sub, `${at}/${escapePointerToken(name)}`, issues);
    } else if (SCHEMAS.has(key)) visit(value, at, issues);
    else if (key === "dependencies" && isObject(value)) {
      // draft-07: a schema per property, or a list of property names
      for (const [name, sub] of Object.entries(value)) visit(sub, `${at}/${escapePointerToken(name)}`, issues);
    } else if (!KNOWN.has(key) && !key.startsWith("x-")) issues.push(issueFor(key, value, at));
  }
}

function issueFor(key: string, value: unknown, pointer: string): SchemaIssue {
  const message = `${JSON.stringify(key)} is not a JSON Schema keyword: it is ignored, and checks nothing`;
  if (/\s/.test(key.trim()) && value === null) {
    return {
      pointer,
      keyword: key,
      message,
      hint: 'in a YAML flow mapping `{ ... }` a comma ends a plain value: quote the value before it, e.g. description: "a, b"',
      target: "key",
    };
  }
  const close = closestMatches(key, KEYWORDS, 1)[0];
  return {
    pointer,
    keyword: key,
    message,
    hint: close
      ? `did you mean "${close}"?`
      : `use a keyword of json-schema.org, or name your own annotation x-${key.replace(/^x-/, "")}`,
    target: "key",
  };
}
