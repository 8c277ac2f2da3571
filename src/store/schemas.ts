/** The JSON Schemas shipped in schemas/, read once per process (from dist/ or src/ alike: both are two levels down). */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SchemaValidator } from "../contracts/schema.js";
import { schemaValidator as validatorFor } from "../core/schema/index.js";

export type SchemaName = "manifest" | "skill-frontmatter" | "config" | "mcp-config";

const SCHEMAS_DIR = new URL("../../schemas/", import.meta.url);
const loaded = new Map<SchemaName, Record<string, unknown>>();

/** Absolute path of a shipped schema file. */
export function schemaPath(name: SchemaName | string): string {
  return fileURLToPath(new URL(`${name}.schema.json`, SCHEMAS_DIR));
}

export function loadSchema(name: SchemaName): Record<string, unknown> {
  let schema = loaded.get(name);
  if (!schema) {
    schema = JSON.parse(readFileSync(schemaPath(name), "utf8")) as Record<string, unknown>;
    loaded.set(name, schema);
  }
  return schema;
}

/** The validator of one of the package's file formats (the `fileFormat` profile). */
export function schemaValidator(name: SchemaName): SchemaValidator {
  return validatorFor("fileFormat", loadSchema(name));
}
