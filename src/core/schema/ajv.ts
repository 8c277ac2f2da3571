/**
 * The one place that constructs ajv: one instance per (profile, dialect, error mode), made on first use. Nothing is
 * compiled at import time.
 */
import { Ajv, type Options } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { PROFILES, type SchemaProfile } from "./profiles.js";

export type Dialect = "draft-07" | "2020-12";
export type ErrorMode = "first" | "all";

// ajv-formats is CommonJS; under NodeNext its default export may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

const CLASSES: Record<Dialect, typeof Ajv> = { "draft-07": Ajv, "2020-12": Ajv2020 as unknown as typeof Ajv };
const instances = new Map<string, Ajv>();

export function ajvFor(profile: SchemaProfile, dialect: Dialect, mode: ErrorMode): Ajv {
  const key = `${profile}|${dialect}|${mode}`;
  let ajv = instances.get(key);
  if (!ajv) {
    ajv = createAjv(profile, dialect, mode, false);
    instances.set(key, ajv);
  }
  return ajv;
}

/**
 * A fresh instance that keeps the source of what it compiles, for precompiling at build time (precompile.ts): the
 * same options as at run time, so precompiled code validates exactly as a compiled schema would.
 */
export function sourceAjv(profile: SchemaProfile, dialect: Dialect, mode: ErrorMode): Ajv {
  return createAjv(profile, dialect, mode, true);
}

function createAjv(profile: SchemaProfile, dialect: Dialect, mode: ErrorMode, source: boolean): Ajv {
  const settings = PROFILES[profile];
  // The first pass of firstThenAll only answers "valid?" for documents read once: compile it lean (precompiled code
  // is compiled once, at build time, so it may as well be optimised; optimising never changes what is valid).
  const lean = settings.errors === "firstThenAll" && mode === "first" && !source;
  const options: Options = {
    allErrors: mode === "all",
    // The all-errors pass carries the failing value and its schema, for messages like "did you mean ...".
    verbose: mode === "all",
    strict: settings.strict,
    // Our schemas use `required` inside if/oneOf for properties declared beside them; that is valid JSON Schema.
    ...(settings.strict ? { strictRequired: false } : {}),
    useDefaults: settings.useDefaults,
    validateFormats: settings.formats,
    ...(source ? { code: { source: true } } : lean ? { code: { optimize: false } } : {}),
    // Our own schemas are checked against the meta-schema by a test (test/unit/schemaTypes.test.ts), not on every
    // start: compiling the meta-schema costs a command that reads skills ~50 ms. Foreign schemas are checked always.
    ...(settings.source === "own" ? { validateSchema: false } : {}),
  };
  const AjvForDialect = CLASSES[dialect];
  const ajv = new AjvForDialect(options);
  if (settings.formats) addFormats(ajv);
  return ajv;
}
