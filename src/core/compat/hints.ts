/**
 * The words of `skills compat`: what changed (a message per change) and what to do about it (a hint per change that
 * matters), naming the values involved and where the skill's code meets them. Pure.
 */
import semver from "semver";
import type { SourceLocation, ToolUsage } from "../../contracts/compat.js";
import type { JudgedChange } from "./judge.js";
import type { Change } from "./types.js";

export interface HintContext {
  /** The tool's name as locked. */
  tool: string;
  usage?: ToolUsage;
  language?: "python" | "typescript" | "javascript";
}

const MAX_TEXT = 200;

function code(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `\`${text}\``;
}

function list(values: unknown[]): string {
  return values.map(code).join(", ");
}

function quote(text: string | undefined): string {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return `"${flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat}"`;
}

/** `options.units`, `daily[].high`; the root is "the arguments" / "the result". */
export function fieldName(change: Change): string {
  if (change.field.length === 0) return change.direction === "request" ? "the arguments" : "the result";
  let out = "";
  for (const segment of change.field) out += segment === "*" ? "[]" : out ? `.${segment}` : segment;
  return code(out);
}

export function where(locations: SourceLocation[], max = 3): string {
  const lines = [...new Set(locations.map((loc) => `${loc.file}:${loc.line}`))];
  const shown = lines.slice(0, max);
  const more = lines.length > max ? ` and ${lines.length - max} more` : "";
  return `${shown.join(", ")}${more}`;
}

function types(value: unknown): string {
  if (value === null || value === undefined) return "any type";
  return Array.isArray(value) ? value.join(" or ") : String(value);
}

/** `units="metric"` (Python) or `units: "metric"` (TypeScript). */
function argument(language: HintContext["language"], key: string, value: unknown): string {
  return language === "python" ? `\`${key}=${pythonLiteral(value)}\`` : `\`${key}: ${JSON.stringify(value)}\``;
}

function pythonLiteral(value: unknown): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  return JSON.stringify(value);
}

/** A range that also admits `version`: `^1.0.0 || ^2.0.0`. */
export function widenedRange(range: string, version: string): string {
  const parsed = semver.parse(version);
  if (!parsed) return `${range} || ${version}`;
  const caret = parsed.major > 0 ? `^${parsed.major}.0.0` : `^0.${parsed.minor}.0`;
  return range.trim() === "" || range.trim() === "*" ? caret : `${range} || ${caret}`;
}

