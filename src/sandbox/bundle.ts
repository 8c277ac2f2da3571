/**
 * TypeScript/JavaScript programs are transpiled and bundled on the host with esbuild into one ES module: the bare
 * import `servers/<server>` resolves to the generated SDK tree, relative imports to the skill folder. The worker
 * imports the bundle from memory, so nothing needs to be written into the sandbox. esbuild runs in a child process
 * under the run's timeout and a memory cap, and may read only the program's own files (bundler.ts).
 */
import { SkillsError } from "../errors.js";
import type { SkillLanguage } from "../contracts/skill.js";
import { BUNDLER_MEMORY_BYTES, type BundlerOutcome, runBundler } from "./bundler.js";

export interface BundleOptions {
  code: string;
  language: SkillLanguage;
  /** Host folder containing the SDK's `servers/`. */
  sdkDir: string;
  /** The only folder whose files may be imported (the skill folder, or an empty one for exec). */
  resolveDir: string;
  /** Name shown in errors. */
  filename: string;
  /** Session cell: export every top-level name so the next cell sees it. */
  session?: boolean;
  /** The run's timeout: bundling that takes longer is stopped (default 30 s). */
  timeoutMs?: number;
  /** Of that timeout, what the run's preparation already spent (the bundler gets the rest; errors name the whole). */
  spentMs?: number;
}

export interface BundledProgram {
  code: string;
  /** Source map of `code` (JSON): the program's files as the user names them (see runtime/bundler/child.mjs). */
  map?: string;
  /** The files esbuild read, with their size and mtime when read (the bundle is stale once one changes). */
  inputs: { path: string; size: number; mtimeMs: number }[];
}

export interface BundleFailure {
  message: string;
  line?: number;
  column?: number;
}

const TOP_LEVEL_RESULT = /^(?:let|var|const)\s+result\b/m;
const EXPORTS_RESULT = /^export\s+(?:let|var|const|async\s+function|function)\s+result\b|export\s*\{[^}]*\bresult\b/m;

/** A notebook-style program's top-level `result`, exported under a name of ours (the worker reads it). */
export function exportNotebookResult(code: string): string {
  return TOP_LEVEL_RESULT.test(code) && !EXPORTS_RESULT.test(code)
    ? `${code}\nexport { result as __skills_result };\n`
    : code;
}

/** Top-level names a cell declares or imports (esbuild's output puts top-level statements at column 0). */
export function topLevelNames(js: string): string[] {
  const names = new Set<string>();
  for (const line of js.split("\n")) {
    const decl = /^(?:export\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/.exec(line);
    if (decl) names.add(decl[1]!);
    const destructure = /^(?:export\s+)?(?:const|let|var)\s+[{[]([^=]*)[}\]]\s*=/.exec(line);
    if (destructure) {
      for (const part of destructure[1]!.split(",")) {
        const name = /([A-Za-z_$][\w$]*)\s*$/.exec(part.split(":").pop()!.split("=")[0]!.trim());
        if (name) names.add(name[1]!);
      }
    }
    const imported = /^import\s+(.*?)\s+from\s/.exec(line);
    if (imported) {
      const clause = imported[1]!;
      const star = /\*\s+as\s+([A-Za-z_$][\w$]*)/.exec(clause);
      if (star) names.add(star[1]!);
      const def = /^([A-Za-z_$][\w$]*)/.exec(clause);
      if (def) names.add(def[1]!);
      const braces = /\{([^}]*)\}/.exec(clause);
      for (const part of braces?.[1]?.split(",") ?? []) {
        const name = /([A-Za-z_$][\w$]*)\s*$/.exec(part.trim());
        if (name) names.add(name[1]!);
      }
    }
  }
  return [...names];
}

/** Names a module already exports: `export const x`, `export function f`, and `export { a, b as c }` blocks,
 * which esbuild prints over several lines. */
