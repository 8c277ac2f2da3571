/**
 * Every JSON Schema keyword, and what the diff makes of it being added, removed, tightened or loosened, on the
 * request side (arguments) and the response side (results). A cell is a rule id, or a waiver with the reason the
 * keyword is not classified that way. The diff (diffSchema.ts) reads the ordering of the bound keywords from here,
 * and test/unit/compat/keywords.test.ts checks every classified cell against the diff with a real example.
 */
import type { RuleId } from "./rules.js";

export type KeywordChange = "added" | "removed" | "tightened" | "loosened";
export type Cell = RuleId | { waived: string };

export interface KeywordInfo {
  /** How two values of the keyword compare: an upper or lower bound, a flag, a set, a schema, or not at all. */
  kind: "upper" | "lower" | "flag" | "incomparable" | "divisor" | "structural" | "annotation" | "reference";
  request: Record<KeywordChange, Cell>;
  response: Record<KeywordChange, Cell>;
}

const constraint = (kind: KeywordInfo["kind"]): KeywordInfo => ({
  kind,
  request: {
    added: "request-constraint-added",
    removed: "request-constraint-removed",
    tightened: "request-constraint-tightened",
    loosened: "request-constraint-loosened",
  },
  response: {
    added: "response-constraint-added",
    removed: "response-constraint-removed",
    tightened: "response-constraint-tightened",
    loosened: "response-constraint-loosened",
  },
});

/** pattern, format, ...: a change between two values cannot be ordered, so it is "changed", never tightened/loosened. */
const incomparable = (): KeywordInfo => ({
  kind: "incomparable",
  request: {
    added: "request-constraint-added",
    removed: "request-constraint-removed",
    tightened: "request-constraint-changed",
    loosened: "request-constraint-changed",
  },
  response: {
    added: "response-constraint-added",
    removed: "response-constraint-removed",
    tightened: "response-constraint-changed",
    loosened: "response-constraint-changed",
  },
});

const annotation = (reason: string): KeywordInfo => ({
  kind: "annotation",
  request: {
    added: { waived: reason },
    removed: { waived: reason },
    tightened: { waived: reason },
    loosened: { waived: reason },
  },
  response: {
    added: { waived: reason },
    removed: { waived: reason },
    tightened: { waived: reason },
    loosened: { waived: reason },
  },
});

const combinator = (): KeywordInfo => ({
  kind: "structural",
  request: {
    added: "request-schema-changed",
    removed: "request-schema-changed",
    tightened: "request-schema-changed",
    loosened: "request-schema-changed",
  },
  response: {
    added: "response-schema-changed",
    removed: "response-schema-changed",
    tightened: "response-schema-changed",
    loosened: "response-schema-changed",
  },
});

