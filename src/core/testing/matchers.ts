/** Checks one case's expectations against what the run produced. Pure: returns failures, never throws. */
import { isPlainObject } from "../json/index.js";
import { deepEqual, findSubsetMismatch, projectOnto } from "./compare.js";
import { prettyJson, renderDiff } from "./diff.js";
import { isDefinite, type JsonPathError, parseJsonPath, queryJsonPath } from "./jsonPath.js";
import { schemaValidator } from "../schema/index.js";
import type { Expectation, Failure, RegexMatcher } from "./types.js";

/** The parts of a run result the matchers look at. */
export interface RunOutcome {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  toolCalls: number;
  durationMs: number;
}

export function isRegexMatcher(value: unknown): value is RegexMatcher {
  if (!isPlainObject(value) || typeof value.regex !== "string") return false;
  return Object.keys(value).every((key) => key === "regex" || key === "flags");
}

/** `/body/flags` -> RegExp; anything else -> null (a plain substring). */
export function parseSlashRegex(text: string): RegExp | null {
  const found = /^\/(.*)\/([dgimsuvy]*)$/s.exec(text);
  if (!found) return null;
  return new RegExp(found[1]!, found[2]);
}

function textOf(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function checkMatch(path: string, expected: unknown, result: unknown): Failure | null {
  let segments: ReturnType<typeof parseJsonPath>;
  try {
    segments = parseJsonPath(path);
  } catch (error) {
    return { kind: "match", message: `bad JSONPath ${path}: ${(error as JsonPathError).message}` };
  }
  const nodes = queryJsonPath(result, segments);
  if (nodes.length === 0) {
    return { kind: "match", message: `${path} selects nothing in the result`, diff: prettyJson(result) };
  }
  if (isRegexMatcher(expected)) {
    const regex = new RegExp(expected.regex, expected.flags);
    const bad = nodes.filter((node) => !regex.test(textOf(node)));
    if (bad.length === 0) return null;
    return {
      kind: "match",
      message: `${path} does not match /${expected.regex}/${expected.flags ?? ""}`,
      diff: `actual: ${bad.map((node) => prettyJson(node)).join("\n        ")}`,
    };
  }
  const actual = isDefinite(segments) ? nodes[0] : nodes;
  if (deepEqual(expected, actual)) return null;
  return { kind: "match", message: `${path} differs`, diff: renderDiff(expected, actual) };
}

function checkError(expect: NonNullable<Expectation["error"]>, outcome: RunOutcome): Failure | null {
  if (outcome.ok) {
    return {
      kind: "error",
      message: `expected the run to fail${expect.code ? ` with ${expect.code}` : ""}, but it succeeded`,
      diff: `result: ${prettyJson(outcome.result)}`,
    };
  }
  const error = outcome.error ?? { code: "UNKNOWN", message: "" };
  if (expect.code !== undefined && expect.code !== error.code) {
    return { kind: "error", message: `expected error code ${expect.code}, got ${error.code}: ${error.message}` };
  }
  if (expect.message !== undefined) {
    const regex = parseSlashRegex(expect.message);
    const hit = regex ? regex.test(error.message) : error.message.includes(expect.message);
    if (!hit) {
      return {
        kind: "error",
        message: `error message does not ${regex ? "match" : "contain"} ${JSON.stringify(expect.message)}`,
        diff: `actual: ${error.code}: ${error.message}`,
      };
    }
  }
  return null;
}

/** All failed expectations (empty when the case passed). A run that fails unexpectedly is one failure. */
export function evaluateExpectations(expect: Expectation | undefined, outcome: RunOutcome): Failure[] {
  const spec = expect ?? {};
  const failures: Failure[] = [];
  if (spec.error) {
    const failure = checkError(spec.error, outcome);
    if (failure) failures.push(failure);
  } else if (!outcome.ok) {
    const error = outcome.error ?? { code: "UNKNOWN", message: "the run failed" };
    failures.push({ kind: "run", message: `run failed: ${error.code}: ${error.message}` });
  }
  if (outcome.ok && !spec.error) {
    if (spec.equals !== undefined && !deepEqual(spec.equals, outcome.result)) {
      failures.push({ kind: "equals", message: "result differs", diff: renderDiff(spec.equals, outcome.result) });
    }
    if (spec.subset !== undefined) {
      const at = findSubsetMismatch(spec.subset, outcome.result);
      if (at !== null) {
        failures.push({
          kind: "subset",
          message: `result does not contain the expected subset (first difference at ${at || "/"})`,
          diff: renderDiff(spec.subset, projectOnto(spec.subset, outcome.result)),
        });
      }
    }
    if (spec.schema !== undefined) {
      try {
        const issues = schemaValidator("testExpectation", spec.schema).validate(outcome.result);
        if (issues.length > 0) {
          failures.push({
            kind: "schema",
            message: "result does not match the schema",
            diff: issues.map((issue) => `${issue.pointer || "/"}: ${issue.message}`).join("\n"),
          });
        }
      } catch (error) {
        failures.push({
          kind: "schema",
          message: `expect.schema is not a valid JSON Schema: ${(error as Error).message}`,
        });
      }
    }
    for (const [path, expected] of Object.entries(spec.match ?? {})) {
      const failure = checkMatch(path, expected, outcome.result);
      if (failure) failures.push(failure);
    }
  }
  if (spec.maxToolCalls !== undefined && outcome.toolCalls > spec.maxToolCalls) {
    failures.push({
      kind: "maxToolCalls",
      message: `made ${outcome.toolCalls} tool calls, expected at most ${spec.maxToolCalls}`,
    });
  }
  if (spec.maxMs !== undefined && outcome.durationMs > spec.maxMs) {
    failures.push({
      kind: "maxMs",
      message: `took ${Math.round(outcome.durationMs)} ms, expected at most ${spec.maxMs} ms`,
    });
  }
  return failures;
}
