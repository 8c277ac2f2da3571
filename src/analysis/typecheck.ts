/**
 * Type-checks a TypeScript skill against the SDK generated from the locked schemas and against the SDK generated
 * from the new ones, and returns the errors only the new SDK causes, with file:line:col. The skill's own unrelated
 * errors (a missing `console` type, say) are in both and cancel out. The standard library is parsed once per process.
 */
import { dirname, join } from "node:path";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as TS from "typescript";
import type { SourceDiagnostic } from "../contracts/compat.js";
import type { ToolInfo } from "../contracts/tools.js";
import { generateSdk } from "../core/codegen/index.js";
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

const libFiles = new Map<string, TS.SourceFile>();
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
    baseUrl: "/",
    paths: { "servers/*": ["/sdk/servers/*"] },
  };
}

function check(ts: typeof TS, sources: TsSource[], tools: ToolInfo[]): Map<string, SourceDiagnostic> {
  libDir ??= dirname(createRequire(import.meta.url).resolve("typescript"));
  const files = new Map<string, string>();
  for (const source of sources) files.set(`/skill/${source.file}`, source.source);
  for (const file of generateSdk(tools, { lang: "ts", runtime: { ts: "" } })) {
    if (file.path === "servers/_runtime.ts") continue;
    files.set(`/sdk/${file.path}`, file.content);
  }
  files.set("/sdk/servers/_runtime.d.ts", RUNTIME_STUB);
  const lib = libDir;
  const host: TS.CompilerHost = {
    getSourceFile(name, version) {
      const text = files.get(name);
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
    directoryExists: (name) =>
      name === "/" ||
      [...files.keys()].some((file) => file.startsWith(`${name.replace(/\/$/, "")}/`)) ||
      name.startsWith(lib),
  };
  const program = ts.createProgram(
    sources.map((s) => `/skill/${s.file}`),
    options(ts),
    host,
  );
  const out = new Map<string, SourceDiagnostic>();
  for (const source of sources) {
    const sf = program.getSourceFile(`/skill/${source.file}`);
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
}

const libTexts = new Map<string, string | undefined>();

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

/** Type errors the new tools cause that the old ones did not (TS skills only). */
export function typecheckAgainstSdk(sources: TsSource[], before: ToolInfo[], after: ToolInfo[]): SourceDiagnostic[] {
  const ts = loadTypeScript();
  const typed = sources.filter((s) => /\.(m|c)?ts$/.test(s.file));
  if (typed.length === 0) return [];
  const old = check(ts, typed, before);
  const now = check(ts, typed, after);
  return [...now].filter(([key]) => !old.has(key)).map(([, diagnostic]) => diagnostic);
}
