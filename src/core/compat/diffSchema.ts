/**
 * The schema diff: two normalised JSON Schemas in, the changes between them out, each with a rule id, the pointer
 * into the tool entry and the data path it is about. Request side (inputSchema): what the skill sends — narrowing
 * breaks it. Response side (outputSchema): what it reads — widening breaks it. Pure.
 */
import type { DataPath } from "../../contracts/compat.js";
import type { JsonObject } from "../../contracts/json.js";
import { type KeywordChange, KEYWORDS, boundKind } from "./keywords.js";
import { type Schema, canonicalJson, isObject, normalizeSchema, sameShape } from "./normalize.js";
import type { RuleId } from "./rules.js";
import type { Change } from "./types.js";

type Side = "request" | "response";

interface Ctx {
  direction: Side;
  pointer: string;
  field: DataPath;
  out: Change[];
}

const ALL_TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"];
const COMBINATORS = [
  "allOf",
  "not",
  "if",
  "then",
  "else",
  "prefixItems",
  "contains",
  "patternProperties",
  "propertyNames",
  "dependentSchemas",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
  "dependencies",
];
const BOUND_KEYWORDS = Object.keys(KEYWORDS).filter((keyword) => boundKind(keyword) !== undefined);

/** Changes between the input schemas (request side) and the output schemas (response side) of two tool versions. */
export function diffToolSchemas(
  before: { inputSchema: JsonObject; outputSchema?: JsonObject },
  after: { inputSchema: JsonObject; outputSchema?: JsonObject },
): Change[] {
  const out: Change[] = [];
  diffSchemas(before.inputSchema, after.inputSchema, "request", "/inputSchema", out);
  if (before.outputSchema && after.outputSchema) {
    diffSchemas(before.outputSchema, after.outputSchema, "response", "/outputSchema", out);
  } else if (before.outputSchema) {
    out.push({ rule: "output-schema-removed", direction: "response", path: "/outputSchema", field: [] });
  } else if (after.outputSchema) {
    out.push({ rule: "output-schema-added", direction: "response", path: "/outputSchema", field: [] });
  }
  return out;
}

/** Changes between two schemas of one side. */
export function diffSchemas(
  before: unknown,
  after: unknown,
  direction: Side,
  pointer: string,
  out: Change[] = [],
): Change[] {
  diffNode(normalizeSchema(before), normalizeSchema(after), { direction, pointer, field: [], out });
  return out;
}

function at(ctx: Ctx, segment: string, field?: string): Ctx {
  return {
    ...ctx,
    pointer: `${ctx.pointer}/${segment.replace(/~/g, "~0").replace(/\//g, "~1")}`,
    field: field === undefined ? ctx.field : [...ctx.field, field],
  };
}

