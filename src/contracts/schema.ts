/**
 * JSON Schema validation as every layer sees it: a validator per (profile, schema) that returns what failed. The
 * implementation (ajv, behind src/core/schema) never shows through this interface.
 */

/** One failed check of a value against a schema. */
export interface SchemaError {
  /** JSON pointer of the value that failed ("" = the whole value). */
  pointer: string;
  /** The JSON Schema keyword that failed: type, required, additionalProperties, ... */
  keyword: string;
  /** The validator's own short message, e.g. "must be string". */
  message: string;
  /** The keyword's details: missingProperty, additionalProperty, allowedValues, ... */
  params: Record<string, unknown>;
  /** Where the keyword sits in the schema (`#/properties/a/type`). */
  schemaPath: string;
  /** For propertyNames failures: the key. */
  propertyName?: string;
  /** The failing value and the schema object that holds the keyword; only when every error is listed. */
  data?: unknown;
  parentSchema?: Record<string, unknown>;
}

export interface SchemaValidator {
  /** Nothing when the value is valid. A profile that fills in defaults (skill input) writes them into `value`. */
  validate(value: unknown): readonly SchemaError[];
}
