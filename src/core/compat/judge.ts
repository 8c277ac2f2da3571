/**
 * What a change means for one skill: is the part it touches used by the skill's code (graphql-inspector's
 * considerUsage, made precise: we know the arguments passed, the literal values, and the result fields read), and
 * so how bad is it. A change to a part the skill does not use is at most a warning; `strict` ignores usage. Pure.
 */
import type { CompatStatus, DataPath, ScalarValue, SourceLocation, ToolUsage } from "../../contracts/compat.js";
import { schemaValidator } from "../schema/index.js";
import { type Schema, isObject } from "./normalize.js";
import { ruleById } from "./rules.js";
import type { Change } from "./types.js";

export interface JudgedChange extends Change {
  severity: CompatStatus;
  used: boolean;
  uses: SourceLocation[];
  /** Literal values the skill passes at the changed argument that the new schema still accepts. */
  kept?: { value: ScalarValue; location: SourceLocation }[];
}

export interface JudgeOptions {
  /** Every change counts as used. */
  strict?: boolean;
  /** The analysis could not see everything (a syntax error, a star import): every change counts as used. */
  usageUnknown?: boolean;
}

const ORDER: CompatStatus[] = ["compatible", "warning", "migration-needed", "incompatible"];

export function worst<T extends string>(statuses: Iterable<T>, order: readonly T[] = ORDER as unknown as T[]): T {
  let best = order[0]!;
  for (const status of statuses) if (order.indexOf(status) > order.indexOf(best)) best = status;
  return best;
}

export function statusRank(status: CompatStatus): number {
  return ORDER.indexOf(status);
}

export function judgeChange(change: Change, usage: ToolUsage | undefined, options: JudgeOptions = {}): JudgedChange {
  const rule = ruleById(change.rule);
  const found = usesOf(change, usage);
  const kept = rule.usage === "sent" ? keptValues(change, usage) : [];
  const calls = usage?.calls ?? [];
  const used =
    options.strict || options.usageUnknown ? true : rule.usage === "review" ? calls.length > 0 : found.length > 0;
  const uses = found.length > 0 || rule.usage !== "review" ? found : calls.map((call) => call.location);
  // the code shows it is not affected: every call passes the now-required argument, or only literals the new
  // schema still accepts are passed where it changed
  const unaffected =
    !used && calls.length > 0 && (rule.usage === "omitted" || (rule.usage === "sent" && kept.length > 0));
  let severity: CompatStatus;
  if (rule.effect === "breaking")
    severity = used ? (rule.mechanical ? "migration-needed" : "incompatible") : unaffected ? "compatible" : "warning";
  else if (rule.effect === "dangerous") severity = rule.usage === "review" || used ? "warning" : "compatible";
  else severity = "compatible";
  return { ...change, severity, used, uses: dedupe(uses), ...(kept.length > 0 ? { kept } : {}) };
}

/** The literals passed exactly at the changed argument that still pass it (why a change is not a use). */
function keptValues(change: Change, usage: ToolUsage | undefined): NonNullable<JudgedChange["kept"]> {
  const out: NonNullable<JudgedChange["kept"]> = [];
  for (const call of usage?.calls ?? []) {
    for (const arg of call.args) {
      if (
        arg.constant &&
        arg.path.length === change.field.length &&
        isPrefix(arg.path, change.field) &&
        !sends(change, arg.path, true, arg.value)
      ) {
        out.push({ value: arg.value ?? null, location: arg.location });
      }
    }
  }
  return out;
}

