/**
 * A test case that replays a cassette that was never recorded tests none of the tools the skill calls: `skills new`
 * writes an empty one for its scaffold, and once the code calls tools it must be recorded. (A recorded cassette may
 * hold no calls: a program whose first call the host refused, say.) Whether the code calls tools comes from the usage
 * analysis (the same as `skills compat`'s); a case that runs live, or expects its input to be refused, needs none.
 */
import { join } from "node:path";
import type { SkillAnalysis } from "../../analysis/index.js";
import type { Problem } from "../../contracts/problem.js";
import type { LoadedSkill } from "../../contracts/skill.js";
import { resolveUsage } from "../../core/compat/usage.js";
import { cassetteNameOf } from "../../core/testing/parseTestFile.js";
import type { LocatedTestCase } from "../../core/testing/types.js";
import { makeProblem } from "../../core/validate/codes.js";
import { readCassette } from "../../mcp/cassette/index.js";
import { type ReadTestFile, readTestFiles } from "./testFiles.js";

/** Whether the skill's code calls any tool (declared or not) through the SDK or the runtime. */
export function codeCallsTools(analysis: SkillAnalysis, skill: LoadedSkill): boolean {
  const usage = resolveUsage(
    analysis.analyses,
    Object.keys(skill.manifest.tools ?? {}).map((key) => ({ key })),
  );
  return (
    Object.values(usage.tools).some((tool) => tool.calls.length > 0) ||
    usage.undeclared.length > 0 ||
    usage.opaqueServers.length > 0 ||
    analysis.analyses.some((file) => file.calls.some((call) => call.target.kind === "generic"))
  );
}

/** A case that replays a cassette: not live, and not one whose input the manifest refuses (it never runs). */
export function replaysCassette(located: LocatedTestCase): boolean {
  return located.case.live !== true && located.case.expect?.error?.code !== "INPUT_INVALID";
}

/** The problem for a case whose cassette is missing or has no calls. */
export function emptyCassetteProblem(
  located: LocatedTestCase,
  cassette: string,
  missing: boolean,
  skillName: string,
  strict: boolean,
): Problem {
  return makeProblem(
    {
      code: "CASSETTE_EMPTY",
      message: `case "${located.case.name}" replays ${missing ? "a cassette that does not exist" : "an empty cassette that was never recorded"} (${cassette}), but the skill's code calls tools: the case tests none of them`,
      file: located.file,
      line: located.line,
      column: 1,
      hint: `record it against the servers: skills test ${skillName} --record (or mark the case \`live: true\`)`,
    },
    strict,
  );
}

/** Whether a cassette is the placeholder `skills new` writes: no calls, and never recorded. */
export function neverRecorded(cassette: { calls: unknown[]; recordedAt?: string }): boolean {
  return cassette.calls.length === 0 && cassette.recordedAt === undefined;
}

/**
 * Every replayed case of the skill whose cassette is missing or was never recorded (`skills validate`). `files`: the
 * skill's test files when the caller has read them already.
 */
export async function emptyCassetteProblems(
  skill: LoadedSkill,
  shown: string,
  strict: boolean,
  files?: ReadTestFile[],
): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const { cases } of files ?? (await readTestFiles(skill, shown, strict))) {
    for (const located of cases) {
      if (!replaysCassette(located)) continue;
      const cassetteName = cassetteNameOf(located.case);
      const shownCassette = join(shown, "cassettes", cassetteName);
      const cassette = await readCassette(join(skill.dir, "cassettes", cassetteName), shownCassette);
      const missing = !cassette.ok && cassette.errors.some((e) => e.code === "CASSETTE_MISSING");
      if (missing || (cassette.ok && neverRecorded(cassette.value))) {
        problems.push(emptyCassetteProblem(located, shownCassette, missing, skill.name, strict));
      }
    }
  }
  return problems;
}
