/**
 * The tools a skill's code uses against the ones its manifest declares (`skills validate`): a tool called but not
 * declared is an error (the bridge would refuse the call at run time), a tool declared but never called a warning.
 * The same usage analysis as `skills compat`, with positions.
 */
import { join } from "node:path";
import type { SkillAnalysis } from "../../analysis/index.js";
import { analyseSkillCode } from "../shared/codeAnalysis.js";
import type { Problem } from "../../contracts/problem.js";
import type { LoadedSkill } from "../../contracts/skill.js";
import { resolveUsage } from "../../core/compat/usage.js";
import { makeProblem } from "../../core/validate/codes.js";
import type { Position } from "../../core/yaml/index.js";
import { manifestPositions } from "./manifestPositions.js";

export interface UsageCheckInput {
  skill: LoadedSkill;
  /** The skill folder as problems name it. */
  shown: string;
  /** Where each declared tool's key is in manifest.yaml, from the parse that loaded the skill. */
  toolPositions?: ReadonlyMap<string, Position>;
}

export async function checkToolUsage(
  inputs: UsageCheckInput[],
  strict: boolean,
  options: {
    python?: string;
    cacheDir?: string;
    analyses?: SkillAnalysis[];
    /** `server/tool` -> the range its version has now, for the line to add. */
    ranges?: Map<string, string>;
  } = {},
): Promise<Problem[][]> {
  const analyses =
    options.analyses ??
    (await analyseSkillCode(
      inputs.map(({ skill }) => skill),
      options,
    ));
  return Promise.all(
    inputs.map(async ({ skill, shown, toolPositions }, index) => {
      const analysis = analyses[index]!;
      const declared = Object.keys(skill.manifest.tools ?? {});
      const usage = resolveUsage(
        analysis.analyses,
        declared.map((key) => ({ key })),
      );
      const problems: Problem[] = [];
      for (const use of usage.undeclared) {
        const range = options.ranges?.get(use.tool);
        const line = range ? `\`${use.tool}: "${range}"\` (its version now)` : `\`${use.tool}: "*"\`, or a range`;
        problems.push(
          makeProblem(
            {
              code: "TOOL_UNDECLARED",
              message: `the code calls ${use.symbol}, but manifest.yaml does not declare ${use.tool}`,
              file: join(shown, use.location.file),
              line: use.location.line,
              column: use.location.column,
              hint: `declare it under tools: in manifest.yaml (${line}), or remove the call; undeclared tools are refused at run time`,
            },
            strict,
          ),
        );
      }
      // a file the analysis could not read may hold the calls: only what is certain is reported
      const blind = usage.diagnostics.some((d) => d.severity === "error");
      if (blind || declared.length === 0) return problems;
      const unused = declared.filter(
        (key) => !usage.tools[key] && !usage.opaqueServers.includes(key.slice(0, key.indexOf("/"))),
      );
      if (unused.length === 0) return problems;
      const manifestFile = join(shown, "manifest.yaml");
      const locate = await manifestPositions(skill, manifestFile, strict, toolPositions);
      for (const key of unused) {
        const pointer = `/tools/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        const at = locate(key);
        problems.push(
          makeProblem(
            {
              code: "TOOL_UNUSED",
              message: `${key} is declared, but the code never calls it`,
              file: manifestFile,
              line: at.line,
              column: at.column,
              pointer,
              hint: "remove it from tools: (a declared tool is one more thing `skills compat` checks), or call it",
            },
            strict,
          ),
        );
      }
      return problems;
    }),
  );
}
