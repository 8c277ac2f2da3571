/**
 * The inputs a skill shows against its input schema (`skills validate`): each test case's `input` (TEST_INPUT_INVALID,
 * unless the case expects INPUT_INVALID) and each `skills run <skill> --input '<json>'` example in SKILL.md
 * (EXAMPLE_INPUT_INVALID): an agent copies the examples, and a case whose input is refused never runs the program.
 */
import { join } from "node:path";
import type { Problem } from "../../contracts/problem.js";
import type { LoadedSkill } from "../../contracts/skill.js";
import { parseJsonWithPositions } from "../../core/json/index.js";
import { makeProblem } from "../../core/validate/codes.js";
import { isSkillsError } from "../../errors.js";
import { readTextFile } from "../../store/readTextFile.js";
import { type ParsedInput, validateInput } from "../shared/input.js";
import { type ReadTestFile, readTestFiles } from "../shared/testFiles.js";

interface Refusal {
  message: string;
  line?: number;
  column?: number;
}

/** Why the schema refuses the input, on one line; undefined when it accepts it. */
function refusal(skill: LoadedSkill, input: ParsedInput): Refusal | undefined {
  try {
    validateInput(skill.manifest.input, input, join(skill.dir, "manifest.yaml"));
    return undefined;
  } catch (error) {
    if (!isSkillsError(error) || error.code !== "INPUT_INVALID") throw error;
    const errors = Array.isArray(error.data.errors)
      ? (error.data.errors as { pointer: string; message: string }[])
      : [];
    const what = errors.map((e) => `${e.pointer || "/"}: ${e.message}`).join("; ") || error.message;
    return {
      message: what,
      ...(typeof error.data.line === "number" ? { line: error.data.line } : {}),
      ...(typeof error.data.column === "number" ? { column: error.data.column } : {}),
    };
  }
}

/** `files`: the skill's test files when the caller has read them already (they are read here otherwise). */
export async function testInputProblems(
  skill: LoadedSkill,
  shown: string,
  strict: boolean,
  files?: ReadTestFile[],
): Promise<Problem[]> {
  if (!skill.manifest.input) return [];
  const problems: Problem[] = [];
  for (const { file, cases, locate, listed } of files ?? (await readTestFiles(skill, shown, strict))) {
    for (const located of cases) {
      if (located.case.expect?.error?.code === "INPUT_INVALID") continue;
      const base = listed ? `/cases/${located.index}` : "";
      const at = (pointer: string) => {
        try {
          return locate(`${base}/input${pointer}`);
        } catch {
          return undefined;
        }
      };
      const refused = refusal(skill, { value: located.case.input ?? {}, source: file, locate: at });
      if (!refused) continue;
      problems.push(
        makeProblem(
          {
            code: "TEST_INPUT_INVALID",
            message: `case "${located.case.name}": the input does not match the input schema: ${refused.message}`,
            file,
            line: refused.line ?? located.line,
            column: refused.column ?? 1,
            hint: "fix the input (the schema is manifest.yaml's `input`), or expect the refusal: `expect: { error: { code: INPUT_INVALID } }`",
          },
          strict,
        ),
      );
    }
  }
  return problems;
}

/** `skills run <this skill> --input '<json>'` (or "<json>") in SKILL.md: the JSON and where it starts. */
const EXAMPLE = /skills\s+run\s+(\S+)\s+(?:[^'"\n]*?\s)?--input(?:\s+|=)(['"])(.+?)\2/g;

export async function exampleInputProblems(skill: LoadedSkill, shown: string, strict: boolean): Promise<Problem[]> {
  if (!skill.manifest.input) return [];
  const file = join(shown, "SKILL.md");
  const read = await readTextFile(join(skill.dir, "SKILL.md"), file, strict);
  // most SKILL.md files show no `--input`: no line to look at
  if (!read.ok || !read.text.includes("--input")) return [];
  const problems: Problem[] = [];
  const lines = read.text.split(/\r?\n/);
  lines.forEach((text, index) => {
    for (const match of text.matchAll(EXAMPLE)) {
      const ref = match[1]!.replace(/\/+$/, "");
      if (ref !== skill.name && !ref.endsWith(`/${skill.name}`)) continue;
      const json = match[3]!;
      const column = (match.index ?? 0) + match[0].length - json.length;
      const at = (message: string, offset = { line: 1, column: 1 }) =>
        makeProblem(
          {
            code: "EXAMPLE_INPUT_INVALID",
            message: `the example input ${json.length > 60 ? `${json.slice(0, 57)}...` : json} ${message}`,
            file,
            line: index + 1,
            column: column + offset.column - 1,
            hint: "fix the example so that it runs as written (the schema is manifest.yaml's `input`)",
          },
          strict,
        );
      const parsed = parseJsonWithPositions(json);
      if (!parsed.ok) {
        problems.push(at(`is not valid JSON: ${parsed.message}`, parsed.position));
        continue;
      }
      const refused = refusal(skill, {
        value: parsed.value,
        source: file,
        locate: (pointer) => parsed.positions.get(pointer),
      });
      if (refused) {
        problems.push(
          at(
            `does not match the input schema: ${refused.message}`,
            refused.line === 1 && refused.column ? { line: 1, column: refused.column } : undefined,
          ),
        );
      }
    }
  });
  return problems;
}