export function messageFor(change: JudgedChange, ctx: HintContext): string {
  const field = fieldName(change);
  const tool = code(ctx.tool);
  switch (change.rule) {
    case "tool-removed": {
      const similar = (change.after as string[] | undefined) ?? [];
      return `${tool} is no longer listed by its server${similar.length > 0 ? ` (tools with the same schema: ${list(similar)})` : ""}`;
    }
    case "tool-renamed":
      return `${tool} was removed; ${code(change.rename!.to)} has the same schema`;
    case "tool-deprecated":
      return `${tool} is deprecated: ${quote(change.text)}`;
    case "tool-description-changed":
      return `the ${change.keyword} of ${tool} changed since it was locked: now ${quote(change.text)}`;
    case "tool-annotation-changed":
      return `annotation ${code(change.keyword)} of ${tool} changed from ${code(change.before ?? "unset")} to ${code(change.after ?? "unset")}`;
    case "tool-meta-changed":
      return `_meta.${change.keyword} of ${tool} changed`;
    case "version-out-of-range":
      return `${tool} is at version ${change.after}, outside the range ${code(change.before)}`;
    case "protocol-version-changed":
      return `the server speaks MCP ${change.after} (locked: ${change.before})`;
    case "typescript-type-error":
      return change.text ?? "a type error against the new SDK";
    case "request-parameter-removed":
      return `argument ${field} was removed`;
    case "request-parameter-renamed":
      return `argument ${code(change.rename!.from)} is now ${code(change.rename!.to)} (same schema)`;
    case "request-parameter-added":
      return `new optional argument ${field}`;
    case "new-required-request-parameter":
      return `new required argument ${field}${change.after !== undefined ? ` (default ${code(change.after)})` : ""}`;
    case "request-parameter-became-required":
      return `argument ${field} is now required`;
    case "request-parameter-became-optional":
      return `argument ${field} is now optional`;
    case "request-parameter-deprecated":
      return `argument ${field} is deprecated${change.text ? `: ${quote(change.text)}` : ""}`;
    case "request-type-changed":
    case "request-type-narrowed":
      return `argument ${field} must now be ${types(change.after)} (was ${types(change.before)})`;
    case "request-type-widened":
      return `argument ${field} now also accepts ${types(change.after)} (was ${types(change.before)})`;
    case "request-enum-value-removed":
      return `argument ${field} no longer accepts ${code(change.before)}`;
    case "request-enum-value-renamed":
      return `argument ${field}: ${code(change.rename!.from)} was replaced by ${code(change.rename!.to)}`;
    case "request-enum-value-added":
      return `argument ${field} accepts a new value ${code(change.after)}`;
    case "request-constraint-added":
      return `argument ${field} now has ${change.keyword} ${code(change.after)}`;
    case "request-constraint-tightened":
    case "request-constraint-loosened":
    case "request-constraint-changed":
      return `argument ${field}: ${change.keyword} ${code(change.before)} -> ${code(change.after)}`;
    case "request-constraint-removed":
      return `argument ${field} no longer has ${change.keyword} ${code(change.before)}`;
    case "request-additional-properties-closed":
      return `${field} no longer accepts keys it does not list (accepted: ${list(change.allowed ?? []) || "none"})`;
    case "request-additional-properties-opened":
      return `${field} now accepts keys it does not list`;
    case "request-default-changed":
      return `the default of argument ${field} changed from ${code(change.before ?? "unset")} to ${code(change.after ?? "unset")}`;
    case "request-variant-removed":
      return `argument ${field} no longer accepts one of its anyOf/oneOf alternatives`;
    case "request-variant-added":
      return `argument ${field} accepts a new anyOf/oneOf alternative`;
    case "request-schema-changed":
      return `${code(change.keyword)} of argument ${field} changed`;
    case "output-schema-removed":
      return `${tool} no longer declares an outputSchema: its result is unstructured`;
    case "output-schema-added":
      return `${tool} now declares an outputSchema`;
    case "response-field-removed":
      return `result field ${field} was removed`;
    case "response-field-renamed":
      return `result field ${code(change.rename!.from)} is now ${code(change.rename!.to)} (same schema)`;
    case "response-field-added":
      return `new result field ${field}`;
    case "response-field-became-optional":
      return `result field ${field} may now be missing`;
    case "response-field-became-required":
      return `result field ${field} is now always there`;
    case "response-field-deprecated":
      return `result field ${field} is deprecated${change.text ? `: ${quote(change.text)}` : ""}`;
    case "response-type-changed":
    case "response-type-widened":
      return `result field ${field} may now be ${types(change.after)} (was ${types(change.before)})`;
    case "response-type-narrowed":
      return `result field ${field} is now only ${types(change.after)} (was ${types(change.before)})`;
    case "response-enum-value-added":
      return `result field ${field} may now be ${code(change.after)}`;
    case "response-enum-value-removed":
      return `result field ${field} is no longer ${code(change.before)}`;
    case "response-constraint-added":
      return `result field ${field} now has ${change.keyword} ${code(change.after)}`;
    case "response-constraint-removed":
      return `result field ${field} no longer has ${change.keyword} ${code(change.before)}`;
    case "response-constraint-tightened":
    case "response-constraint-loosened":
    case "response-constraint-changed":
      return `result field ${field}: ${change.keyword} ${code(change.before)} -> ${code(change.after)}`;
    case "response-additional-properties-opened":
      return `${field} may now hold keys it does not list`;
    case "response-additional-properties-closed":
      return `${field} no longer holds keys it does not list`;
    case "response-variant-added":
      return `result field ${field} may take a new anyOf/oneOf shape`;
    case "response-variant-removed":
      return `result field ${field} lost an anyOf/oneOf shape`;
    case "response-schema-changed":
      return `${code(change.keyword)} of result field ${field} changed`;
  }
}

