/**
 * Schema errors (src/contracts/schema.ts) as the issues a document validator reports: messages for people who write
 * YAML by hand, a hint where one helps, and whether the key or the value is at fault.
 */
import type { SchemaError } from "../../contracts/schema.js";
import { escapePointerToken } from "../json/index.js";
import { closestMatches } from "./suggest.js";

export interface SchemaIssue {
  /** JSON pointer of the value the issue is about (for unknown keys: the key itself). */
  pointer: string;
  /** The JSON Schema keyword that failed (type, required, additionalProperties, ...). */
  keyword: string;
  message: string;
  hint?: string;
  /** Whether the position to show is the key of the entry or its value. */
  target: "key" | "value";
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "true or false",
  object: "a mapping (key: value lines)",
  array: "a list",
  null: "null",
};

export function toIssue(error: SchemaError): SchemaIssue {
  const pointer = error.pointer;
  const params = error.params;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const close = closestMatches(key, allowed);
      const hint =
        close.length > 0
          ? `did you mean "${close[0]}"?`
          : allowed.length > 0
            ? `allowed keys: ${allowed.join(", ")}`
            : undefined;
      return {
        pointer: `${pointer}/${escapePointerToken(key)}`,
        keyword: error.keyword,
        message: `unknown key "${key}"`,
        hint,
        target: "key",
      };
    }
    case "required": {
      const key = String(params.missingProperty);
      return {
        pointer,
        keyword: error.keyword,
        message: `missing required key "${key}"`,
        hint: `add \`${key}:\``,
        target: "value",
      };
    }
    case "type": {
      const expected = String(params.type)
        .split(",")
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(" or ");
      const data = error.data;
      // Quoting only helps when the quoted text is allowed: `pii: true` against an enum of modes needs a mode.
      const allowed = Array.isArray(error.parentSchema?.enum)
        ? (error.parentSchema.enum as unknown[]).map(String)
        : undefined;
      const scalar = typeof data === "number" || typeof data === "boolean";
      const quoteHint =
        params.type === "string" && scalar
          ? allowed && !allowed.includes(String(data))
            ? `use one of: ${allowed.join(", ")}`
            : `quote the value: "${String(data)}"`
          : undefined;
      return {
        pointer,
        keyword: error.keyword,
        message: `must be ${expected}, got ${describeType(data)}`,
        hint: quoteHint,
        target: "value",
      };
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const close = typeof error.data === "string" ? closestMatches(error.data, allowed) : [];
      const hint = close.length > 0 ? `did you mean "${close[0]}"?` : undefined;
      return {
        pointer,
        keyword: error.keyword,
        message: `must be one of ${allowed.join(", ")}, got ${describeType(error.data)}`,
        hint,
        target: "value",
      };
    }
    case "uniqueItems":
      return {
        pointer,
        keyword: error.keyword,
        message: `must not repeat items (items ${params.j} and ${params.i} are equal)`,
        hint: undefined,
        target: "value",
      };
    case "minLength":
      if (params.limit === 1)
        return { pointer, keyword: error.keyword, message: "must not be empty", hint: undefined, target: "value" };
      break;
  }
  return { pointer, keyword: error.keyword, message: error.message, hint: undefined, target: "value" };
}
