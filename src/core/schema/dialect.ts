/** Which JSON Schema dialect a schema from a server or a skill author is read as, and its body as ajv gets it. */
import type { AnySchema } from "ajv";
import type { Dialect } from "./ajv.js";

type Schema = Record<string, unknown>;

const DRAFT_07_OR_OLDER = /json-schema\.org\/draft-0[4-7]\/schema/;

/** The dialect a foreign schema asks for (2020-12 unless `$schema` names draft-07 or older). */
export function dialectOf(schema: Schema): Dialect {
  return typeof schema.$schema === "string" && DRAFT_07_OR_OLDER.test(schema.$schema) ? "draft-07" : "2020-12";
}

/** The dialect, and the schema without `$schema` and top-level `$id` (one cache holds schemas of every source). */
export function prepareForeign(schema: Schema): { dialect: Dialect; body: AnySchema } {
  const dialect = dialectOf(schema);
  if (!("$schema" in schema) && !("$id" in schema)) return { dialect, body: schema };
  const { $schema: _schema, $id: _id, ...body } = schema;
  return { dialect, body };
}
