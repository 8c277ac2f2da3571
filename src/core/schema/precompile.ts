/**
 * Compilation of schemas into JavaScript ahead of use (ajv's standalone code), with exactly the options their
 * profile uses at run time: the package's own schemas at build time (scripts/build.mjs), the tool argument schemas
 * of a catalog once per catalog (src/mcp/catalog/validators.ts). ajv's code generator costs ~100 ms on the first
 * schemas of a process; loading the generated code costs about a millisecond. precompiled.ts loads the result.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { Ajv, AnySchema } from "ajv";
import { type Dialect, type ErrorMode, loadAjv, sourceAjv } from "./ajv.js";
import { prepareForeign } from "./dialect.js";
import { PROFILES, type SchemaProfile } from "./profiles.js";

type Schema = Record<string, unknown>;
type StandaloneCode = (ajv: Ajv, validate: ReturnType<Ajv["compile"]>) => string;

const load = createRequire(import.meta.url);

/** The error modes a profile compiles (firstThenAll: both, each on first use). */
function modesOf(profile: SchemaProfile): ErrorMode[] {
  const errors = PROFILES[profile].errors;
  return errors === "firstThenAll" ? ["first", "all"] : [errors];
}

/** The dialects to try, as the factory does: a foreign schema without `$schema` that only compiles as draft-07 is one. */
function candidates(profile: SchemaProfile, schema: Schema): { dialect: Dialect; body: AnySchema }[] {
  if (PROFILES[profile].source === "own") return [{ dialect: "2020-12", body: schema }];
  const prepared = prepareForeign(schema);
  const fallback = schema.$schema === undefined && prepared.dialect === "2020-12";
  return fallback ? [prepared, { dialect: "draft-07", body: prepared.body }] : [prepared];
}

/**
 * The instances one module is compiled with, by profile, dialect and mode: a fresh one per schema would compile
 * the meta-schema again for each (a catalog of 14 tools took half a second).
 */
type Instances = Map<string, Ajv>;

/** One mode of one schema as the body of a CommonJS module, or undefined when it does not compile (it fails at use). */
function compileToCode(
  profile: SchemaProfile,
  schema: Schema,
  mode: ErrorMode,
  toCode: StandaloneCode,
  instances: Instances = new Map(),
): string | undefined {
  for (const { dialect, body } of candidates(profile, schema)) {
    const key = `${profile}|${dialect}|${mode}`;
    let ajv = instances.get(key);
    if (!ajv) {
      ajv = sourceAjv(profile, dialect, mode);
      instances.set(key, ajv);
    }
    try {
      return toCode(ajv, ajv.compile(body));
    } catch {
      // the next dialect, or none: the factory compiles it at run time and reports the error there
    } finally {
      // The next schema starts from a clean instance (ids inside one schema must not clash with another's).
      try {
        ajv.removeSchema(body);
      } catch {
        // not added
      }
    }
  }
  return undefined;
}

/**
 * Loads what precompiledModule compiles with (ajv and its standalone code generator, ~60 ms in a start without a code
 * cache), so that a later call starts compiling at once: for a caller that waits for its schemas meanwhile.
 */
export function warmPrecompiler(): void {
  loadAjv();
  standaloneCode();
}

function standaloneCode(): StandaloneCode {
  const exported = load("ajv/dist/standalone/index.js") as { default?: StandaloneCode } & StandaloneCode;
  return exported.default ?? exported;
}

/** The entry of one schema: `{ first: once(...), all: once(...) }` with the modes of its profile that compile. */
function entryOf(
  profile: SchemaProfile,
  schema: Schema,
  toCode: StandaloneCode,
  instances?: Instances,
): string | undefined {
  const modes: string[] = [];
  for (const mode of modesOf(profile)) {
    const code = compileToCode(profile, schema, mode, toCode, instances);
    if (code !== undefined) modes.push(`  ${mode}: once(function (module, exports, require) {\n${code}\n  }),`);
  }
  return modes.length > 0 ? `{\n${modes.join("\n")}\n}` : undefined;
}

