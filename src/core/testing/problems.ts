/** Turning schema issues into Problems with file:line:col, for test-case files and cassettes. */
import type { Problem } from "../../contracts/problem.js";
import { escapePointerToken } from "../json/index.js";
import type { Locate } from "../yaml/index.js";
import type { SchemaError } from "../../contracts/schema.js";

export function problem(
  code: string,
  message: string,
  file: string,
  at: { line: number; column: number },
  pointer: string,
  hint?: string,
): Problem {
  return {
    severity: "error",
    code,
    message,
    file,
    line: at.line,
    column: at.column,
    pointer,
    ...(hint ? { hint } : {}),
  };
}

function describe(
  issue: SchemaError,
  where: string,
): { message: string; pointer: string; target: "key" | "value"; hint?: string } {
  const params = issue.params;
  if (issue.keyword === "additionalProperties") {
    const name = String(params.additionalProperty);
    const pointer = `${issue.pointer}/${escapePointerToken(name)}`;
    if (/\/expect$/.test(issue.pointer)) {
      return {
        message: `unknown matcher "${name}" in expect`,
        pointer,
        target: "key",
        hint: "matchers are: equals, subset, schema, match, error, maxToolCalls, maxMs",
      };
    }
    return {
      message: `unknown key "${name}" in ${where}`,
      pointer,
      target: "key",
      hint: "remove it or check its spelling",
    };
  }
  if (issue.keyword === "required") {
    return {
      message: `missing required key "${String(params.missingProperty)}"`,
      pointer: issue.pointer,
      target: "value",
    };
  }
  if (issue.keyword === "enum") {
    const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ");
    return { message: `${issue.message}: ${allowed}`, pointer: issue.pointer, target: "value" };
  }
  if (issue.keyword === "propertyNames") {
    const name = String(params.propertyName);
    return {
      message: `keys of expect.match must be JSONPaths starting with $ (got "${name}")`,
      pointer: `${issue.pointer}/${escapePointerToken(name)}`,
      target: "key",
      hint: `write "$.${name}"`,
    };
  }
  return { message: `${issue.pointer || "/"} ${issue.message}`, pointer: issue.pointer, target: "value" };
}

/** One Problem per schema issue (without ajv's noise: the if/then wrapper and pattern-name duplicates). */
export function issuesToProblems(
  issues: readonly SchemaError[],
  code: string,
  file: string,
  locate: Locate,
  where: string,
): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const issue of issues) {
    if (issue.keyword === "if" || issue.schemaPath.includes("/propertyNames/")) continue;
    const described = describe(issue, where);
    const key = `${described.pointer}|${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      problem(
        code,
        described.message,
        file,
        locate(described.pointer, described.target),
        described.pointer,
        described.hint,
      ),
    );
  }
  return out;
}
