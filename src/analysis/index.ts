/**
 * Usage analysis of skills: which files a skill's code lives in, and what each file does with the SDK. Python files
 * of every skill go to one `ast` run; TypeScript and JavaScript files are parsed in process. `skills compat` and
 * `skills validate` share it; syntax errors are returned with their positions (the same parse), never thrown.
 */
import { type Dirent, lstatSync, readdirSync, readFileSync, type Stats } from "node:fs";
import { join, relative } from "node:path";
import type { SourceAnalysis, SourceDiagnostic } from "../contracts/compat.js";
import type { SkillLanguage } from "../contracts/skill.js";
import { type AnalysisCache, analyserVersion, hashKey } from "./cache.js";
import { isSourceAnalysis } from "./cacheShapes.js";
import { startPythonAnalysis } from "./python.js";
import { analyseTypeScriptOffThread, type TypeScriptThread, WORKER_MIN_FILES } from "./typescriptThread.js";

export { AnalysisCache } from "./cache.js";

export { analysePython } from "./python.js";
export { analyseTypeScript } from "./typescript.js";
export { type TypecheckJob, typecheckAgainstSdk, typecheckSkills } from "./typecheck.js";
export { TypeScriptThread, WORKER_MIN_FILES } from "./typescriptThread.js";

export interface SkillToAnalyse {
  /** Absolute skill folder. */
  dir: string;
  language: SkillLanguage;
}

export interface SkillAnalysis {
  analyses: SourceAnalysis[];
  /** Source texts by file (relative to the skill folder), for --fix and the type check. */
  sources: Map<string, string>;
  /** Files that were not analysed (too large, unreadable), as warnings. */
  skipped: SourceDiagnostic[];
}

export interface AnalyseOptions {
  python?: string;
  /** Parse every file, also those that never name the SDK (for their syntax errors). Default: only files that
   * mention `servers` are parsed; the others cannot use a tool. */
  syntax?: boolean;
  /** Answers kept from earlier runs, by the hash of the file (and filled with the new ones). */
  cache?: AnalysisCache;
  /** A thread started earlier for the TypeScript (see typescriptAnalysisMissing); ended here when not needed. */
  typescriptThread?: TypeScriptThread;
}

/** Folders of a skill that hold no code of the skill. */
const SKIP_DIRS = new Set(["tests", "cassettes", "node_modules", "servers", "__pycache__", "dist", "build"]);
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 500;

function extensionsFor(language: SkillLanguage): RegExp {
  return language === "python" ? /\.py$/ : /(?<!\.d)\.(m|c)?(ts|js)$/;
}

/** The code files of a skill (not tests, cassettes, generated SDKs or dot-folders), relative, sorted. */
export function skillSourceFiles(dir: string, language: SkillLanguage): string[] {
  const pattern = extensionsFor(language);
  const found: string[] = [];
  const walk = (folder: string, depth: number): void => {
    if (depth > 8 || found.length >= MAX_FILES) return;
    let entries: Dirent[];
    try {
      // synchronous, like the skill loader's scan: one small folder per skill
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith(".")) continue;
      const path = join(folder, entry.name);
      // links are not followed: a skill's code is what is in its folder
      if (entry.isDirectory()) {
        if (!(depth === 0 && SKIP_DIRS.has(entry.name))) walk(path, depth + 1);
      } else if (entry.isFile() && pattern.test(entry.name)) found.push(relative(dir, path).split("\\").join("/"));
    }
  };
  walk(dir, 0);
  return found.slice(0, MAX_FILES);
}

export async function analyseSkills(skills: SkillToAnalyse[], options: AnalyseOptions = {}): Promise<SkillAnalysis[]> {
  const results = await analyse(skills, options);
  // files come back in the order they were found, cached or not
  for (const result of results) {
    const order = [...result.sources.keys()];
    result.analyses.sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file));
  }
  return results;
}

