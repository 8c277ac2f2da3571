/** Reads a cassette: strict JSON, schema validation with line:col, and a fingerprint self-check per tool. */
import type { Problem, ValidationResult } from "../../contracts/problem.js";
import { parseYaml } from "../yaml/index.js";
import { schemaFingerprint } from "./fingerprint.js";
import { findJsonSyntaxError } from "./jsonSyntax.js";
import { issuesToProblems, problem } from "./problems.js";
import { checkSchema } from "./schemaCheck.js";
import { CASSETTE_SCHEMA } from "./schemas.js";
import type { Cassette } from "./types.js";

const CODE = "CASSETTE_INVALID";
const HINT = "re-record it with `skills test --record`";

function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

export function parseCassette(text: string, file: string): ValidationResult<Cassette> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const found = findJsonSyntaxError(text);
    const at = found ? lineCol(text, found.offset) : { line: 1, column: 1 };
    const message = found?.message ?? (error as Error).message;
    return { ok: false, errors: [problem(CODE, `not valid JSON: ${message}`, file, at, "", HINT)], warnings: [] };
  }
  const issues = checkSchema(CASSETTE_SCHEMA, value);
  if (issues.length > 0) {
    // JSON is YAML: the YAML parser gives us positions for the pointers.
    const parsed = parseYaml(text, { file });
    const locate = parsed.ok ? parsed.locate : () => ({ line: 1, column: 1 });
    const errors = issuesToProblems(issues, CODE, file, locate, "the cassette").map((p) => ({
      ...p,
      hint: p.hint ?? HINT,
    }));
    return { ok: false, errors, warnings: [] };
  }
  const cassette = value as Cassette;
  const warnings: Problem[] = [];
  cassette.tools.forEach((tool, index) => {
    const actual = schemaFingerprint(tool);
    if (actual !== tool.fingerprint) {
      const parsed = parseYaml(text, { file });
      const pointer = `/tools/${index}/fingerprint`;
      const at = parsed.ok ? parsed.locate(pointer) : { line: 1, column: 1 };
      warnings.push({
        ...problem(
          "FINGERPRINT_MISMATCH",
          `the schema of ${tool.server}/${tool.name} was edited after recording (fingerprint ${tool.fingerprint} != ${actual})`,
          file,
          at,
          pointer,
          HINT,
        ),
        severity: "warning",
      });
    }
  });
  return { ok: true, value: cassette, warnings };
}
