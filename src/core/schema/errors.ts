/** ajv's error objects as the SchemaError every caller reads. */
import type { ErrorObject } from "ajv";
import type { SchemaError } from "../../contracts/schema.js";

export function toSchemaError(error: ErrorObject): SchemaError {
  return {
    pointer: error.instancePath,
    keyword: error.keyword,
    message: error.message ?? `fails "${error.keyword}"`,
    params: error.params as Record<string, unknown>,
    schemaPath: error.schemaPath,
    ...(error.propertyName !== undefined ? { propertyName: error.propertyName } : {}),
    ...("data" in error ? { data: error.data } : {}),
    ...(error.parentSchema ? { parentSchema: error.parentSchema as Record<string, unknown> } : {}),
  };
}
