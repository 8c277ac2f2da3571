/**
 * What `skills validate` checks of a runnable skill beyond its files' format, so that a skill that cannot run does
 * not validate: the declared tools against the servers (catalogCheck), the code against the manifest (toolUsage),
 * the code itself (syntax, and TypeScript types against the SDK), the inputs it shows (inputCheck), and test cases
 * that replay nothing although the code calls tools. One usage analysis serves all of them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AnalysisCache, type SkillAnalysis, type TypeScriptThread } from "../../analysis/index.js";
import type { Problem } from "../../contracts/problem.js";
import type { LoadedSkill } from "../../contracts/skill.js";
import type { ToolInfo } from "../../contracts/tools.js";
import { lockTools } from "../../core/testing/fingerprintCheck.js";
import { codeCallsTools, emptyCassetteProblems } from "../shared/emptyCassettes.js";
import { checkDeclaredTools } from "./catalogCheck.js";
import { syntaxProblems, typeProblems } from "./codeCheck.js";
import { exampleInputProblems, testInputProblems } from "./inputCheck.js";
import { analyseSkillCode } from "../shared/codeAnalysis.js";
import { checkToolUsage } from "./toolUsage.js";
import { readTestFiles } from "../shared/testFiles.js";
import type { Position } from "../../core/yaml/index.js";

export interface RunnableInput {
  skill: LoadedSkill;
  /** The skill folder as problems name it. */
  shown: string;
  /** Where each declared tool's key is in manifest.yaml, from the parse that loaded the skill. */
  toolPositions?: ReadonlyMap<string, Position>;
}

export interface RunnableCheckOptions {
  cwd: string;
  configPath?: string;
  python: string;
  cacheDir: string;
  /** The analysis cache, when the caller opened it already. */
  cache?: AnalysisCache;
  /** A thread the caller started for the TypeScript analysis (the caller ends it). */
  typescriptThread?: TypeScriptThread;
}

export async function checkRunnableSkills(
  inputs: RunnableInput[],
  strict: boolean,
  options: RunnableCheckOptions,
): Promise<{ problems: Problem[][]; notes: string[] }> {
  const notes: string[] = [];
  const problems: Problem[][] = inputs.map(() => []);
  if (inputs.length === 0) return { problems, notes };
  const cache = options.cache ?? (await AnalysisCache.open(options.cacheDir));
  // the catalog may have to start servers, and the code is parsed in other processes and threads: meanwhile this
  // thread checks what needs neither, the test files and the inputs the skills show
  const analysing = analyseSkillCode(
    inputs.map(({ skill }) => skill),
    {
      python: options.python,
      cache,
      ...(options.typescriptThread ? { typescriptThread: options.typescriptThread } : {}),
    },
  ).catch((error: unknown) => {
    notes.push(`the skills' code was not analysed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  const cataloguing = checkDeclaredTools(inputs, strict, options);
  // awaited below; a failure of the checks in between must not leave its rejection unhandled
  cataloguing.catch(() => undefined);
  const early = await Promise.all(
    inputs.map(async ({ skill, shown }) => {
      // one read and parse of the test files serves the input check and the cassette check
      const tests = await readTestFiles(skill, shown, strict);
      const testInputs = await testInputProblems(skill, shown, strict, tests);
      return { tests, testInputs, exampleInputs: await exampleInputProblems(skill, shown, strict) };
    }),
  );
  const [analyses, catalog] = await Promise.all([analysing, cataloguing]);
  notes.push(...catalog.notes);
  // every TypeScript skill in the same two programs (only TypeScript is type-checked: the others need no schemas)
  const types = analyses
    ? typeProblems(
        inputs.map(({ skill, shown }, index) => ({
          skill,
          shown,
          analysis: analyses[index]!,
          tools: skill.manifest.language === "typescript" ? typingTools(skill, catalog.tools) : [],
        })),
        strict,
        cache,
      )
    : inputs.map(() => []);
  await cache.save();
  const usage = analyses
    ? await checkToolUsage(inputs, strict, { analyses, ranges: catalog.ranges })
    : inputs.map(() => []);
  await Promise.all(
    inputs.map(async ({ skill, shown }, index) => {
      const analysis: SkillAnalysis | undefined = analyses?.[index];
      const { tests, testInputs, exampleInputs } = early[index]!;
      const found = [...catalog.problems[index]!, ...usage[index]!, ...testInputs, ...exampleInputs];
      if (analysis) {
        found.push(...syntaxProblems(analysis, shown, strict), ...types[index]!);
        if (codeCallsTools(analysis, skill)) found.push(...(await emptyCassetteProblems(skill, shown, strict, tests)));
      }
      problems[index] = found;
    }),
  );
  return { problems, notes };
}

/** The declared tools' schemas for the type check: the catalog's, else the ones tools.lock.json pins. */
function typingTools(skill: LoadedSkill, known: Map<string, ToolInfo>): ToolInfo[] {
  const keys = Object.keys(skill.manifest.tools ?? {});
  const fromCatalog = keys.map((key) => known.get(key)).filter((tool): tool is ToolInfo => tool !== undefined);
  if (fromCatalog.length === keys.length) return fromCatalog;
  let text: string;
  try {
    // synchronous: a small file, looked for once per TypeScript skill (and mostly absent)
    text = readFileSync(join(skill.dir, "tools.lock.json"), "utf8");
  } catch {
    return fromCatalog;
  }
  let locked: ToolInfo[];
  try {
    locked = lockTools(JSON.parse(text));
  } catch {
    return fromCatalog;
  }
  const byKey = new Map(locked.map((tool) => [`${tool.server}/${tool.name}`, tool]));
  return keys.map((key) => known.get(key) ?? byKey.get(key)).filter((tool): tool is ToolInfo => tool !== undefined);
}