function emit(ctx: Ctx, rule: RuleId, extra: Partial<Change> = {}, pointerSuffix = ""): void {
  ctx.out.push({ rule, direction: ctx.direction, path: ctx.pointer + pointerSuffix, field: ctx.field, ...extra });
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function diffNode(a: Schema, b: Schema, ctx: Ctx): void {
  if (same(a, b)) return;
  if (Array.isArray(a.anyOf) !== Array.isArray(b.anyOf)) {
    // one side is a union: compare the alternatives (a plain schema is a union of one)
    diffVariants(variantsOf(a), variantsOf(b), ctx);
    return;
  }
  if (diffType(a, b, ctx) === "changed") return; // deeper differences would only repeat it
  diffEnum(a, b, ctx);
  diffBounds(a, b, ctx);
  diffAnnotations(a, b, ctx);
  diffObject(a, b, ctx);
  diffArray(a, b, ctx);
  if (Array.isArray(a.anyOf) && Array.isArray(b.anyOf)) diffVariants(a.anyOf as Schema[], b.anyOf as Schema[], ctx);
  for (const keyword of COMBINATORS) {
    if (!same(a[keyword], b[keyword])) {
      emit(
        ctx,
        ctx.direction === "request" ? "request-schema-changed" : "response-schema-changed",
        { keyword },
        `/${keyword}`,
      );
    }
  }
}

function variantsOf(schema: Schema): Schema[] {
  if (Array.isArray(schema.anyOf)) return schema.anyOf as Schema[];
  return [schema];
}

function diffVariants(before: Schema[], after: Schema[], ctx: Ctx): void {
  const removed = before.filter((a) => !after.some((b) => sameShape(a, b)));
  const added = after.filter((b) => !before.some((a) => sameShape(a, b)));
  if (removed.length === 1 && added.length === 1) {
    // one alternative changed: diff it as the same alternative
    diffNode(removed[0]!, added[0]!, ctx);
    return;
  }
  const request = ctx.direction === "request";
  for (const variant of removed) {
    emit(
      ctx,
      request ? "request-variant-removed" : "response-variant-removed",
      { keyword: "anyOf", before: variant },
      "/anyOf",
    );
  }
  for (const variant of added) {
    emit(
      ctx,
      request ? "request-variant-added" : "response-variant-added",
      { keyword: "anyOf", after: variant, schema: variant },
      "/anyOf",
    );
  }
}

function accepts(types: string[] | undefined, type: string): boolean {
  return types === undefined || types.includes(type) || (type === "integer" && types.includes("number"));
}

function diffType(a: Schema, b: Schema, ctx: Ctx): "same" | "widened" | "narrowed" | "changed" {
  const ta = a.type as string[] | undefined;
  const tb = b.type as string[] | undefined;
  if (same(ta, tb)) return "same";
  const grew = (ta ?? ALL_TYPES).every((t) => accepts(tb, t));
  const shrank = (tb ?? ALL_TYPES).every((t) => accepts(ta, t));
  if (grew && shrank) return "same";
  const relation = grew ? "widened" : shrank ? "narrowed" : "changed";
  const rule = `${ctx.direction}-type-${relation}` as RuleId;
  emit(ctx, rule, { keyword: "type", before: ta ?? null, after: tb ?? null, schema: b }, "/type");
  return relation;
}

function diffEnum(a: Schema, b: Schema, ctx: Ctx): void {
  const ea = a.enum as unknown[] | undefined;
  const eb = b.enum as unknown[] | undefined;
  if (same(ea, eb)) return;
  const request = ctx.direction === "request";
  if (ea && eb) {
    const removed = ea.filter((value) => !eb.some((other) => same(value, other)));
    const added = eb.filter((value) => !ea.some((other) => same(value, other)));
    if (
      request &&
      removed.length === 1 &&
      added.length === 1 &&
      typeof removed[0] === "string" &&
      typeof added[0] === "string"
    ) {
      emit(
        ctx,
        "request-enum-value-renamed",
        { keyword: "enum", before: removed[0], after: added[0], rename: { from: removed[0], to: added[0] }, schema: b },
        "/enum",
      );
      return;
    }
    for (const value of removed) {
      emit(
        ctx,
        request ? "request-enum-value-removed" : "response-enum-value-removed",
        { keyword: "enum", before: value, after: eb, schema: b },
        "/enum",
      );
    }
    for (const value of added) {
      emit(
        ctx,
        request ? "request-enum-value-added" : "response-enum-value-added",
        { keyword: "enum", before: ea, after: value, schema: b },
        "/enum",
      );
    }
    return;
  }
  const cell = KEYWORDS.enum![ctx.direction][eb ? "added" : "removed"];
  if (typeof cell === "string") emit(ctx, cell, { keyword: "enum", before: ea, after: eb, schema: b }, "/enum");
}

function diffBounds(a: Schema, b: Schema, ctx: Ctx): void {
  for (const keyword of BOUND_KEYWORDS) {
    const va = a[keyword];
    const vb = b[keyword];
    if (same(va, vb)) continue;
    const kind = boundKind(keyword)!;
    let change: KeywordChange | "changed";
    if (kind === "flag") {
      if ((va ?? false) === (vb ?? false)) continue;
      change = vb === true ? "added" : "removed";
    } else if (va === undefined) change = "added";
    else if (vb === undefined) change = "removed";
    else if (kind === "incomparable" || typeof va !== "number" || typeof vb !== "number") change = "changed";
    else if (kind === "upper") change = vb < va ? "tightened" : "loosened";
    else if (kind === "lower") change = vb > va ? "tightened" : "loosened";
    else change = isMultiple(vb, va) ? "tightened" : isMultiple(va, vb) ? "loosened" : "changed";
    const cell =
      change === "changed"
        ? (`${ctx.direction}-constraint-changed` as RuleId)
        : KEYWORDS[keyword]![ctx.direction][change];
    if (typeof cell !== "string") continue;
    emit(ctx, cell, { keyword, before: va, after: vb, schema: b }, `/${keyword}`);
  }
}

function isMultiple(value: number, of: number): boolean {
  if (of === 0) return false;
  const ratio = value / of;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

function diffAnnotations(a: Schema, b: Schema, ctx: Ctx): void {
  if (ctx.direction === "request" && ctx.field.length > 0 && !same(a.default, b.default)) {
    emit(
      ctx,
      "request-default-changed",
      { keyword: "default", before: a.default, after: b.default, schema: b },
      "/default",
    );
  }
  if (b.deprecated === true && a.deprecated !== true) {
    emit(
      ctx,
      ctx.direction === "request" ? "request-parameter-deprecated" : "response-field-deprecated",
      {
        keyword: "deprecated",
        ...(typeof b.description === "string" ? { text: b.description } : {}),
      },
      "/deprecated",
    );
  }
}

function diffObject(a: Schema, b: Schema, ctx: Ctx): void {
  const pa = isObject(a.properties) ? (a.properties as Record<string, Schema>) : {};
  const pb = isObject(b.properties) ? (b.properties as Record<string, Schema>) : {};
  const ra = new Set((a.required as string[] | undefined) ?? []);
  const rb = new Set((b.required as string[] | undefined) ?? []);
  const request = ctx.direction === "request";
  const removed = Object.keys(pa).filter((key) => !(key in pb));
  const added = Object.keys(pb).filter((key) => !(key in pa));
  const renames = findRenames(removed, added, (from, to) => sameShape(pa[from], pb[to]) && ra.has(from) === rb.has(to));
  for (const key of removed) {
    const to = renames.get(key);
    if (to !== undefined) {
      const sub = at(ctx, "properties");
      emit(
        { ...at(sub, to), field: [...ctx.field, key] },
        request ? "request-parameter-renamed" : "response-field-renamed",
        {
          keyword: "properties",
          rename: { from: key, to },
          schema: pb[to]!,
        },
      );
    } else {
      emit(at(at(ctx, "properties"), key, key), request ? "request-parameter-removed" : "response-field-removed", {
        keyword: "properties",
        before: pa[key],
      });
    }
  }
  const renamedTo = new Set(renames.values());
  for (const key of added) {
    if (renamedTo.has(key)) continue;
    const sub = at(at(ctx, "properties"), key, key);
    if (!request) emit(sub, "response-field-added", { keyword: "properties", schema: pb[key]! });
    else if (rb.has(key))
      emit(sub, "new-required-request-parameter", { keyword: "required", schema: pb[key]!, after: pb[key]!.default });
    else emit(sub, "request-parameter-added", { keyword: "properties", schema: pb[key]! });
  }
  for (const key of Object.keys(pa)) {
    if (!(key in pb)) continue;
    const sub = at(at(ctx, "properties"), key, key);
    if (!ra.has(key) && rb.has(key)) {
      emit(sub, request ? "request-parameter-became-required" : "response-field-became-required", {
        keyword: "required",
        schema: pb[key]!,
      });
    } else if (ra.has(key) && !rb.has(key)) {
      emit(sub, request ? "request-parameter-became-optional" : "response-field-became-optional", {
        keyword: "required",
        schema: pb[key]!,
      });
    }
    diffNode(pa[key]!, pb[key]!, sub);
  }
  if (request) {
    // required keys without a property schema are still keys every call must send
    for (const key of rb) {
      if (!ra.has(key) && !(key in pa) && !(key in pb))
        emit(at(at(ctx, "properties"), key, key), "new-required-request-parameter", { keyword: "required" });
    }
  }
  const apa = a.additionalProperties;
  const apb = b.additionalProperties;
  const openA = apa !== false;
  const openB = apb !== false;
  if (openA && !openB) {
    emit(
      ctx,
      request ? "request-additional-properties-closed" : "response-additional-properties-closed",
      { keyword: "additionalProperties", allowed: Object.keys(pb) },
      "/additionalProperties",
    );
  } else if (!openA && openB) {
    emit(
      ctx,
      request ? "request-additional-properties-opened" : "response-additional-properties-opened",
      { keyword: "additionalProperties", schema: isObject(apb) ? apb : {} },
      "/additionalProperties",
    );
  } else if (isObject(apa) && isObject(apb)) {
    diffNode(apa, apb, at(ctx, "additionalProperties", "*"));
  }
}

/** Pairs of (removed, added) names that are each other's only candidate. */
function findRenames(
  removed: string[],
  added: string[],
  matches: (from: string, to: string) => boolean,
): Map<string, string> {
  const renames = new Map<string, string>();
  for (const from of removed) {
    const candidates = added.filter((to) => matches(from, to));
    if (candidates.length !== 1) continue;
    const to = candidates[0]!;
    if (removed.filter((other) => matches(other, to)).length === 1) renames.set(from, to);
  }
  return renames;
}

function diffArray(a: Schema, b: Schema, ctx: Ctx): void {
  const ia = isObject(a.items) ? (a.items as Schema) : undefined;
  const ib = isObject(b.items) ? (b.items as Schema) : undefined;
  if (ia && ib) diffNode(ia, ib, at(ctx, "items", "*"));
  else if (ib || ia) {
    const cell = KEYWORDS.items![ctx.direction][ib ? "added" : "removed"];
    if (typeof cell === "string")
      emit(ctx, cell, { keyword: "items", before: ia, after: ib, ...(ib ? { schema: b } : {}) }, "/items");
  }
}
