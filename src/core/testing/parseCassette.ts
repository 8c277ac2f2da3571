/** Reads a cassette: strict JSON, schema validation with line:col, and a fingerprint self-check per tool. */
import type { Problem, ValidationResult } from "../../contracts/problem.js";
import { parseJsonLazily } from "../json/index.js";
import { schemaFingerprint } from "./fingerprint.js";
import { issuesToProblems, problem } from "./problems.js";
import { schemaValidator } from "../schema/index.js";
import { CASSETTE_SCHEMA } from "./schemas.js";
import type { Cassette } from "./types.js";

const CODE = "CASSETTE_INVALID";
const HINT = "re-record it with `skills test --record`";

export function parseCassette(text: string, file: string): ValidationResult<Cassette> {
  const json = parseJsonLazily(text);
  if (!json.ok) {
    return { ok: false, errors: [problem(CODE, `not valid JSON: ${json.message}`, file, json.position, "", HINT)], warnings: [] };
  }
  const { value, locate } = json;
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