export const KEYWORDS: Record<string, KeywordInfo> = {
  type: {
    kind: "structural",
    request: {
      added: "request-type-narrowed",
      removed: "request-type-widened",
      tightened: "request-type-narrowed",
      loosened: "request-type-widened",
    },
    response: {
      added: "response-type-narrowed",
      removed: "response-type-widened",
      tightened: "response-type-narrowed",
      loosened: "response-type-widened",
    },
  },
  enum: {
    kind: "structural",
    request: {
      added: "request-constraint-added",
      removed: "request-constraint-removed",
      tightened: "request-enum-value-removed",
      loosened: "request-enum-value-added",
    },
    response: {
      added: "response-constraint-added",
      removed: "response-constraint-removed",
      tightened: "response-enum-value-removed",
      loosened: "response-enum-value-added",
    },
  },
  const: {
    kind: "structural",
    request: {
      added: "request-constraint-added",
      removed: "request-constraint-removed",
      tightened: { waived: "normalised to a one-value enum: one value cannot become fewer values" },
      loosened: "request-enum-value-added",
    },
    response: {
      added: "response-constraint-added",
      removed: "response-constraint-removed",
      tightened: { waived: "normalised to a one-value enum: one value cannot become fewer values" },
      loosened: "response-enum-value-added",
    },
  },
  maximum: constraint("upper"),
  exclusiveMaximum: constraint("upper"),
  maxLength: constraint("upper"),
  maxItems: constraint("upper"),
  maxProperties: constraint("upper"),
  maxContains: constraint("upper"),
  minimum: constraint("lower"),
  exclusiveMinimum: constraint("lower"),
  minLength: constraint("lower"),
  minItems: constraint("lower"),
  minProperties: constraint("lower"),
  minContains: constraint("lower"),
  multipleOf: constraint("divisor"),
  uniqueItems: {
    ...constraint("flag"),
    request: {
      added: "request-constraint-added",
      removed: "request-constraint-removed",
      tightened: "request-constraint-added",
      loosened: "request-constraint-removed",
    },
    response: {
      added: "response-constraint-added",
      removed: "response-constraint-removed",
      tightened: "response-constraint-added",
      loosened: "response-constraint-removed",
    },
  },
  pattern: incomparable(),
  format: incomparable(),
  contentEncoding: incomparable(),
  contentMediaType: incomparable(),
  dependentRequired: incomparable(),
  required: {
    kind: "structural",
    request: {
      added: "request-parameter-became-required",
      removed: "request-parameter-became-optional",
      tightened: "request-parameter-became-required",
      loosened: "request-parameter-became-optional",
    },
    response: {
      added: "response-field-became-required",
      removed: "response-field-became-optional",
      tightened: "response-field-became-required",
      loosened: "response-field-became-optional",
    },
  },
  properties: {
    kind: "structural",
    request: {
      added: "request-parameter-added",
      removed: "request-parameter-removed",
      tightened: "request-parameter-removed",
      loosened: "request-parameter-added",
    },
    response: {
      added: "response-field-added",
      removed: "response-field-removed",
      tightened: "response-field-removed",
      loosened: "response-field-added",
    },
  },
  additionalProperties: {
    kind: "structural",
    request: {
      added: "request-additional-properties-closed",
      removed: "request-additional-properties-opened",
      tightened: "request-additional-properties-closed",
      loosened: "request-additional-properties-opened",
    },
    response: {
      added: "response-additional-properties-closed",
      removed: "response-additional-properties-opened",
      tightened: "response-additional-properties-closed",
      loosened: "response-additional-properties-opened",
    },
  },
  items: {
    kind: "structural",
    request: {
      added: "request-constraint-added",
      removed: "request-constraint-removed",
      tightened: { waived: "a changed item schema is diffed keyword by keyword at `*` (the items' own changes)" },
      loosened: { waived: "a changed item schema is diffed keyword by keyword at `*` (the items' own changes)" },
    },
    response: {
      added: "response-constraint-added",
      removed: "response-constraint-removed",
      tightened: { waived: "a changed item schema is diffed keyword by keyword at `*` (the items' own changes)" },
      loosened: { waived: "a changed item schema is diffed keyword by keyword at `*` (the items' own changes)" },
    },
  },
  anyOf: {
    kind: "structural",
    request: {
      added: "request-variant-added",
      removed: "request-variant-removed",
      tightened: "request-variant-removed",
      loosened: "request-variant-added",
    },
    response: {
      added: "response-variant-added",
      removed: "response-variant-removed",
      tightened: "response-variant-removed",
      loosened: "response-variant-added",
    },
  },
  oneOf: {
    kind: "structural",
    request: {
      added: { waived: "normalised to anyOf (see anyOf): exclusivity is not checked" },
      removed: { waived: "normalised to anyOf (see anyOf): exclusivity is not checked" },
      tightened: { waived: "normalised to anyOf (see anyOf): exclusivity is not checked" },
      loosened: { waived: "normalised to anyOf (see anyOf): exclusivity is not checked" },
    },
    response: {
      added: { waived: "normalised to anyOf (see anyOf): exclusivity is not checked" },
      removed: { waived: "normalised to anyOf (see anyOf): exclusivity is not checked" },
      tightened: { waived: "normalised to anyOf (see anyOf): exclusivity is not checked" },
      loosened: { waived: "normalised to anyOf (see anyOf): exclusivity is not checked" },
    },
  },
  allOf: combinator(),
  not: combinator(),
  if: combinator(),
  // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword
  then: combinator(),
  else: combinator(),
  prefixItems: combinator(),
  contains: combinator(),
  patternProperties: combinator(),
  propertyNames: combinator(),
  dependentSchemas: combinator(),
  unevaluatedItems: combinator(),
  unevaluatedProperties: combinator(),
  contentSchema: combinator(),
  dependencies: combinator(),
  additionalItems: annotation("draft-07: read as 2020-12 `items` after prefixItems (see items)"),
  $dynamicRef: annotation("dynamic references are not resolved; the schemas MCP servers publish do not use them"),
  $dynamicAnchor: annotation("dynamic references are not resolved; the schemas MCP servers publish do not use them"),
  $vocabulary: annotation("meta-schema declaration; changes nothing that is valid"),
  default: {
    kind: "annotation",
    request: {
      added: "request-default-changed",
      removed: "request-default-changed",
      tightened: "request-default-changed",
      loosened: "request-default-changed",
    },
    response: {
      added: { waived: "a default in a result schema does not change what the server sends" },
      removed: { waived: "a default in a result schema does not change what the server sends" },
      tightened: { waived: "a default in a result schema does not change what the server sends" },
      loosened: { waived: "a default in a result schema does not change what the server sends" },
    },
  },
  deprecated: {
    kind: "annotation",
    request: {
      added: "request-parameter-deprecated",
      removed: { waived: "an argument that is no longer deprecated changes nothing for callers" },
      tightened: "request-parameter-deprecated",
      loosened: { waived: "an argument that is no longer deprecated changes nothing for callers" },
    },
    response: {
      added: "response-field-deprecated",
      removed: { waived: "a field that is no longer deprecated changes nothing for readers" },
      tightened: "response-field-deprecated",
      loosened: { waived: "a field that is no longer deprecated changes nothing for readers" },
    },
  },
  $ref: {
    kind: "reference",
    request: {
      added: { waived: "local $refs are inlined before the diff; the target's keywords are diffed" },
      removed: { waived: "local $refs are inlined before the diff; the target's keywords are diffed" },
      tightened: { waived: "local $refs are inlined before the diff; the target's keywords are diffed" },
      loosened: { waived: "local $refs are inlined before the diff; the target's keywords are diffed" },
    },
    response: {
      added: { waived: "local $refs are inlined before the diff; the target's keywords are diffed" },
      removed: { waived: "local $refs are inlined before the diff; the target's keywords are diffed" },
      tightened: { waived: "local $refs are inlined before the diff; the target's keywords are diffed" },
      loosened: { waived: "local $refs are inlined before the diff; the target's keywords are diffed" },
    },
  },
  nullable: {
    kind: "structural",
    request: {
      added: "request-type-widened",
      removed: "request-type-narrowed",
      tightened: "request-type-narrowed",
      loosened: "request-type-widened",
    },
    response: {
      added: "response-type-widened",
      removed: "response-type-narrowed",
      tightened: "response-type-narrowed",
      loosened: "response-type-widened",
    },
  },
  title: annotation(
    "documentation of a part of a schema; the tool's own title and description are the tool-description-changed rule",
  ),
  description: annotation(
    "documentation of a part of a schema; the tool's own title and description are the tool-description-changed rule",
  ),
  examples: annotation("examples are documentation: they never change what is valid"),
  $comment: annotation("a comment for schema authors"),
  readOnly: annotation("readOnly/writeOnly describe resources, not tool arguments and results"),
  writeOnly: annotation("readOnly/writeOnly describe resources, not tool arguments and results"),
  $schema: annotation("the dialect of the schema; tools/list schemas are read as 2020-12"),
  $id: annotation("identifies a schema; changes nothing that is valid"),
  $defs: annotation("definitions are diffed where they are used (local $refs are inlined)"),
  definitions: annotation("definitions are diffed where they are used (local $refs are inlined)"),
  $anchor: annotation("a name for $ref; local $refs are inlined"),
};

/** Keywords whose values are bounds, with the direction in which they tighten. */
export function boundKind(keyword: string): "upper" | "lower" | "divisor" | "flag" | "incomparable" | undefined {
  const kind = KEYWORDS[keyword]?.kind;
  return kind === "upper" || kind === "lower" || kind === "divisor" || kind === "flag" || kind === "incomparable"
    ? kind
    : undefined;
}
