/**
 * Checks that a skill's `input`/`output` are valid JSON Schemas: validated against the meta-schema of their dialect
 * (2020-12 by default, draft-07 when `$schema` says so), and every `pattern` must compile.
 */
import { decodeFragment, escapePointerToken, valueAtPointer } from "../json/index.js";
import { metaSchemaErrors } from "../schema/index.js";
import { type SchemaIssue, toIssue } from "./issues.js";
import { hasExponentialBacktracking } from "./regexRisk.js";

const DRAFT_07 = "http://json-schema.org/draft-07/schema";
const KNOWN_DIALECTS = ["https://json-schema.org/draft/2020-12/schema", DRAFT_07];

/** Issues with pointers relative to the schema itself ("" = the schema). */
export function checkJsonSchema(schema: Record<string, unknown>): SchemaIssue[] {
  const dialect = typeof schema.$schema === "string" ? schema.$schema.replace(/#$/, "") : undefined;
  if (dialect !== undefined && !KNOWN_DIALECTS.includes(dialect)) {
    return [
      {
        pointer: "/$schema",
        keyword: "$schema",
        message: `unsupported JSON Schema dialect ${JSON.stringify(schema.$schema)}`,
        hint: `use ${KNOWN_DIALECTS.join(" or ")}, or leave $schema out (2020-12)`,
        target: "value",
      },
    ];
  }
  const issues: SchemaIssue[] = [];
  for (const error of metaSchemaErrors(schema)) {
    // Meta-schema errors name the schema's keyword; "must be ..." reads better with the keyword in front.
    const issue = toIssue(error);
    issues.push({ ...issue, message: `not a valid JSON Schema: ${issue.message}` });
  }
  collectPatternIssues(schema, "", issues);
  const refs = collectRefIssues(schema, schema, "", issues);
  // a loop needs a $ref: most schemas have none, and the loop search is the costly part
  if (refs > 0 && !issues.some((issue) => issue.keyword === "$ref")) collectLoopIssues(schema, issues);
  return dedupe(simplify(issues));
}

/**
 * The meta-schema says "type" is a name or a list of names (anyOf), so one bad value fails three ways. Per pointer,
 * keep the most useful one: an enum failure names the allowed values; the anyOf summary only when alone.
 */
function simplify(issues: SchemaIssue[]): SchemaIssue[] {
  const byPointer = new Map<string, SchemaIssue[]>();
  for (const issue of issues) byPointer.set(issue.pointer, [...(byPointer.get(issue.pointer) ?? []), issue]);
  const kept: SchemaIssue[] = [];
  for (const group of byPointer.values()) {
    const enumIssue = group.find((i) => i.keyword === "enum");
    if (enumIssue) kept.push(enumIssue);
    else {
      const specific = group.filter((i) => i.keyword !== "anyOf" && i.keyword !== "oneOf");
      kept.push(...(specific.length > 0 ? specific : group.slice(0, 1)));
    }
  }
  return kept;
}

function collectPatternIssues(node: unknown, pointer: string, issues: SchemaIssue[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      collectPatternIssues(item, `${pointer}/${i}`, issues);
    });
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    const child = `${pointer}/${escapePointerToken(key)}`;
    if (key === "pattern" && typeof value === "string") checkRegex(value, child, issues);
    if (key === "patternProperties" && value && typeof value === "object") {
      for (const p of Object.keys(value)) checkRegex(p, `${child}/${escapePointerToken(p)}`, issues);
    }
    // "properties" maps names to schemas: a property called "pattern" is not the keyword.
    if (key === "properties" && value && typeof value === "object" && !Array.isArray(value)) {
      for (const [name, sub] of Object.entries(value)) {
        collectPatternIssues(sub, `${child}/${escapePointerToken(name)}`, issues);
      }
      continue;
    }
    if (typeof value === "object") collectPatternIssues(value, child, issues);
  }
}

/**
 * Every `$ref` must resolve inside the schema: runs are offline, so the runner cannot fetch remote schemas, and a
 * dangling local reference fails only when the skill runs. Plain-name anchors (`#name`) and `$id`-relative
 * references are left to the runner. Returns how many `$ref`s there are.
 */
function collectRefIssues(root: unknown, node: unknown, pointer: string, issues: SchemaIssue[]): number {
  if (Array.isArray(node)) {
    let count = 0;
    node.forEach((item, i) => {
      count += collectRefIssues(root, item, `${pointer}/${i}`, issues);
    });
    return count;
  }
  if (node === null || typeof node !== "object") return 0;
  let count = 0;
  for (const [key, value] of Object.entries(node)) {
    const child = `${pointer}/${escapePointerToken(key)}`;
    if (key === "$ref" && typeof value === "string") {
      count++;
      const problem = refProblem(root, value);
      if (problem)
        issues.push({
          pointer: child,
          keyword: "$ref",
          message: problem,
          hint: "define the schema under $defs and refer to it as #/$defs/<name>",
          target: "value",
        });
      continue;
    }
    if (typeof value === "object") count += collectRefIssues(root, value, child, issues);
  }
  return count;
}

