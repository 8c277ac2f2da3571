/**
 * Validators of the package's own schemas (the `fileFormat` profile), compiled when the package is built:
 * scripts/build.mjs writes dist/core/schema/precompiled.js over what this file compiles to (precompile.ts makes it).
 * Keyed by the schema's JSON text, so a schema that changed after the build is compiled at run time as before. From
 * source (the tests), there are none and every schema is compiled on first use.
 */
import type { ErrorMode } from "./ajv.js";

/** A compiled validate function: true or false, and its errors (ajv's error objects) when false. */
export interface PrecompiledFunction {
  (value: unknown): boolean;
  errors?: unknown[] | null;
}

export type PrecompiledSchema = Record<ErrorMode, () => PrecompiledFunction>;

export const PRECOMPILED: ReadonlyMap<string, PrecompiledSchema> = new Map();
