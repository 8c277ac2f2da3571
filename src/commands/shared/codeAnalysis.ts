/** The usage analysis of skills' code, shared by `skills validate` and `skills test` (and cached on disk). */
import { AnalysisCache, analyseSkills, type SkillAnalysis, type TypeScriptThread } from "../../analysis/index.js";
import type { LoadedSkill } from "../../contracts/skill.js";

/** The code of every skill, analysed once: every file parsed (syntax errors come back with their positions). */
export async function analyseSkillCode(
  skills: LoadedSkill[],
  options: { python?: string; cacheDir?: string; cache?: AnalysisCache; typescriptThread?: TypeScriptThread } = {},
): Promise<SkillAnalysis[]> {
  // a caller that brings its cache keeps more in it (type checks), and saves it
  const cache = options.cache ?? (await AnalysisCache.open(options.cacheDir));
  const analyses = await analyseSkills(
    skills.map((skill) => ({ dir: skill.dir, language: skill.manifest.language })),
    {
      ...(options.python ? { python: options.python } : {}),
      ...(options.typescriptThread ? { typescriptThread: options.typescriptThread } : {}),
      cache,
      syntax: true,
    },
  );
  if (!options.cache) await cache.save();
  return analyses;
}
