/**
 * The TypeScript compiler, loaded on first use: most commands never need it, and loading it costs a few hundred
 * milliseconds. `require` rather than `import()`: an ESM import of this 9 MB CommonJS file first scans it for its
 * export names, which more than doubles the cost.
 */
import { createRequire } from "node:module";

export type TypeScript = typeof import("typescript");

let loaded: TypeScript | undefined;

export function loadTypeScript(): TypeScript {
  loaded ??= createRequire(import.meta.url)("typescript") as TypeScript;
  return loaded;
}
