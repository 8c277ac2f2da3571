/** Reads a cassette: strict JSON, schema validation with line:col, and a fingerprint self-check per tool. */
import type { Problem, ValidationResult } from "../../contracts/problem.js";
import { locateIn, type ParseJsonResult, parseJsonWithPositions } from "../json/index.js";
import { schemaFingerprint } from "./fingerprint.js";
import { issuesToProblems, problem } from "./problems.js";
import { schemaValidator } from "../schema/index.js";
import { CASSETTE_SCHEMA } from "./schemas.js";
import type { Cassette } from "./types.js";

const CODE = "CASSETTE_INVALID";
const HINT = "re-record it with `skills test --record`";

export function parseCassette(text: string, file: string): ValidationResult<Cassette> {
  let value: unknown;
  // Cassettes hold recorded results and can be large: JSON.parse first, the reader with positions only when needed.
  let parsed: ParseJsonResult | undefined;
  const locate = (pointer: string, target?: "key" | "value") => {
    parsed ??= parseJsonWithPositions(text);
    return parsed.ok ? locateIn(parsed, pointer, target) : { line: 1, column: 1 };
  };
  try {
    value = JSON.parse(text);
  } catch (error) {
    parsed = parseJsonWithPositions(text);
    const at = parsed.ok ? { line: 1, column: 1 } : parsed.position;
    const message = parsed.ok ? (error as Error).message : parsed.message;
    return { ok: false, errors: [problem(CODE, `not valid JSON: ${message}`, file, at, "", HINT)], warnings: [] };
  }
  const issues = schemaValidator("fileFormat", CASSETTE_SCHEMA).validate(value);
  if (issues.length > 0) {
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
      const pointer = `/tools/${index}/fingerprint`;
      const at = locate(pointer);
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