/** What to do, with the places in the code. `surfaceChanged`: something the skill uses changed too. */
export function hintFor(change: JudgedChange & { message: string }, ctx: HintContext, surfaceChanged: boolean): string {
  const at = change.uses.length > 0 ? where(change.uses) : "";
  const tool = code(ctx.tool);
  const unused = !change.used;
  switch (change.rule) {
    case "tool-removed":
      return unused
        ? `${tool} was removed; the skill declares it but never calls it: remove it from manifest.yaml`
        : `${change.message}; called at ${at}: use another tool or remove these calls`;
    case "tool-renamed":
      return unused
        ? `${change.message}; the skill never calls it: declare ${code(change.rename!.to)} instead in manifest.yaml`
        : `${change.message}: call ${code(change.rename!.to)} instead (${at}); \`skills compat --fix\` does it`;
    case "tool-deprecated":
      return `${change.message}${at ? ` (called at ${at})` : ""}`;
    case "tool-description-changed":
    case "tool-annotation-changed":
      return `${change.message}: review it, then run \`skills lock\``;
    case "version-out-of-range":
      return surfaceChanged
        ? `${change.message}: once the skill works with it, set the range to ${code(widenedRange("", String(change.after)))}`
        : `${change.message}, and nothing the skill uses changed: widen the range to ${code(widenedRange(String(change.before), String(change.after)))} in manifest.yaml`;
    case "typescript-type-error":
      return `${change.message} (${at})`;
    case "request-parameter-renamed":
      return unused
        ? `${change.message}; the skill does not pass it`
        : `pass ${code(change.rename!.to)} instead of ${code(change.rename!.from)} (${at}); \`skills compat --fix\` does it`;
    case "request-enum-value-renamed":
      return unused
        ? `${change.message}; the skill does not pass ${code(change.rename!.from)}`
        : `${fieldName(change)} no longer accepts ${code(change.rename!.from)}; ${code(change.rename!.to)} is new: pass ${code(change.rename!.to)} instead (${at})`;
    case "request-enum-value-removed":
      return unused
        ? `${change.message}; the skill never passes it`
        : `${fieldName(change)} no longer accepts ${code(change.before)}, passed at ${at}${Array.isArray(change.after) ? `; it accepts ${list(change.after)}` : ""}`;
    case "new-required-request-parameter":
    case "request-parameter-became-required": {
      if (unused) return `${change.message}; every call already passes it`;
      const key = change.field[change.field.length - 1] ?? "";
      const fallback =
        change.rule === "new-required-request-parameter" && change.after !== undefined
          ? `: pass ${argument(ctx.language, key, change.after)} (the server's default) to keep today's behaviour`
          : `: pass ${fieldName(change)}`;
      return `${tool} now requires ${fieldName(change)}; the calls at ${at} do not pass it${fallback}`;
    }
    case "request-default-changed": {
      const key = change.field[change.field.length - 1] ?? "";
      const keep =
        change.before !== undefined
          ? `: pass ${argument(ctx.language, key, change.before)} to keep the old behaviour`
          : "";
      return `${change.message}; the calls at ${at} leave it out${keep}`;
    }
    case "request-additional-properties-closed":
      return `${change.message}; passed at ${at}`;
    case "output-schema-removed":
      return unused
        ? `${change.message}; the skill reads nothing of the result`
        : `${change.message}; the result is read at ${at}`;
    case "response-field-renamed":
      return unused
        ? `${change.message}; the skill does not read it`
        : `read ${code(change.rename!.to)} instead of ${code(change.rename!.from)} (${at}); \`skills compat --fix\` does it`;
    case "response-field-became-optional": {
      if (unused) return `${change.message}; the skill does not read it`;
      const key = change.field[change.field.length - 1] ?? "";
      const how = ctx.language === "python" ? `use .get(${JSON.stringify(key)})` : "handle undefined";
      return `${change.message}: read at ${at}; ${how} where it may be missing`;
    }
    case "response-enum-value-added":
      return `${change.message}, a value the skill has not seen; read at ${at}`;
    default:
      if (change.direction === "request")
        return unused ? `${change.message}; the skill does not pass it` : `${change.message}; passed at ${at}`;
      if (change.direction === "response")
        return unused ? `${change.message}; the skill does not read it` : `${change.message}; read at ${at}`;
      return change.message;
  }
}
