/**
 * The TypeScript compiler, loaded on first use: most commands never need it, and loading it costs a few hundred
 * milliseconds. `require` rather than `import()`: an ESM import of this 9 MB CommonJS file first scans it for its
 * export names, which more than doubles the cost. The build keeps V8's compiled code of the file next to this
 * module (writeTypeScriptCodeCache): with it the compiler loads in about a third of the time. The cache is used only
 * for the exact file it was made from (version and size); V8 itself refuses it from another V8, and then the file
 * is compiled as usual.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

export type TypeScript = typeof import("typescript");

const CODE_CACHE = new URL("./typescript.codecache", import.meta.url);
const CODE_CACHE_META = new URL("./typescript.codecache.json", import.meta.url);

let loaded: TypeScript | undefined;
let fromCodeCache = false;

export function loadTypeScript(): TypeScript {
  loaded ??= loadWithCodeCache() ?? (createRequire(import.meta.url)("typescript") as TypeScript);
  return loaded;
}

/** Whether this process's compiler came from the build's code cache (for tests and diagnostics). */
export function typeScriptFromCodeCache(): boolean {
  return fromCodeCache;
}

interface CodeCacheMeta {
  version: string;
  size: number;
}

function compilerFile(): { file: string; version: string } {
  const require = createRequire(import.meta.url);
  const file = require.resolve("typescript");
  const version = (require("typescript/package.json") as { version: string }).version;
  return { file, version };
}

/** Runs typescript.js as `require` would (its own module object, a require that resolves from its folder). */
function evaluate(file: string, cachedData: Buffer | undefined): { ts: TypeScript; script: Script } {
  const wrapper = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, "utf8")}\n});`;
  const script = new Script(wrapper, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return { ts: module.exports as TypeScript, script };
}

function loadWithCodeCache(): TypeScript | undefined {
  let meta: CodeCacheMeta;
  let cachedData: Buffer;
  try {
    meta = JSON.parse(readFileSync(fileURLToPath(CODE_CACHE_META), "utf8")) as CodeCacheMeta;
    cachedData = readFileSync(fileURLToPath(CODE_CACHE));
  } catch {
    return undefined;
  }
  try {
    const { file, version } = compilerFile();
    if (meta.version !== version || meta.size !== statSync(file).size) return undefined;
    const { ts, script } = evaluate(file, cachedData);
    fromCodeCache = !script.cachedDataRejected;
    return ts;
  } catch {
    return undefined;
  }
}

/**
 * For the build: compiles the compiler, makes it this process's compiler, runs `warmUp` with it (an analysis of a
 * small program, so that the functions a real analysis runs are compiled too), and writes V8's code cache and what it
 * was made from into `dir`.
 */
export function writeTypeScriptCodeCache(dir: string, warmUp: () => void): void {
  const { file, version } = compilerFile();
  const { ts, script } = evaluate(file, undefined);
  loaded = ts;
  warmUp();
  writeFileSync(join(dir, "typescript.codecache"), script.createCachedData());
  const meta: CodeCacheMeta = { version, size: statSync(file).size };
  writeFileSync(join(dir, "typescript.codecache.json"), `${JSON.stringify(meta)}\n`);
}
