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
  if (ajv) return ajv;
  const settings = PROFILES[profile];
  const options: Options = {
    allErrors: mode === "all",
    // The all-errors pass carries the failing value and its schema, for messages like "did you mean ...".
    verbose: mode === "all",
    strict: settings.strict,
    // Our schemas use `required` inside if/oneOf for properties declared beside them; that is valid JSON Schema.
    ...(settings.strict ? { strictRequired: false } : {}),
    useDefaults: settings.useDefaults,
    validateFormats: settings.formats,
    // The first pass of firstThenAll only answers "valid?" for documents read once: compile it lean.
    ...(settings.errors === "firstThenAll" && mode === "first" ? { code: { optimize: false } } : {}),
  };
  const AjvForDialect = CLASSES[dialect];
  ajv = new AjvForDialect(options);
  if (settings.formats) addFormats(ajv);
  instances.set(key, ajv);
  return ajv;
}
