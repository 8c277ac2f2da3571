/**
 * Usage analysis of skills: which files a skill's code lives in, and what each file does with the SDK. Python files
 * of every skill go to one `ast` run; TypeScript and JavaScript files are parsed in process. `skills compat` and
 * `skills validate` share it; syntax errors are returned with their positions (the same parse), never thrown.
 */
import { lstat, readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { SourceAnalysis, SourceDiagnostic } from "../contracts/compat.js";
import type { SkillLanguage } from "../contracts/skill.js";
import { type AnalysisCache, analyserVersion, hashKey } from "./cache.js";
import { analysePython } from "./python.js";
import { analyseTypeScript } from "./typescript.js";

export { AnalysisCache } from "./cache.js";

export { analysePython } from "./python.js";
export { analyseTypeScript } from "./typescript.js";
export { typecheckAgainstSdk } from "./typecheck.js";

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
}

/** Folders of a skill that hold no code of the skill. */
const SKIP_DIRS = new Set(["tests", "cassettes", "node_modules", "servers", "__pycache__", "dist", "build"]);
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 500;

function extensionsFor(language: SkillLanguage): RegExp {
  return language === "python" ? /\.py$/ : /(?<!\.d)\.(m|c)?(ts|js)$/;
}

/** The code files of a skill (not tests, cassettes, generated SDKs or dot-folders), relative, sorted. */
export async function skillSourceFiles(dir: string, language: SkillLanguage): Promise<string[]> {
  const pattern = extensionsFor(language);
  const found: string[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    if (depth > 8 || found.length >= MAX_FILES) return;
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith(".")) continue;
      const path = join(folder, entry.name);
      // links are not followed: a skill's code is what is in its folder
      if (entry.isDirectory()) {
        if (!(depth === 0 && SKIP_DIRS.has(entry.name))) await walk(path, depth + 1);
      } else if (entry.isFile() && pattern.test(entry.name)) found.push(relative(dir, path).split("\\").join("/"));
    }
  };
  await walk(dir, 0);
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
  const python: { skill: number; file: string; source: string; key: string }[] = [];
  for (const [index, skill] of skills.entries()) {
    const result: SkillAnalysis = { analyses: [], sources: new Map(), skipped: [] };
    const typescript: { file: string; source: string; key: string }[] = [];
    results.push(result);
    for (const file of await skillSourceFiles(skill.dir, skill.language)) {
      const path = join(skill.dir, file);
      const info = await lstat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      if (info.size > MAX_FILE_BYTES) {
        result.skipped.push(skipped(file, `${file} is over 1 MiB and was not analysed`));
        continue;
      }
      const source = await readFile(path, "utf8").catch(() => undefined);
      if (source === undefined) {
        result.skipped.push(skipped(file, `${file} cannot be read`));
        continue;
      }
      result.sources.set(file, source);
      if (!options.syntax && !source.includes("servers")) {
        result.analyses.push(empty(file, skill.language));
        continue;
      }
      const key = hashKey(analyserVersion(skill.language === "python" ? "python" : "typescript"), file, source);
      const cached = options.cache?.get<SourceAnalysis>(key);
      if (cached) {
        result.analyses.push(cached);
        continue;
      }
      if (skill.language === "python") python.push({ skill: index, file, source, key });
      else typescript.push({ file, source, key });
    }
    if (typescript.length > 0) {
      const analysed = analyseTypeScript(typescript.map(({ file, source }) => ({ file, source })));
      for (const [i, analysis] of analysed.entries()) {
        options.cache?.set(typescript[i]!.key, analysis);
        result.analyses.push(analysis);
      }
    }
  }
  if (python.length > 0) {
    const analysed = await analysePython(
      python.map(({ file, source }) => ({ file, source })),
      options.python ? { python: options.python } : {},
    );
    for (const [i, analysis] of analysed.entries()) {
      options.cache?.set(python[i]!.key, analysis);
      results[python[i]!.skill]!.analyses.push(analysis);
    }
  }
  return results;
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
