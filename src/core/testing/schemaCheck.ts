/** JSON Schema checks for `expect.schema` and for the test-case / cassette formats (ajv 2020, compiled once). */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

let shared: Ajv2020 | undefined;
const cache = new WeakMap<object, ValidateFunction>();

function ajv(): Ajv2020 {
  if (!shared) {
    shared = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
    addFormats(shared);
  }
  return shared;
}

export interface SchemaIssue {
  pointer: string;
  message: string;
  keyword: string;
  params: Record<string, unknown>;
  schemaPath: string;
  /** For propertyNames errors: the offending key. */
  propertyName?: string;
}

/** Compiles (once per schema object) and validates. Throws when the schema itself is not a valid JSON Schema. */
export function checkSchema(schema: object, value: unknown): SchemaIssue[] {
  let validate = cache.get(schema);
  if (!validate) {
    validate = ajv().compile(schema);
    cache.set(schema, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => ({
    pointer: error.instancePath,
    message: error.message ?? "is invalid",
    keyword: error.keyword,
    params: error.params as Record<string, unknown>,
    schemaPath: error.schemaPath,
    ...(error.propertyName !== undefined ? { propertyName: error.propertyName } : {}),
  }));
}