/** The name precompiled.ts looks a schema's own module up by: a hash of its JSON text. */
export function precompiledName(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * The text of a CommonJS module of one schema's validate functions (`sha256` of its text, then one function per
 * error mode of `profile`, each built on first use), or undefined when the schema does not compile. The build
 * writes one per schema of the package (loading one costs only that schema), precompiled.ts finds them by hash.
 */
export function precompiledSchemaModule(schema: Schema, profile: SchemaProfile = "fileFormat"): string | undefined {
  const text = JSON.stringify(schema);
  const entry = entryOf(profile, schema, standaloneCode());
  if (entry === undefined) return undefined;
  return [...prelude(profile), `module.exports = ${entry};`, `module.exports.sha256 = "${precompiledName(text)}";`, ""].join(
    "\n",
  );
}

/** The meta-schema ajv checks a schema of each dialect against when the schema names none (or names that one). */
export const DEFAULT_META: Record<Dialect, string> = {
  "2020-12": "https://json-schema.org/draft/2020-12/schema",
  "draft-07": "http://json-schema.org/draft-07/schema",
};

/**
 * The text of a CommonJS module of a dialect's meta-schema check (what `ajv.validateSchema` runs: the meta-schema,
 * compiled), one function per error mode: without format checks as the `metaSchema` profile runs it (`skills
 * validate` on a manifest's schemas), or with them as ajv runs it inside the foreign profiles before it compiles a
 * schema. Compiling the 2020-12 meta-schema costs a process 150-200 ms; precompiled.ts loads these instead.
 */
export function precompiledMetaSchemaModule(dialect: Dialect, formats: boolean): string {
  const toCode = standaloneCode();
  // toolArguments: the foreign profiles' options that reach a meta-schema check (ajv drops useDefaults there).
  const profile: SchemaProfile = formats ? "toolArguments" : "metaSchema";
  const modes = (["first", "all"] as const).map((mode) => {
    const ajv = sourceAjv(profile, dialect, mode);
    const validate = ajv.getSchema(DEFAULT_META[dialect]);
    if (!validate) throw new Error(`ajv has no meta-schema ${DEFAULT_META[dialect]}`);
    return `  ${mode}: once(function (module, exports, require) {\n${toCode(ajv, validate)}\n  }),`;
  });
  return [...prelude("metaSchema"), `module.exports = {\n${modes.join("\n")}\n};`, ""].join("\n");
}

/** Where the build writes a meta-schema check (relative to precompiled.ts). */
export function metaSchemaModuleName(dialect: Dialect, formats: boolean): string {
  return `meta-${dialect}${formats ? "-formats" : ""}.cjs`;
}

/**
 * The text of a CommonJS module whose `PRECOMPILED` maps each schema's JSON text to its validate functions, one per
 * error mode of `profile`, each built on first use: the tool argument schemas of a catalog. precompiled.ts loads it
 * (evaluatePrecompiled).
 */
export function precompiledModule(schemas: readonly Schema[], profile: SchemaProfile = "fileFormat"): string {
  const toCode = standaloneCode();
  const texts = [...new Set(schemas.map((schema) => JSON.stringify(schema)))];
  const entries: string[] = [];
  const instances: Instances = new Map();
  for (const text of texts) {
    const entry = entryOf(profile, JSON.parse(text) as Schema, toCode, instances);
    if (entry !== undefined) entries.push(`  [${JSON.stringify(text)}, ${entry}],`);
  }
  return [...prelude(profile), "module.exports.PRECOMPILED = new Map([", ...entries, "]);", ""].join("\n");
}

function prelude(profile: SchemaProfile): string[] {
  return [
    '"use strict";',
    `// Validators of the ${profile} profile, generated by src/core/schema/precompile.ts. Do not edit.`,
    "function once(body) {",
    "  let validate;",
    "  return () => {",
    "    if (!validate) {",
    "      const module = { exports: {} };",
    "      body(module, module.exports, require);",
    "      validate = module.exports;",
    "    }",
    "    return validate;",
    "  };",
    "}",
    "",
  ];
}