export function exportedNames(js: string): Set<string> {
  const names = new Set<string>();
  for (const match of js.matchAll(
    /^export\s+(?:default\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/gm,
  )) {
    names.add(match[1]!);
  }
  for (const block of js.matchAll(/^export\s*\{([^}]*)\}/gm)) {
    for (const part of block[1]!.split(",")) {
      const name = /([A-Za-z_$][\w$]*)\s*$/.exec(part.trim());
      if (name) names.add(name[1]!);
    }
  }
  return names;
}

function failure(error: { errors?: unknown }, filename: string): SkillsError {
  const first = (
    error as { errors?: { text: string; location?: { file?: string; line: number; column: number } | null }[] }
  ).errors?.[0];
  // An error in an imported file names that file (esbuild prefixes the bundler's namespace: `skills:/abs/path`).
  const located = first?.location?.file?.replace(/^skills:/, "");
  const file = located && located !== "<stdin>" && located !== filename ? located : filename;
  const where = first?.location ? `${file}:${first.location.line}:${first.location.column + 1}` : filename;
  const missing = /\(originally "(servers\/[^"]*)"\)/.exec(first?.text ?? "");
  // The SDK's files as the program imports them (servers/...), not the host folder they were generated into.
  const text = (
    missing
      ? `no generated SDK module "${missing[1]}": is the tool declared (manifest tools, or --tools)?`
      : (first?.text ?? (error as Error).message)
  ).replace(/skills:[^"\s]*?\/(servers\/)/g, "$1");
  return new SkillsError("PROGRAM_ERROR", `${where}: ${text}`, {
    file,
    line: first?.location?.line,
    column: first?.location ? first.location.column + 1 : undefined,
  });
}

/** The outcome as a bundle, or the SkillsError a run reports (PROGRAM_ERROR with file:line:col, or TIMEOUT). */
function settle(outcome: BundlerOutcome, options: BundleOptions, timeoutMs: number): BundledProgram {
  if (outcome.ok) return { code: outcome.code, inputs: outcome.inputs, ...(outcome.map ? { map: outcome.map } : {}) };
  if ("errors" in outcome) throw failure(outcome, options.filename);
  if (outcome.stopped === "timeout") {
    throw new SkillsError(
      "TIMEOUT",
      `bundling ${options.filename} took longer than the run's timeout (${timeoutMs} ms) and was stopped`,
      { file: options.filename, hint: "raise --timeout or limits.timeout_ms, or import less" },
    );
  }
  const why =
    outcome.stopped === "memory"
      ? `ran out of memory (the bundler may use ${BUNDLER_MEMORY_BYTES / 1024 / 1024} MiB)`
      : "crashed";
  throw new SkillsError(
    "PROGRAM_ERROR",
    `bundling ${options.filename} ${why} and was stopped${outcome.detail ? `: ${outcome.detail}` : ""}`,
    { file: options.filename, hint: "look for deeply nested or very large expressions in the program" },
  );
}

/** One ES module ready for the worker; a compile error is thrown as SkillsError PROGRAM_ERROR with file:line:col. */
export async function bundleProgram(options: BundleOptions): Promise<BundledProgram> {
  const loader = options.language === "javascript" ? "js" : "ts";
  const timeoutMs = options.timeoutMs ?? 30_000;
  const budgetMs = Math.max(1, timeoutMs - (options.spentMs ?? 0));
  const base = { filename: options.filename, roots: [options.resolveDir], sdkDir: options.sdkDir };
  let contents = options.code;
  if (options.session) {
    const started = performance.now();
    const js = settle(await runBundler({ ...base, kind: "transpile", code: contents, loader }, budgetMs), options, timeoutMs).code;
    const exported = exportedNames(js);
    const names = topLevelNames(js).filter((n) => !exported.has(n));
    contents = names.length > 0 ? `${js}\nexport { ${names.join(", ")} };\n` : js;
    const left = Math.max(1, budgetMs - (performance.now() - started));
    return settle(await runBundler({ ...base, kind: "bundle", code: contents, loader: "js" }, left), options, timeoutMs);
  }
  contents = exportNotebookResult(contents);
  return settle(await runBundler({ ...base, kind: "bundle", code: contents, loader }, budgetMs), options, timeoutMs);
}
