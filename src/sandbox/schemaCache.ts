/** The first schema error of a value, as the bridge and the result check report it (one line, one pointer). */
import { joinPointer } from "../core/json/index.js";
import { type SchemaProfile, schemaValidator } from "../core/schema/index.js";

export interface SchemaCheck {
  ok: boolean;
  message?: string;
  pointer?: string;
}

const VALID: SchemaCheck = { ok: true };

/** `toolArguments` for a call's arguments, `skillOutput` for a run's result (src/core/schema/profiles.ts). */
export function checkSchema(
  profile: Extract<SchemaProfile, "toolArguments" | "skillOutput">,
  schema: Record<string, unknown>,
  value: unknown,
): SchemaCheck {
  const error = schemaValidator(profile, schema).validate(value)[0];
  if (!error) return VALID;
  const missing = error.keyword === "required" ? joinPointer(error.pointer, String(error.params.missingProperty)) : "";
  const extra =
    error.keyword === "additionalProperties"
      ? ` (unexpected property "${String(error.params.additionalProperty)}")`
      : "";
  return { ok: false, message: `${error.message}${extra}`, pointer: missing || error.pointer };
}
