/**
 * The yaml package, loaded on first use: most skill files are read by the small reader (subset.ts), and the package
 * (~260 KB of code to compile) is only needed for the rest and for the errors of a broken file. Synchronous, as
 * parseYaml is: the package is CommonJS. Its nodes are told apart by Symbol.for marks, so a node made by another copy
 * of it (one bundled elsewhere) is recognised too.
 */
import { createRequire } from "node:module";

type YamlPackage = typeof import("yaml");

let loaded: YamlPackage | undefined;

export function yamlPackage(): YamlPackage {
  loaded ??= createRequire(import.meta.url)("yaml") as YamlPackage;
  return loaded;
}
