/**
 * Which modules a transpiled program imports, read off esbuild's output, for the fast path of program.ts: a program
 * qualifies when everything it imports is named in static import statements at the top of the module, each of a
 * node built-in or of the generated SDK (`servers/...`), which the worker then imports from the run's own SDK tree.
 * Anything else that could load a module (a dynamic `import()`, `require`, an import or re-export further down, even
 * the words inside a string) makes the answer null: the bundler child handles that program, as it always did.
 */
import { existsSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join } from "node:path";

/** One static import or re-export at the top of the module: the quoted specifier's place in the text. */
export interface StaticImport {
  specifier: string;
  /** The statement up to the specifier (`import { a, b as c } from `): which names it takes. */
  clause: string;
  /** Offsets of the string literal, quotes included. */
  start: number;
  end: number;
}

// esbuild prints `import ... from "x";`, `import "x";` and `export ... from "x";` with double quotes, one per line.
const STATEMENT =
  /(?:import\s*(?:[\w$]+\s*,?\s*)?(?:\*\s*as\s+[\w$]+\s*|\{[^}"'`]*\}\s*)?(?:from\s*)?|export\s*(?:\*(?:\s*as\s+[\w$]+)?|\{[^}"'`]*\})\s*from\s*)("[^"\\\n]*")\s*;/y;
const SPACE = /\s*/y;
const LOADS_A_MODULE = /\brequire\b|\bimport\b(?!\s*\.\s*meta\b)|\bexport\s*\*|\bfrom\s*["'`]/;

/** The imports at the top of `js`, or null when the module may load a module some other way. */
export function staticImports(js: string): StaticImport[] | null {
  const imports: StaticImport[] = [];
  let at = skipSpace(js, 0);
  for (;;) {
    STATEMENT.lastIndex = at;
    const match = STATEMENT.exec(js);
    if (!match) break;
    const literal = match[1]!;
    const start = match.index + match[0].lastIndexOf(literal);
    imports.push({
      specifier: JSON.parse(literal) as string,
      clause: js.slice(match.index, start),
      start,
      end: start + literal.length,
    });
    at = skipSpace(js, STATEMENT.lastIndex);
  }
  return LOADS_A_MODULE.test(js.slice(at)) ? null : imports;
}

function skipSpace(text: string, from: number): number {
  SPACE.lastIndex = from;
  SPACE.exec(text);
  return SPACE.lastIndex;
}

/** The SDK file (relative to the tree, `servers/...js`) a `servers/...` import names, when the tree has it as JS. */
export function sdkModule(sdkDir: string, specifier: string): string | null {
  if (!/^servers\/[\w./-]+$/.test(specifier) || specifier.split("/").includes("..")) return null;
  const base = specifier.replace(/\.js$/, "");
  for (const candidate of [`${base}.js`, `${base}/index.js`]) {
    if (existsSync(join(sdkDir, candidate))) return candidate;
  }
  return null;
}

/**
 * The module with each import pointed where the worker finds it: built-ins as they are, SDK modules at
 * `<marker>/<file>` (resolved at hand-off to the SDK folder the worker sees, see withSdkPath). Null when an import is
 * neither (a relative path, a package): the bundler's job.
 */
export function pointImports(js: string, imports: StaticImport[], sdkDir: string, marker: string): string | null {
  let out = "";
  let last = 0;
  for (const item of imports) {
    if (isBuiltin(item.specifier)) continue;
    const file = sdkModule(sdkDir, item.specifier);
    if (!file) return null;
    // A name the SDK module does not export (a tool the run does not declare) is the bundler's to report: it names
    // the import's file, line and column, and the error becomes TOOL_NOT_DECLARED with the manifest line to add.
    if (!exportsAll(join(sdkDir, file), item.clause)) return null;
    // `file` is made of [\w./-] only (sdkModule): it needs no escaping; the marker is replaced at hand-off.
    out += `${js.slice(last, item.start)}"${marker}/${file}"`;
    last = item.end;
  }
  return out + js.slice(last);
}

/**
 * Whether the module at `path` (generated SDK JavaScript: `export { a, b };`, `export async function a`) exports every
 * name the statement takes. A default import, or an SDK file whose exports cannot be read this way, is a no.
 */
function exportsAll(path: string, clause: string): boolean {
  if (/^import\s*[\w$]/.test(clause)) return false;
  const braces = /\{([^}]*)\}/.exec(clause);
  if (!braces) return true; // `import * as sdk from`, `import "x"`, `export * from` (checked elsewhere)
  const wanted = braces[1]!
    .split(",")
    .map((part) => part.trim().split(/\s+as\s+/)[0]!.trim())
    .filter(Boolean);
  if (wanted.length === 0) return true;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return false;
  }
  if (/\bexport\s*\*/.test(text)) return false;
  const exported = new Set<string>();
  for (const block of text.matchAll(/\bexport\s*\{([^}]*)\}/g)) {
    for (const part of block[1]!.split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) exported.add(name);
    }
  }
  for (const declared of text.matchAll(/\bexport\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+([\w$]+)/g)) {
    exported.add(declared[1]!);
  }
  return wanted.every((name) => exported.has(name));
}
