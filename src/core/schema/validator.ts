/**
 * The validator factory: `schemaValidator(profile, schema)` compiles once per profile and schema (found by object
 * identity, then by JSON text, so equal schemas from fresh objects share one compilation) and hides ajv. A plain
 * foreign schema is checked without compiling until a value needs ajv's answer (quickCheck.ts).
 */
import type { AnySchema, ErrorObject, ValidateFunction } from "ajv";
import type { SchemaError, SchemaValidator } from "../../contracts/schema.js";
import { ajvFor, type Dialect, type ErrorMode } from "./ajv.js";
import { dialectOf, prepareForeign } from "./dialect.js";
import { toSchemaError } from "./errors.js";
import { DEFAULT_META } from "./precompile.js";
import { builtMetaSchema, findPrecompiled, hasPrecompiled } from "./precompiled.js";
import { quickCheck, quickCheckable } from "./quickCheck.js";
import { PROFILES, type SchemaProfile } from "./profiles.js";

export { dialectOf };

type Schema = Record<string, unknown>;
const NONE: readonly SchemaError[] = Object.freeze([]);

interface Cache {
  objects: WeakMap<object, SchemaValidator>;
  texts: Map<string, SchemaValidator>;
}
const caches = new Map<SchemaProfile, Cache>();

export function schemaValidator(profile: SchemaProfile, schema: Schema): SchemaValidator {
  let cache = caches.get(profile);
  if (!cache) {
    cache = { objects: new WeakMap(), texts: new Map() };
    caches.set(profile, cache);
  }
  let validator = cache.objects.get(schema);
  if (validator) return validator;
  const text = JSON.stringify(schema);
  validator = cache.texts.get(text);
  if (!validator) {
    validator = createValidator(profile, schema, text);
    cache.texts.set(text, validator);
  }
  cache.objects.set(schema, validator);
  return validator;
}

function createValidator(profile: SchemaProfile, schema: Schema, text: string): SchemaValidator {
  const settings = PROFILES[profile];
  // A foreign schema in the plain subset (quickCheck.ts) is compiled only once a value is not plainly valid: for the
  // one check per schema `skills validate` makes, compiling would cost a thousand times the answer. The subset only
  // holds schemas ajv compiles, so no compile error is put off; a build's or a catalog's compiled code comes first.
  if (
    settings.source === "foreign" &&
    !hasPrecompiled(profile, text, settings.errors === "all" ? "all" : "first") &&
    quickCheckable(schema)
  ) {
    const { body } = prepareForeign(schema);
    let compiled: SchemaValidator | undefined;
    return {
      validate(value) {
        if (quickCheck(body, value, settings.useDefaults)) return NONE;
        compiled ??= compiledValidator(profile, schema, text);
        return compiled.validate(value);
      },
    };
  }
  return compiledValidator(profile, schema, text);
}

function compiledValidator(profile: SchemaProfile, schema: Schema, text: string): SchemaValidator {
  const settings = PROFILES[profile];
  const first = compile(profile, schema, text, settings.errors === "all" ? "all" : "first");
  if (settings.errors !== "firstThenAll") {
    return { validate: (value) => (first(value) ? NONE : (first.errors ?? []).map(toSchemaError)) };
  }
  let all: ValidateFunction | undefined;
  return {
    validate(value) {
      if (first(value)) return NONE;
      all ??= compile(profile, schema, text, "all");
      all(value);
      return (all.errors ?? []).map(toSchemaError);
    },
  };
}

/**
 * Schema -> validate function. The one compile step: the package's own schemas come precompiled from the build, a
 * catalog's tool schemas from the catalog cache (precompiled.ts), found by their text; anything else, or a schema
 * changed since, is compiled here.
 */
function compile(profile: SchemaProfile, schema: Schema, text: string, mode: ErrorMode): ValidateFunction {
  const precompiled = findPrecompiled(profile, text, mode);
  // The generated code is ajv's own: it reads and sets `errors` exactly as a compiled function does.
  if (precompiled) return precompiled as unknown as ValidateFunction;
  if (PROFILES[profile].source === "own") return ajvFor(profile, "2020-12", mode).compile(schema);
  const { dialect, body } = prepareForeign(schema);
  try {
    return compileForeign(profile, dialect, body, mode);
  } catch (error) {
    // No $schema means 2020-12; a schema that only compiles as draft-07 (tuple `items: [...]`) is read as draft-07.
    if (schema.$schema !== undefined || dialect !== "2020-12") throw error;
    try {
      return compileForeign(profile, "draft-07", body, mode);
    } catch {
      throw error;
    }
  }
}

/**
 * ajv checks a schema against its meta-schema before compiling it, and compiles the meta-schema for that first
 * (150-200 ms in each process). With the build's compiled check the same check runs here, with the same options and
 * the same error (`schema is invalid: data/type must be ...`), and ajv skips its own.
 */
function compileForeign(profile: SchemaProfile, dialect: Dialect, body: AnySchema, mode: ErrorMode): ValidateFunction {
  const check = builtMetaSchema(dialect, PROFILES[profile].formats)?.[mode]?.();
  if (!check) return ajvFor(profile, dialect, mode).compile(body);
  const ajv = ajvFor(profile, dialect, mode, true);
  // ajv's own wording of the refusal (errorsText), as its own check would throw it.
  if (!check(body)) throw new Error(`schema is invalid: ${ajv.errorsText(check.errors as ErrorObject[])}`);
  return ajv.compile(body);
}

/**
 * Meta-schema errors of a foreign schema (`metaSchema` profile): what `skills validate` reports for a manifest's
 * `input`/`output`. First a lean check; every error only for a schema that fails it.
 */
export function metaSchemaErrors(schema: Schema): readonly SchemaError[] {
  // the plain subset is valid in both dialects by construction: no need to load ajv and its meta-schemas
  if (quickCheckable(schema)) return NONE;
  const dialect = dialectOf(schema);
  // The build's compiled check, for a schema that names no meta-schema or its dialect's own (as validateSchema
  // would use); any other `$schema` goes through ajv as before.
  const named = typeof schema.$schema === "string" ? schema.$schema.replace(/#$/, "") : undefined;
  const built = named === undefined || named === DEFAULT_META[dialect] ? builtMetaSchema(dialect, false) : undefined;
  const lean = built?.first?.();
  const thoroughBuilt = built?.all?.();
  if (lean && thoroughBuilt) {
    if (lean(schema)) return NONE;
    thoroughBuilt(schema);
    return ((thoroughBuilt.errors ?? []) as ErrorObject[]).map(toSchemaError);
  }
  if (ajvFor("metaSchema", dialect, "first").validateSchema(schema) === true) return NONE;
  const thorough = ajvFor("metaSchema", dialect, "all");
  thorough.validateSchema(schema);
  return (thorough.errors ?? []).map(toSchemaError);
}
