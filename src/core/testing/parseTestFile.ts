/** Reads a tests/*.yaml file: YAML with positions, schema validation, and the checks a schema cannot express. */
import type { Problem, ValidationResult } from "../../contracts/problem.js";
import { type Locate, parseYaml } from "../yaml/index.js";
import { escapePointerToken, isPlainObject } from "../json/index.js";
import { type JsonPathError, parseJsonPath } from "./jsonPath.js";
import { isRegexMatcher, parseSlashRegex } from "./matchers.js";
import { issuesToProblems, problem } from "./problems.js";
import { schemaValidator } from "../schema/index.js";
import { TEST_CASE_SCHEMA } from "./schemas.js";
import type { LocatedTestCase, TestCase } from "./types.js";

const CODE = "TEST_CASE_INVALID";

/** Default cassette file of a case: its name lower-cased, other characters as "-", plus .json. */
export function defaultCassetteName(caseName: string): string {
  const slug = caseName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "");
  return `${slug || "case"}.json`;
}

export function cassetteNameOf(testCase: TestCase): string {
  return testCase.cassette ?? defaultCassetteName(testCase.name);
}

function semanticProblems(testCase: TestCase, base: string, file: string, locate: Locate): Problem[] {
  const out: Problem[] = [];
  const at = (pointer: string, target: "key" | "value" = "value") => locate(pointer, target);
  if (testCase.live && testCase.cassette) {
    out.push(
      problem(
        CODE,
        "a case cannot have both `live: true` and `cassette`",
        file,
        at(`${base}/live`, "key"),
        `${base}/live`,
        "remove one of them",
      ),
    );
  }
  for (const [path, expected] of Object.entries(testCase.expect?.match ?? {})) {
    const pointer = `${base}/expect/match/${escapePointerToken(path)}`;
    try {
      parseJsonPath(path);
    } catch (error) {
      out.push(
        problem(
          CODE,
          `bad JSONPath: ${(error as JsonPathError).message}`,
          file,
          at(pointer, "key"),
          pointer,
          "supported: $, .name, ['name'], [0], [-1], [*], .*, ..name",
        ),
      );
    }
    if (isPlainObject(expected) && "regex" in expected && !isRegexMatcher(expected)) {
      out.push(problem(CODE, "a regex matcher takes only `regex` and `flags`", file, at(pointer), pointer));
    }
    if (isRegexMatcher(expected)) {
      try {
        new RegExp(expected.regex, expected.flags);
      } catch (error) {
        out.push(
          problem(CODE, `invalid regex: ${(error as Error).message}`, file, at(`${pointer}/regex`), `${pointer}/regex`),
        );
      }
    }
  }
  const message = testCase.expect?.error?.message;
  if (message !== undefined) {
    try {
      parseSlashRegex(message);
    } catch (error) {
      const pointer = `${base}/expect/error/message`;
      out.push(problem(CODE, `invalid regex: ${(error as Error).message}`, file, at(pointer), pointer));
    }
  }
  if (testCase.expect?.schema !== undefined) {
    try {
      // Compiling is the check: a schema its dialect's meta-schema refuses does not compile.
      schemaValidator("testExpectation", testCase.expect.schema);
    } catch (error) {
      const pointer = `${base}/expect/schema`;
      out.push(
        problem(
          CODE,
          `expect.schema is not a valid JSON Schema: ${(error as Error).message}`,
          file,
          at(pointer),
          pointer,
        ),
      );
    }
  }
  return out;
}

/** Parses one test file into its cases; never throws for bad input. */
export function parseTestFile(text: string, file: string): ValidationResult<LocatedTestCase[]> {
  return parseTestDocument(text, file).result;
}

/** The cases of a test file, and where each pointer of the file is (for checks that point into a case's input). */
export interface TestDocument {
  result: ValidationResult<LocatedTestCase[]>;
  /** Set when the YAML parsed. */
  locate?: Locate;
  /** Whether the cases are under `cases:` (their pointers are `/cases/<index>`), not the file itself. */
  listed: boolean;
}

/** parseTestFile with the positions kept: one YAML parse serves the cases and every later check of the file. */
export function parseTestDocument(text: string, file: string): TestDocument {
  const parsed = parseYaml(text, { file });
  if (!parsed.ok) return { result: parseFailure(parsed.errors), listed: false };
  const listed = isPlainObject(parsed.value) && Array.isArray(parsed.value.cases);
  return { result: casesOf(parsed.value, file, parsed.locate), locate: parsed.locate, listed };
}

function parseFailure(errors: Problem[]): ValidationResult<LocatedTestCase[]> {
  return {
    ok: false,
    errors: errors.map((e) => ({ ...e, code: CODE, message: `YAML: ${e.message}` })),
    warnings: [],
  };
}

function casesOf(value: unknown, file: string, locate: Locate): ValidationResult<LocatedTestCase[]> {
  if (!isPlainObject(value)) {
    return {
      ok: false,
      errors: [
        problem(
          CODE,
          "a test file must be a mapping (one case) or have `cases:` (a list)",
          file,
          { line: 1, column: 1 },
          "",
          "start with `name: <case name>`",
        ),
      ],
      warnings: [],
    };
  }
  const issues = schemaValidator("fileFormat", TEST_CASE_SCHEMA).validate(value);
  if (issues.length > 0)
    return { ok: false, errors: issuesToProblems(issues, CODE, file, locate, "the test case"), warnings: [] };
  const list = Array.isArray(value.cases) ? (value.cases as TestCase[]) : [value as unknown as TestCase];
  const base = Array.isArray(value.cases) ? (i: number) => `/cases/${i}` : () => "";
  const errors: Problem[] = [];
  const cases: LocatedTestCase[] = list.map((testCase, index) => {
    errors.push(...semanticProblems(testCase, base(index), file, locate));
    return { case: testCase, file, line: locate(base(index)).line, index };
  });
  const names = new Map<string, number>();
  cases.forEach((c) => {
    const previous = names.get(c.case.name);
    if (previous !== undefined) {
      const pointer = `${base(c.index)}/name`;
      errors.push(
        problem(
          CODE,
          `duplicate case name "${c.case.name}" (first at line ${previous})`,
          file,
          locate(pointer),
          pointer,
          "case names must be unique: they name the cassette",
        ),
      );
    } else names.set(c.case.name, c.line);
  });
  return errors.length > 0 ? { ok: false, errors, warnings: [] } : { ok: true, value: cases, warnings: [] };
}