function refProblem(root: unknown, ref: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref))
    return `$ref ${JSON.stringify(ref)} points outside the schema; runs are offline and cannot fetch it`;
  if (!ref.startsWith("#/")) return undefined;
  const found = valueAtPointer(root, decodeFragment(ref));
  if (found.found) return undefined;
  return `$ref ${JSON.stringify(ref)} does not resolve: there is no ${JSON.stringify(found.missing)} in the schema`;
}

/** Keywords that apply a subschema to the same value: following only these never reads further into the data. */
const IN_PLACE_LISTS = ["allOf", "anyOf", "oneOf"];
const IN_PLACE_SINGLE = ["not", "if", "then", "else"];
const DATA_KEYWORDS = ["enum", "const", "default", "examples"];

/**
 * A `$ref` that comes back to where it started through in-place keywords only (`a: {$ref: a}`, or through allOf) would
 * make validation recurse forever: ajv overflows its stack compiling it, so the skill would pass validation and fail
 * on every run. Each loop is reported once, at the `$ref` that closes it.
 */
function collectLoopIssues(root: Record<string, unknown>, issues: SchemaIssue[]): void {
  const state = new Map<string, "open" | "done">();
  const visit = (pointer: string, path: string[]): void => {
    if (state.get(pointer) === "done") return;
    if (state.get(pointer) === "open") {
      const from = path[path.length - 1] ?? pointer;
      const loop = [...path.slice(path.indexOf(pointer)), pointer].map((p) => `#${p}`).join(" → ");
      issues.push({
        pointer: typeof schemaAt(root, from)?.$ref === "string" ? `${from}/$ref` : from,
        keyword: "$ref",
        message: `$ref loops back without reading any data (${loop}): validating would recurse forever`,
        hint: "point the $ref at a schema that describes the value, or nest it under properties or items",
        target: "value",
      });
      return;
    }
    const node = schemaAt(root, pointer);
    if (!node) {
      state.set(pointer, "done");
      return;
    }
    state.set(pointer, "open");
    for (const next of inPlace(node, pointer)) visit(next, [...path, pointer]);
    state.set(pointer, "done");
  };
  const walk = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== "object") return;
    if (!Array.isArray(node)) visit(pointer, []);
    for (const [key, value] of Object.entries(node)) {
      // values, not schemas
      if (!Array.isArray(node) && DATA_KEYWORDS.includes(key)) continue;
      walk(value, `${pointer}/${escapePointerToken(key)}`);
    }
  };
  walk(root, "");
}

/** The object at `pointer` in the schema, if it is one. */
function schemaAt(root: Record<string, unknown>, pointer: string): Record<string, unknown> | undefined {
  const found = pointer === "" ? { found: true, value: root } : valueAtPointer(root, pointer);
  const value = found.found ? found.value : undefined;
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The schemas `node` applies to the same value: its local `$ref`'s target and its in-place subschemas. */
function inPlace(node: Record<string, unknown>, pointer: string): string[] {
  const next: string[] = [];
  if (typeof node.$ref === "string" && (node.$ref === "#" || node.$ref.startsWith("#/"))) {
    next.push(decodeFragment(node.$ref));
  }
  for (const key of IN_PLACE_LISTS) {
    const list = node[key];
    if (Array.isArray(list)) for (let i = 0; i < list.length; i++) next.push(`${pointer}/${key}/${i}`);
  }
  for (const key of IN_PLACE_SINGLE) if (node[key] && typeof node[key] === "object") next.push(`${pointer}/${key}`);
  return next;
}

function checkRegex(source: string, pointer: string, issues: SchemaIssue[]): void {
  try {
    new RegExp(source, "u");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    issues.push({
      pointer,
      keyword: "pattern",
      message: `pattern does not compile: ${reason}`,
      hint: "fix the regular expression",
      target: "value",
    });
    return;
  }
  if (hasExponentialBacktracking(source)) {
    issues.push({
      pointer,
      keyword: "pattern",
      message:
        "pattern can take exponential time: a group repeated without bound holds only parts that repeat or may be absent, so a near-miss input is tried every way it can be split",
      hint: "give the repeated group a mandatory separator, e.g. ^(\\d+,)*\\d+$ instead of ^(\\d+,?)+$",
      target: "value",
    });
  }
}

function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.pointer}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
