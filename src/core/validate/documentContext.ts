/** What document validators share: the file name, the position lookup and the mode. */
import type { Problem } from "../../contracts/problem.js";
import type { Locate, SourceAt } from "../yaml/parseYaml.js";
import { makeProblem, type ProblemCode } from "./codes.js";
import type { SchemaIssue } from "./issues.js";

export interface DocumentContext {
  file: string;
  locate: Locate;
  strict: boolean;
  /** The value's text as written (for hints like "quote it: \"1.10\""). */
  sourceAt?: SourceAt;
}

export function problemAt(
  ctx: DocumentContext,
  code: ProblemCode,
  pointer: string,
  message: string,
  options: { target?: "key" | "value"; hint?: string } = {},
): Problem {
  const { line, column } = ctx.locate(pointer, options.target ?? "value");
  return makeProblem({ code, message, file: ctx.file, line, column, pointer, hint: options.hint }, ctx.strict);
}

export function issueToProblem(ctx: DocumentContext, code: ProblemCode, issue: SchemaIssue): Problem {
  // YAML turned `1.10` into 1.1: the hint must quote what the user wrote, not the number it became.
  const written = issue.hint?.startsWith("quote the value") ? ctx.sourceAt?.(issue.pointer) : undefined;
  if (written !== undefined) issue = { ...issue, hint: `quote the value: ${JSON.stringify(written)}` };
  const where = issue.pointer === "" ? "" : `${issue.pointer.slice(1).replace(/\//g, ".")}: `;
  return problemAt(ctx, code, issue.pointer, `${where}${issue.message}`, { target: issue.target, hint: issue.hint });
}

export function notMappingProblem(ctx: DocumentContext, value: unknown, what: string): Problem {
  const got = value === null || value === undefined ? "nothing" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
  return problemAt(ctx, "YAML_NOT_MAPPING", "", `${what} must be a mapping of keys to values, got ${got}`, {
    hint: "write `key: value` lines at the top level, e.g. `name: my-skill`",
  });
}
