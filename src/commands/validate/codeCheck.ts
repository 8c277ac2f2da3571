/**
 * What the code of a runnable skill gets wrong before it runs (`skills validate`): files that do not parse
 * (CODE_SYNTAX, from the same parse as the usage analysis: Python's `ast` in the sandbox's interpreter, the
 * TypeScript compiler API) and TypeScript that does not type-check against the SDK of its declared tools (CODE_TYPE:
 * `readTextFile({ pth })`). The type check reports only what the SDK's types cause: the same code checked against
 * tools whose input and output are unknown gives the skill's other errors (no Node types, say), which cancel out.
 */
import { join } from "node:path";
import { type AnalysisCache, type SkillAnalysis, type TypecheckJob, typecheckSkills } from "../../analysis/index.js";
import type { SourceDiagnostic } from "../../contracts/compat.js";
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

export interface TypeCheckInput {
  skill: LoadedSkill;
  analysis: SkillAnalysis;
  /** The declared tools' schemas (from the catalog, else the lock). */
  tools: ToolInfo[];
  /** The skill folder as problems name it. */
  shown: string;
}

/**
 * Type errors the SDK of the declared tools shows in TypeScript skills (none for Python and JavaScript), one list per
 * input: every skill in the same two programs (typecheckSkills), answers kept in `cache`.
 */
export function typeProblems(inputs: TypeCheckInput[], strict: boolean, cache?: AnalysisCache): Problem[][] {
  const jobs: TypecheckJob[] = [];
  const owners: number[] = [];
  for (const [index, { skill, analysis, tools }] of inputs.entries()) {
    if (skill.manifest.language !== "typescript" || tools.length === 0) continue;
    const sources = [...analysis.sources].map(([file, source]) => ({ file, source }));
    jobs.push({ sources, before: tools.map(untyped), after: tools });
    owners.push(index);
  }
  const problems: Problem[][] = inputs.map(() => []);
  const checked = jobs.length > 0 ? typecheckSkills(jobs, cache) : [];
  for (const [i, diagnostics] of checked.entries()) {
    const index = owners[i]!;
    problems[index] = diagnostics.map((d) => typeProblem(d, inputs[index]!.shown, strict));
  }
  return problems;
}

function typeProblem(d: SourceDiagnostic, shown: string, strict: boolean): Problem {
  return makeProblem(
    {
      code: "CODE_TYPE",
      message: `${d.code}: ${d.message}`,
      file: join(shown, d.file),
      line: d.line,
      column: d.column,
      hint: "the types come from the declared tools' schemas; `skills tools show <server/tool>` prints a tool's signature",
    },
    strict,
  );
}
