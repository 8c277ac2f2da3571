/**
 * Type-checks TypeScript skills against the SDK generated from one set of tool schemas and against the SDK generated
 * from another, and returns the errors only the second SDK causes, with file:line:col. The skill's own unrelated
 * errors (a missing `console` type, say) are in both and cancel out.
 *
 * Many skills are checked in two programs in all (one per side), not two per skill: each skill's files sit in a folder
 * of their own (/skill/<n>/), each distinct SDK in one of its own (/sdk/<n>/, shared by every skill whose tools
 * match), and `servers/...` imports resolve to the SDK of the importing skill. What the programs share (the standard
 * library, parsed once per process, and the checker's view of it) is paid once instead of once per skill. Whatever
 * one skill's files might do to another's (a global declared by a script file) happens on both sides and cancels out.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TS from "typescript";
import type { SourceDiagnostic } from "../contracts/compat.js";
import type { ToolInfo } from "../contracts/tools.js";
import { generateSdk } from "../core/codegen/index.js";
import { canonicalJson } from "../core/testing/fingerprint.js";
import { type AnalysisCache, hashKey } from "./cache.js";
import { isSourceDiagnostics } from "./cacheShapes.js";
import { loadTypeScript } from "./tsLoader.js";
import type { TsSource } from "./typescript.js";

/** What the generated modules import from `../_runtime.js`: the runtime's shape without its Node internals. */
const RUNTIME_STUB = `export declare class ToolError extends Error {
  readonly code: string;
  readonly server: string;
  readonly tool: string;
  readonly data: unknown;
}
export declare function callTool(server: string, tool: string, args?: Record<string, unknown>): Promise<unknown>;
`;

/** One skill's TypeScript files, and the tools of each side. */
export interface TypecheckJob {
  sources: TsSource[];
  before: ToolInfo[];
  after: ToolInfo[];
}

/** Bumped when the type check changes what it reports. */
const CHECKER = "typecheck-2";

let version: string | undefined;

/** The compiler's version, without loading the compiler (a cached answer needs none). */
function compilerVersion(): string {
  version ??= (createRequire(import.meta.url)("typescript/package.json") as { version: string }).version;
  return version;
}

const libFiles = new Map<string, TS.SourceFile>();
const libTexts = new Map<string, string | undefined>();
let libDir: string | undefined;

function options(ts: typeof TS): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts"],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
  };
}

/** The SDK modules of a set of tools, by path under the SDK folder (`servers/...`). */
function sdkFiles(tools: ToolInfo[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of generateSdk(tools, { lang: "ts", runtime: { ts: "" } })) {
    if (file.path === "servers/_runtime.ts") continue;
    files.set(file.path, file.content);
  }
  files.set("servers/_runtime.d.ts", RUNTIME_STUB);
  return files;
}

/** `servers/<server>...` as the generated SDK's own import path (what `paths: { "servers/*": ... }` maps). */
const SDK_IMPORT = /^servers\/.+/;

/** The skills' files, parsed once for both programs (as the language service shares unchanged files). */
type Parsed = Map<string, TS.SourceFile>;

/**
 * Every error of every job's files in one program whose SDKs come from `toolsOf`, keyed per job. A job's files sit
 * under /skill/<its number>, the same in both programs, so that their parse can be shared.
 */
