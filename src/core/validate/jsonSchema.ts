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
  collectRefIssues(schema, schema, "", issues);
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
 * references are left to the runner.
 */
function collectRefIssues(root: unknown, node: unknown, pointer: string, issues: SchemaIssue[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      collectRefIssues(root, item, `${pointer}/${i}`, issues);
    });
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    const child = `${pointer}/${escapePointerToken(key)}`;
    if (key === "$ref" && typeof value === "string") {
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
    if (typeof value === "object") collectRefIssues(root, value, child, issues);
  }
}

function refProblem(root: unknown, ref: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref))
    return `$ref ${JSON.stringify(ref)} points outside the schema; runs are offline and cannot fetch it`;
  if (!ref.startsWith("#/")) return undefined;
  const found = valueAtPointer(root, decodeFragment(ref));
  if (found.found) return undefined;
  return `$ref ${JSON.stringify(ref)} does not resolve: there is no ${JSON.stringify(found.missing)} in the schema`;
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