async function analyse(skills: SkillToAnalyse[], options: AnalyseOptions): Promise<SkillAnalysis[]> {
  const results: SkillAnalysis[] = [];
  const python: Pending[] = [];
  const typescript: Pending[] = [];
  for (const [index, skill] of skills.entries()) {
    const result: SkillAnalysis = { analyses: [], sources: new Map(), skipped: [] };
    results.push(result);
    for (const file of skillSourceFiles(skill.dir, skill.language)) {
      const source = readSource(join(skill.dir, file), file, result);
      if (source === undefined) continue;
      result.sources.set(file, source);
      if (!options.syntax && !source.includes("servers")) {
        result.analyses.push(empty(file, skill.language));
        continue;
      }
      const key = hashKey(analyserVersion(skill.language === "python" ? "python" : "typescript"), file, source);
      const cached = options.cache?.get(key, isSourceAnalysis);
      if (cached) result.analyses.push(cached);
      else (skill.language === "python" ? python : typescript).push({ skill: index, file, source, key });
    }
  }
  // Python runs in its own process: started first, it parses while the TypeScript is analysed.
  const started =
    python.length > 0
      ? await startPythonAnalysis(
          python.map(({ file, source }) => ({ file, source })),
          options.python ? { python: options.python } : {},
        )
      : undefined;
  started?.result.catch(() => undefined);
  // One program for the TypeScript of every skill (each skill's files in a folder of their own); many files are
  // analysed on a thread of their own, and this one goes on meanwhile.
  if (typescript.length === 0) options.typescriptThread?.close();
  const analysed =
    typescript.length > 0
      ? await analyseTypeScriptOffThread(
          typescript.map(({ skill, file, source }) => ({ file, source, unit: String(skill) })),
          WORKER_MIN_FILES,
          options.typescriptThread,
        )
      : [];
  keep(typescript, analysed, results, options.cache);
  if (started) keep(python, await started.result, results, options.cache);
  return results;
}

/**
 * Whether the first code file of a TypeScript skill has no kept answer: the compiler is then likely to be needed,
 * and a caller with many skills can start its thread (TypeScriptThread) before it has read them all.
 */
export function typescriptAnalysisMissing(skill: SkillToAnalyse, cache: AnalysisCache): boolean {
  const file = skillSourceFiles(skill.dir, skill.language)[0];
  if (file === undefined) return false;
  const source = readSource(join(skill.dir, file), file, { analyses: [], sources: new Map(), skipped: [] });
  if (source === undefined) return false;
  return cache.get(hashKey(analyserVersion("typescript"), file, source), isSourceAnalysis) === undefined;
}

interface Pending {
  skill: number;
  file: string;
  source: string;
  key: string;
}

function keep(pending: Pending[], analysed: SourceAnalysis[], results: SkillAnalysis[], cache?: AnalysisCache): void {
  for (const [i, analysis] of analysed.entries()) {
    cache?.set(pending[i]!.key, analysis);
    results[pending[i]!.skill]!.analyses.push(analysis);
  }
}

/** A code file's text, or undefined (with a warning) when it is too large or cannot be read. */
function readSource(path: string, file: string, result: SkillAnalysis): string | undefined {
  // Synchronous: a skill's code files are small and local, and a thousand of them read faster without a thread-pool
  // hop per stat and read (as the skill loader does).
  let info: Stats;
  try {
    info = lstatSync(path);
  } catch {
    return undefined;
  }
  if (!info.isFile()) return undefined;
  if (info.size > MAX_FILE_BYTES) {
    result.skipped.push(skipped(file, `${file} is over 1 MiB and was not analysed`));
    return undefined;
  }
  try {
    return readFileSync(path, "utf8");
  } catch {
    result.skipped.push(skipped(file, `${file} cannot be read`));
    return undefined;
  }
}

function empty(file: string, language: SkillLanguage): SourceAnalysis {
  return {
    file,
    language: language === "python" ? "python" : "typescript",
    diagnostics: [],
    calls: [],
    imports: [],
    opaqueModules: [],
  };
}

function skipped(file: string, message: string): SourceDiagnostic {
  return { file, line: 1, column: 1, severity: "warning", code: "NOT_ANALYSED", message };
}
