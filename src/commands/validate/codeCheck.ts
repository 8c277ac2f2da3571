/**
 * What the code of a runnable skill gets wrong before it runs (`skills validate`): files that do not parse
 * (CODE_SYNTAX, from the same parse as the usage analysis: Python's `ast` in the sandbox's interpreter, the
 * TypeScript compiler API) and TypeScript that does not type-check against the SDK of its declared tools (CODE_TYPE:
 * `readTextFile({ pth })`). The type check reports only what the SDK's types cause: the same code checked against
 * tools whose input and output are unknown gives the skill's other errors (no Node types, say), which cancel out.
 */
import { join } from "node:path";
import { type SkillAnalysis, typecheckAgainstSdk } from "../../analysis/index.js";
import type { Problem } from "../../contracts/problem.js";
import type { LoadedSkill } from "../../contracts/skill.js";
import type { ToolInfo } from "../../contracts/tools.js";
import { makeProblem } from "../../core/validate/codes.js";

/** Parse errors of every file of the skill, with their positions. */
export function syntaxProblems(analysis: SkillAnalysis, shown: string, strict: boolean): Problem[] {
  return analysis.analyses.flatMap((file) =>
    file.diagnostics
      .filter((d) => d.severity === "error")
      .map((d) =>
        makeProblem(
          {
            code: "CODE_SYNTAX",
            message: `${d.code}: ${d.message}`,
            file: join(shown, d.file),
            line: d.line,
            column: d.column,
          },
          strict,
        ),
      ),
  );
}

/** The tools' input unknown and no output schema: every call type-checks, every result is `unknown`. */
function untyped(tool: ToolInfo): ToolInfo {
  const { outputSchema: _output, ...rest } = tool;
  return { ...rest, inputSchema: { type: "object", additionalProperties: true } };
}

/** Type errors the SDK of the declared tools shows in a TypeScript skill (none for Python and JavaScript). */
export function typeProblems(
  skill: LoadedSkill,
  analysis: SkillAnalysis,
  tools: ToolInfo[],
  shown: string,
  strict: boolean,
): Problem[] {
  if (skill.manifest.language !== "typescript" || tools.length === 0) return [];
  const sources = [...analysis.sources].map(([file, source]) => ({ file, source }));
  return typecheckAgainstSdk(sources, tools.map(untyped), tools).map((d) =>
    makeProblem(
      {
        code: "CODE_TYPE",
        message: `${d.code}: ${d.message}`,
        file: join(shown, d.file),
        line: d.line,
        column: d.column,
        hint: "the types come from the declared tools' schemas; `skills tools show <server/tool>` prints a tool's signature",
      },
      strict,
    ),
  );
}