function check(
  ts: typeof TS,
  jobs: { index: number; job: TypecheckJob }[],
  toolsOf: (job: TypecheckJob) => ToolInfo[],
  parsed: Parsed,
): Map<string, SourceDiagnostic>[] {
  libDir ??= dirname(createRequire(import.meta.url).resolve("typescript"));
  const lib = libDir;
  const compilerOptions = options(ts);
  const files = new Map<string, string>();
  const folders = new Set<string>(["/", "/skill", "/sdk"]);
  const sdkOfSkill = new Map<string, string>();
  const sdkFolders = new Map<string, string>();
  const roots: string[] = [];
  const skillFiles = new Set<string>();
  for (const { index, job } of jobs) {
    const tools = toolsOf(job);
    const toolsKey = JSON.stringify(tools);
    let sdk = sdkFolders.get(toolsKey);
    if (!sdk) {
      sdk = `/sdk/${sdkFolders.size}`;
      sdkFolders.set(toolsKey, sdk);
      for (const [path, content] of sdkFiles(tools)) addFile(`${sdk}/${path}`, content);
    }
    const skill = `/skill/${index}`;
    sdkOfSkill.set(skill, sdk);
    for (const source of job.sources) {
      addFile(`${skill}/${source.file}`, source.source);
      roots.push(`${skill}/${source.file}`);
      skillFiles.add(`${skill}/${source.file}`);
    }
  }
  function addFile(path: string, text: string): void {
    files.set(path, text);
    for (let folder = dirname(path); folder !== "/"; folder = dirname(folder)) folders.add(folder);
  }
  const host: TS.CompilerHost = {
    getSourceFile(name, version) {
      const text = files.get(name);
      if (text !== undefined && skillFiles.has(name)) {
        let file = parsed.get(name);
        if (file?.text !== text) {
          file = ts.createSourceFile(name, text, version, true);
          parsed.set(name, file);
        }
        return file;
      }
      if (text !== undefined) return ts.createSourceFile(name, text, version, true);
      if (!name.startsWith(lib)) return undefined;
      let cached = libFiles.get(name);
      if (!cached) {
        const libText = readLib(name);
        if (libText === undefined) return undefined;
        cached = ts.createSourceFile(name, libText, version, true);
        libFiles.set(name, cached);
      }
      return cached;
    },
    getDefaultLibFileName: (opts) => join(lib, ts.getDefaultLibFileName(opts)),
    getDefaultLibLocation: () => lib,
    writeFile: () => undefined,
    getCurrentDirectory: () => "/skill",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => files.has(name) || (name.startsWith(lib) && readLib(name) !== undefined),
    readFile: (name) => files.get(name) ?? (name.startsWith(lib) ? readLib(name) : undefined),
    directoryExists: (name) => folders.has(name.replace(/(.)\/$/, "$1")) || name.startsWith(lib),
    // `servers/...` is the importing skill's own SDK; the rest resolves as the compiler would
    resolveModuleNameLiterals(literals, containingFile, _redirect, resolutionOptions) {
      const sdk = sdkFor(containingFile);
      return literals.map((literal) => {
        const name = sdk && SDK_IMPORT.test(literal.text) ? `${sdk}/${literal.text}` : literal.text;
        return ts.resolveModuleName(name, containingFile, resolutionOptions, host);
      });
    },
  };
  function sdkFor(file: string): string | undefined {
    const match = /^\/(skill|sdk)\/\d+/.exec(file);
    if (!match) return undefined;
    return match[1] === "sdk" ? match[0] : sdkOfSkill.get(match[0]);
  }
  const program = ts.createProgram(roots, compilerOptions, host);
  return jobs.map(({ index, job }) => {
    const out = new Map<string, SourceDiagnostic>();
    for (const source of job.sources) {
      const sf = program.getSourceFile(`/skill/${index}/${source.file}`);
      if (!sf) continue;
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        if (d.start === undefined || d.category !== ts.DiagnosticCategory.Error) continue;
        const pos = sf.getLineAndCharacterOfPosition(d.start);
        const diagnostic: SourceDiagnostic = {
          file: source.file,
          line: pos.line + 1,
          column: pos.character + 1,
          severity: "error",
          code: `TS${d.code}`,
          message: ts.flattenDiagnosticMessageText(d.messageText, " "),
        };
        out.set(`${diagnostic.file}:${diagnostic.line}:${diagnostic.column}:${diagnostic.code}`, diagnostic);
      }
    }
    return out;
  });
}

function readLib(name: string): string | undefined {
  if (!libTexts.has(name)) {
    try {
      libTexts.set(name, readFileSync(name, "utf8"));
    } catch {
      libTexts.set(name, undefined);
    }
  }
  return libTexts.get(name);
}

/** The TypeScript files of a skill (.ts, .mts, .cts): JavaScript is not type-checked. */
function typed(sources: TsSource[]): TsSource[] {
  return sources.filter((s) => /\.(m|c)?ts$/.test(s.file));
}

/** Type errors the new tools cause that the old ones did not (TS skills only). */
export function typecheckAgainstSdk(sources: TsSource[], before: ToolInfo[], after: ToolInfo[]): SourceDiagnostic[] {
  return typecheckSkills([{ sources, before, after }])[0]!;
}

/**
 * typecheckAgainstSdk for many skills at once (one answer per job, in order), with the answers kept in `cache` by the
 * hash of the compiler's version, the sources and the tools of both sides. A skill whose files never name `servers`
 * imports no SDK: both sides are the same program for it, and it is not checked.
 */
export function typecheckSkills(jobs: TypecheckJob[], cache?: AnalysisCache): SourceDiagnostic[][] {
  const results: SourceDiagnostic[][] = jobs.map(() => []);
  const work: { index: number; job: TypecheckJob; key: string }[] = [];
  for (const [index, job] of jobs.entries()) {
    const sources = typed(job.sources);
    if (!sources.some((s) => s.source.includes("servers"))) continue;
    const key = hashKey(
      CHECKER,
      compilerVersion(),
      canonicalJson(sources),
      canonicalJson(job.before),
      canonicalJson(job.after),
    );
    const cached = cache?.get(key, isSourceDiagnostics);
    if (cached) results[index] = cached;
    else work.push({ index, job: { ...job, sources }, key });
  }
  if (work.length === 0) return results;
  const ts = loadTypeScript();
  const parsed: Parsed = new Map();
  const now = check(ts, work, (job) => job.after, parsed);
  // a skill without an error against the new SDK has none the new SDK causes: the old side is checked only for the
  // others (most skills, when they are fine)
  const failing = work.filter((_, i) => now[i]!.size > 0);
  const old = failing.length > 0 ? check(ts, failing, (job) => job.before, parsed) : [];
  const oldOf = new Map(failing.map((item, i) => [item.index, old[i]!]));
  for (const [i, { index, key }] of work.entries()) {
    const before = oldOf.get(index);
    results[index] = [...now[i]!].filter(([at]) => !before?.has(at)).map(([, diagnostic]) => diagnostic);
    cache?.set(key, results[index]);
  }
  return results;
}
