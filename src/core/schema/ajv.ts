/**
 * The one place that constructs ajv: one instance per (profile, dialect, error mode), made on first use. Nothing is
 * compiled at import time, and ajv itself (~90 modules) is loaded only when a schema has to be compiled: a command
 * whose schemas all come precompiled (precompiled.ts) never loads it.
 */
import type { Ajv, Options } from "ajv";
import { createRequire } from "node:module";
import { PROFILES, type SchemaProfile } from "./profiles.js";

export type Dialect = "draft-07" | "2020-12";
export type ErrorMode = "first" | "all";

// A synchronous load on first use (ajv and ajv-formats are CommonJS): the validator factory answers synchronously.
const load = createRequire(import.meta.url);

interface AjvModules {
  classes: Record<Dialect, typeof Ajv>;
  addFormats: (ajv: Ajv) => Ajv;
}

let modules: AjvModules | undefined;

/** Loads ajv's modules now (they load on first use otherwise): for a caller with time to spare before it compiles. */
export function loadAjv(): void {
  ajvModules();
}

function ajvModules(): AjvModules {
  if (!modules) {
    const draft07 = load("ajv") as { Ajv: typeof Ajv };
    const draft2020 = load("ajv/dist/2020.js") as { Ajv2020: typeof Ajv };
    const formats = load("ajv-formats") as { default?: unknown };
    modules = {
      classes: { "draft-07": draft07.Ajv, "2020-12": draft2020.Ajv2020 },
      addFormats: (formats.default ?? formats) as (ajv: Ajv) => Ajv,
    };
  }
  return modules;
}

const instances = new Map<string, Ajv>();

/**
 * `schemasChecked`: the caller has checked each schema against its meta-schema itself (validator.ts, with the
 * build's compiled check), so this instance does not (it would compile the meta-schema first).
 */
export function ajvFor(profile: SchemaProfile, dialect: Dialect, mode: ErrorMode, schemasChecked = false): Ajv {
  const key = `${profile}|${dialect}|${mode}|${schemasChecked}`;
  let ajv = instances.get(key);
  if (!ajv) {
    ajv = createAjv(profile, dialect, mode, false, schemasChecked);
    instances.set(key, ajv);
  }
  return ajv;
}

/**
 * A fresh instance that keeps the source of what it compiles, for precompiling (precompile.ts): the same options as
 * at run time, so precompiled code validates exactly as a compiled schema would.
 */
export function sourceAjv(profile: SchemaProfile, dialect: Dialect, mode: ErrorMode): Ajv {
  return createAjv(profile, dialect, mode, true);
}

function createAjv(
  profile: SchemaProfile,
  dialect: Dialect,
  mode: ErrorMode,
  source: boolean,
  schemasChecked = false,
): Ajv {
  const settings = PROFILES[profile];
  // The first pass of firstThenAll only answers "valid?" for documents read once: compile it lean (precompiled code
  // is compiled once, ahead of use, so it may as well be optimised; optimising never changes what is valid).
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
    ...(settings.source === "own" || schemasChecked ? { validateSchema: false } : {}),
  };
  const { classes, addFormats } = ajvModules();
  const AjvForDialect = classes[dialect];
  const ajv = new AjvForDialect(options);
  if (settings.formats) addFormats(ajv);
  return ajv;
}
