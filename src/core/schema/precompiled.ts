/**
 * Validators compiled ahead of use, as ajv's standalone code (precompile.ts writes it), found by profile and the
 * schema's JSON text: the package's own schemas, compiled when the package is built (scripts/build.mjs writes
 * dist/core/schema/precompiled/<sha256 of the schema's text>.cjs, one module per schema, loaded when that schema is
 * first used), and the schemas of tool arguments, compiled once per catalog and kept in the catalog cache
 * (src/mcp/catalog/validators.ts reads them and registers them here). A schema not found is compiled at run time as
 * before; from source (the tests) there are no built modules.
 */
import { createRequire } from "node:module";
import { metaSchemaModuleName, precompiledName } from "./precompile.js";
import type { Dialect, ErrorMode } from "./ajv.js";
import type { SchemaProfile } from "./profiles.js";

/** A compiled validate function: true or false, and its errors (ajv's error objects) when false. */
export interface PrecompiledFunction {
  (value: unknown): boolean;
  errors?: unknown[] | null;
}

/** Per error mode, the validate function (built on first use: a table of many schemas costs only what is used). */
export type PrecompiledSchema = Partial<Record<ErrorMode, () => PrecompiledFunction>>;
export type PrecompiledTable = ReadonlyMap<string, PrecompiledSchema>;

// The generated code requires ajv's small runtime helpers (ajv/dist/runtime/..., ajv-formats/dist/formats).
const load = createRequire(import.meta.url);
const registered = new Map<SchemaProfile, Map<string, PrecompiledSchema>>();
const built = new Map<string, PrecompiledSchema | null>();

/** The build's module of one of the package's own schemas (the `fileFormat` profile), or undefined without one. */
export function builtSchema(text: string): PrecompiledSchema | undefined {
  let entry = built.get(text);
  if (entry === undefined) {
    const name = precompiledName(text);
    try {
      const module = load(`./precompiled/${name.slice(0, 16)}.cjs`) as PrecompiledSchema & { sha256?: string };
      entry = module.sha256 === name ? module : null;
    } catch (error) {
      if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
      entry = null;
    }
    built.set(text, entry);
  }
  return entry ?? undefined;
}

const builtMeta = new Map<string, PrecompiledSchema | null>();

/** The build's meta-schema check of a dialect (precompiledMetaSchemaModule), or undefined without one. */
export function builtMetaSchema(dialect: Dialect, formats: boolean): PrecompiledSchema | undefined {
  const name = metaSchemaModuleName(dialect, formats);
  let entry = builtMeta.get(name);
  if (entry === undefined) {
    try {
      entry = load(`./precompiled/${name}`) as PrecompiledSchema;
    } catch (error) {
      if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
      entry = null;
    }
    builtMeta.set(name, entry);
  }
  return entry ?? undefined;
}

/** Makes these validators known to the factory for `profile` (a table read from the catalog cache). */
export function registerPrecompiled(profile: SchemaProfile, table: PrecompiledTable): void {
  let known = registered.get(profile);
  if (!known) {
    known = new Map();
    registered.set(profile, known);
  }
  for (const [text, entry] of table) known.set(text, entry);
}

/** Whether a schema (by its JSON text) has precompiled code in this profile and mode, without building it. */
export function hasPrecompiled(profile: SchemaProfile, text: string, mode: ErrorMode): boolean {
  const entry = registered.get(profile)?.get(text) ?? (profile === "fileFormat" ? builtSchema(text) : undefined);
  return entry?.[mode] !== undefined;
}

/** The precompiled validate function of a schema (by its JSON text) in this profile and mode, if there is one. */
export function findPrecompiled(
  profile: SchemaProfile,
  text: string,
  mode: ErrorMode,
): PrecompiledFunction | undefined {
  const entry = registered.get(profile)?.get(text) ?? (profile === "fileFormat" ? builtSchema(text) : undefined);
  return entry?.[mode]?.();
}

/**
 * The table in the text of a module precompile.ts made, read back from a file: evaluated as the CommonJS module it
 * is (no ajv, no code generation). The caller vouches for where the text comes from (validators.ts: only a file
 * that this user owns and only this user may write).
 */
export function evaluatePrecompiled(text: string): PrecompiledTable {
  const module = { exports: {} as { PRECOMPILED?: unknown } };
  new Function("module", "exports", "require", text)(module, module.exports, load);
  const table = module.exports.PRECOMPILED;
  if (!(table instanceof Map)) throw new Error("not a module of precompiled validators");
  return table as PrecompiledTable;
}