function dedupe(locations: SourceLocation[]): SourceLocation[] {
  const seen = new Set<string>();
  return locations
    .filter((loc) => {
      const key = `${loc.file}:${loc.line}:${loc.column}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** `*` matches any key or index. */
function segmentMatches(a: string, b: string): boolean {
  return a === b || a === "*" || b === "*";
}

export function isPrefix(prefix: DataPath, path: DataPath): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((segment, index) => segmentMatches(segment, path[index]!));
}

/** Where the skill's code touches what the change is about (empty: it does not). */
function usesOf(change: Change, usage: ToolUsage | undefined): SourceLocation[] {
  if (!usage) return [];
  const rule = ruleById(change.rule);
  const field = change.field;
  switch (rule.usage) {
    case "called":
    case "review":
      return usage.calls.map((call) => call.location);
    case "read":
      return usage.calls.flatMap((call) =>
        call.reads
          .filter((read) => isPrefix(field, read.path) || (read.escapes && isPrefix(read.path, field)))
          .map((read) => read.location),
      );
    case "omitted":
      return usage.calls.flatMap((call) => {
        if (call.dynamicArgs) return [call.dynamicArgs];
        const covered = call.args.some((arg) => isPrefix(arg.path, field));
        if (covered) return [];
        // a key inside an object argument is only missing from calls that pass the object
        const parent = field.slice(0, -1);
        if (parent.length > 0 && !call.args.some((arg) => isPrefix(parent, arg.path) || isPrefix(arg.path, parent)))
          return [];
        return [call.location];
      });
    case "sent":
      return usage.calls.flatMap((call) => {
        const found: SourceLocation[] = [];
        if (call.dynamicArgs) found.push(call.dynamicArgs);
        for (const arg of call.args) {
          if (sends(change, arg.path, arg.constant, arg.value)) found.push(arg.location);
        }
        return found;
      });
  }
}

/** Does passing `path` (with this value when constant) run into the change? */
function sends(change: Change, path: DataPath, constant: boolean, value: ScalarValue | undefined): boolean {
  const field = change.field;
  if (change.rule === "request-additional-properties-closed") {
    // only keys the object no longer accepts
    if (!isPrefix(field, path) || path.length === field.length) return !constant && isPrefix(path, field);
    return !(change.allowed ?? []).includes(path[field.length]!);
  }
  if (!isPrefix(path, field) && !isPrefix(field, path)) return false;
  // an object passed as a whole at a key above the change: it may hold the changed key
  if (path.length < field.length) return !constant;
  if (path.length > field.length) return true;
  if (!constant) return true;
  switch (change.rule) {
    case "request-enum-value-removed":
      return equal(value, change.before);
    case "request-enum-value-renamed":
      return value === change.rename?.from;
    case "request-type-changed":
    case "request-type-narrowed":
    case "request-constraint-added":
    case "request-constraint-tightened":
    case "request-constraint-changed":
    case "request-variant-removed":
      return !valid(value, change.schema);
    default:
      return true;
  }
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether a literal the skill passes still satisfies the new schema of that argument: the check the tool gate makes
 * on every call (`toolArguments`), which compiles each schema text once.
 */
function valid(value: ScalarValue | undefined, schema: Schema | undefined): boolean {
  if (!schema || !isObject(schema)) return false;
  try {
    return schemaValidator("toolArguments", stripAnnotations(schema)).validate(value).length === 0;
  } catch {
    // a schema that does not compile: assume the value is affected
    return false;
  }
}

/** Only what validates a scalar: a fragment's `$ref` or `$defs` would not resolve outside its document. */
function stripAnnotations(schema: Schema): Schema {
  const keep = [
    "type",
    "enum",
    "const",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "multipleOf",
    "maxLength",
    "minLength",
    "pattern",
    "anyOf",
    "allOf",
    "not",
  ];
  const out: Schema = {};
  for (const key of keep) {
    const value = schema[key];
    if (value === undefined) continue;
    if (Array.isArray(value) && (key === "anyOf" || key === "allOf"))
      out[key] = value.map((v) => (isObject(v) ? stripAnnotations(v) : v));
    else if (key === "not" && isObject(value)) out[key] = stripAnnotations(value);
    else out[key] = value;
  }
  return out;
}

export type FailOn = "warning" | "migration-needed" | "incompatible";
export const FAIL_ON_LEVELS: readonly FailOn[] = ["warning", "migration-needed", "incompatible"];

/** Whether a verdict fails a check run with `--fail-on`: an unchecked skill (error) always does. */
export function reachesFailOn(status: CompatStatus | "error", failOn: FailOn): boolean {
  if (status === "error") return true;
  return ORDER.indexOf(status) >= ORDER.indexOf(failOn);
}
