/** ajv validators compiled once per schema (keyed by its JSON text); draft 2020-12 and draft-07 both work. */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const options = { strict: false, allErrors: false, validateFormats: true } as const;
let draft7: Ajv | undefined;
let draft2020: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

function ajvFor(schema: Record<string, unknown>): Ajv {
  const uri = typeof schema.$schema === "string" ? schema.$schema : "";
  if (uri.includes("2020-12") || uri.includes("2019-09")) {
    draft2020 ??= addFormats(new Ajv2020(options) as unknown as Ajv);
    return draft2020;
  }
  draft7 ??= addFormats(new Ajv(options));
  return draft7;
}

export interface SchemaCheck {
  ok: boolean;
  message?: string;
  pointer?: string;
}

const byObject = new WeakMap<object, ValidateFunction>();

/** The compiled validator: found by object identity first (no hashing on the hot path), then by JSON text. */
function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  let validate = byObject.get(schema);
  if (validate) return validate;
  const key = JSON.stringify(schema);
  validate = cache.get(key);
  if (!validate) {
    const { $id: _id, ...rest } = schema;
    validate = ajvFor(rest).compile(rest);
    cache.set(key, validate);
  }
  byObject.set(schema, validate);
  return validate;
}

export function checkSchema(schema: Record<string, unknown>, value: unknown): SchemaCheck {
  const validate = validatorFor(schema);
  if (validate(value)) return { ok: true };
  const error = validate.errors?.[0] as ErrorObject | undefined;
  if (!error) return { ok: false, message: "does not match the schema", pointer: "" };
  const missing = error.keyword === "required" ? `/${String(error.params.missingProperty)}` : "";
  const extra =
    error.keyword === "additionalProperties"
      ? ` (unexpected property "${String(error.params.additionalProperty)}")`
      : "";
  return { ok: false, message: `${error.message ?? "is invalid"}${extra}`, pointer: `${error.instancePath}${missing}` };
}
