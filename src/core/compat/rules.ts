/**
 * Every change kind `skills compat` knows, with a stable id, a direction and an effect (oasdiff's "narrowing what a
 * caller may send and widening what it gets back break clients"; graphql-inspector's breaking / dangerous /
 * non-breaking). Ids are part of the output contract: never rename or reuse one. docs/compat.md has the same table
 * with an example per rule; a test keeps the two in sync.
 */
import type { CompatRule } from "../../contracts/compat.js";

function rule<const Id extends string>(
  id: Id,
  direction: CompatRule["direction"],
  effect: CompatRule["effect"],
  usage: CompatRule["usage"],
  summary: string,
  mechanical = false,
): CompatRule & { id: Id } {
  return { id, direction, effect, usage, mechanical, summary };
}

export const RULES = [
  // the tool as a whole
  rule("tool-removed", "tool", "breaking", "called", "the tool is no longer listed by its server"),
  rule(
    "tool-renamed",
    "tool",
    "breaking",
    "called",
    "the tool is gone and exactly one new tool of the same server has the same input and output schemas",
    true,
  ),
  rule(
    "tool-deprecated",
    "tool",
    "dangerous",
    "review",
    "the tool is now deprecated (annotations, _meta.deprecated, or a description that starts with Deprecated)",
  ),
  rule(
    "tool-description-changed",
    "tool",
    "dangerous",
    "review",
    "the description or title changed since the lock: what an agent and a reviewer read is not what was approved",
  ),
  rule(
    "tool-annotation-changed",
    "tool",
    "dangerous",
    "review",
    "an annotation (readOnlyHint, destructiveHint, ...) changed since the lock",
  ),
  rule("tool-meta-changed", "tool", "non-breaking", "review", "a _meta entry other than version changed"),
  rule(
    "version-out-of-range",
    "tool",
    "dangerous",
    "review",
    "the tool's version no longer satisfies the manifest's range",
  ),
  rule(
    "protocol-version-changed",
    "tool",
    "non-breaking",
    "review",
    "the server negotiates another MCP protocol version",
  ),
  rule(
    "typescript-type-error",
    "tool",
    "breaking",
    "called",
    "the TypeScript skill no longer type-checks against the SDK generated from the new schemas",
  ),
  // what the skill sends
  rule("request-parameter-removed", "request", "breaking", "sent", "an argument the tool accepted is gone"),
  rule(
    "request-parameter-renamed",
    "request",
    "breaking",
    "sent",
    "an argument is gone and exactly one new argument has the same schema and requiredness",
    true,
  ),
  rule("request-parameter-added", "request", "non-breaking", "omitted", "a new optional argument"),
  rule(
    "new-required-request-parameter",
    "request",
    "breaking",
    "omitted",
    "a new required argument (even with a default: the server may reject calls without it)",
  ),
  rule("request-parameter-became-required", "request", "breaking", "omitted", "an optional argument became required"),
  rule("request-parameter-became-optional", "request", "non-breaking", "sent", "a required argument became optional"),
  rule("request-parameter-deprecated", "request", "dangerous", "sent", "an argument is now marked deprecated"),
  rule("request-type-changed", "request", "breaking", "sent", "an argument's type changed to one that is not wider"),
  rule("request-type-narrowed", "request", "breaking", "sent", "an argument accepts fewer types"),
  rule("request-type-widened", "request", "non-breaking", "sent", "an argument accepts more types"),
  rule("request-enum-value-removed", "request", "breaking", "sent", "an argument no longer accepts an enum value"),
  rule(
    "request-enum-value-renamed",
    "request",
    "breaking",
    "sent",
    "one enum value of an argument was replaced by exactly one new value",
    true,
  ),
  rule("request-enum-value-added", "request", "non-breaking", "sent", "an argument accepts a new enum value"),
  rule(
    "request-constraint-added",
    "request",
    "breaking",
    "sent",
    "an argument got a constraint it did not have (maximum, minLength, pattern, format, enum, ...)",
  ),
  rule(
    "request-constraint-tightened",
    "request",
    "breaking",
    "sent",
    "an argument's constraint got stricter (maximum lowered, minLength raised, ...)",
  ),
  rule(
    "request-constraint-changed",
    "request",
    "breaking",
    "sent",
    "an argument's pattern, format or other incomparable constraint changed",
  ),
  rule("request-constraint-loosened", "request", "non-breaking", "sent", "an argument's constraint got looser"),
  rule("request-constraint-removed", "request", "non-breaking", "sent", "an argument lost a constraint"),
  rule(
    "request-additional-properties-closed",
    "request",
    "breaking",
    "sent",
    "an object argument no longer accepts keys it does not list (additionalProperties: false)",
  ),
  rule(
    "request-additional-properties-opened",
    "request",
    "non-breaking",
    "sent",
    "an object argument now accepts keys it does not list",
  ),
  rule(
    "request-default-changed",
    "request",
    "dangerous",
    "omitted",
    "an argument's default changed: calls that leave it out behave differently",
  ),
  rule("request-variant-removed", "request", "breaking", "sent", "an anyOf/oneOf alternative of an argument is gone"),
  rule("request-variant-added", "request", "non-breaking", "sent", "an argument accepts a new anyOf/oneOf alternative"),
  rule(
    "request-schema-changed",
    "request",
    "dangerous",
    "sent",
    "allOf, not, if/then/else, patternProperties or another combinator of an argument changed: check by hand",
  ),
  // what the skill reads
  rule("output-schema-removed", "response", "breaking", "read", "the tool no longer declares an outputSchema"),
  rule("output-schema-added", "response", "non-breaking", "read", "the tool now declares an outputSchema"),
  rule("response-field-removed", "response", "breaking", "read", "a field of the result is gone"),
  rule(
    "response-field-renamed",
    "response",
    "breaking",
    "read",
    "a result field is gone and exactly one new field has the same schema and requiredness",
    true,
  ),
  rule("response-field-added", "response", "non-breaking", "read", "the result has a new field"),
  rule(
    "response-field-became-optional",
    "response",
    "breaking",
    "read",
    "a field the result always had may now be missing",
  ),
  rule(
    "response-field-became-required",
    "response",
    "non-breaking",
    "read",
    "an optional result field is now always there",
  ),
  rule("response-field-deprecated", "response", "dangerous", "read", "a result field is now marked deprecated"),
  rule("response-type-changed", "response", "breaking", "read", "a result field's type changed"),
  rule(
    "response-type-widened",
    "response",
    "breaking",
    "read",
    "a result field may have more types than before (for example null)",
  ),
  rule("response-type-narrowed", "response", "non-breaking", "read", "a result field has fewer possible types"),
  rule("response-enum-value-added", "response", "dangerous", "read", "a result field may hold a value it never held"),
  rule(
    "response-enum-value-removed",
    "response",
    "non-breaking",
    "read",
    "a result field no longer holds an enum value",
  ),
  rule(
    "response-constraint-loosened",
    "response",
    "dangerous",
    "read",
    "a result field's constraint got looser (longer strings, larger numbers, ...)",
  ),
  rule("response-constraint-removed", "response", "dangerous", "read", "a result field lost a constraint"),
  rule("response-constraint-tightened", "response", "non-breaking", "read", "a result field's constraint got stricter"),
  rule("response-constraint-added", "response", "non-breaking", "read", "a result field got a new constraint"),
  rule(
    "response-constraint-changed",
    "response",
    "dangerous",
    "read",
    "a result field's pattern, format or other incomparable constraint changed",
  ),
  rule(
    "response-additional-properties-opened",
    "response",
    "dangerous",
    "read",
    "a result object may now hold keys it does not list",
  ),
  rule(
    "response-additional-properties-closed",
    "response",
    "non-breaking",
    "read",
    "a result object no longer holds keys it does not list",
  ),
  rule("response-variant-added", "response", "dangerous", "read", "a result field may take a new anyOf/oneOf shape"),
  rule("response-variant-removed", "response", "non-breaking", "read", "a result field lost an anyOf/oneOf shape"),
  rule(
    "response-schema-changed",
    "response",
    "dangerous",
    "read",
    "allOf, not, if/then/else, patternProperties or another combinator of a result field changed: check by hand",
  ),
] as const satisfies readonly CompatRule[];

export type RuleId = (typeof RULES)[number]["id"];

const BY_ID = new Map<string, CompatRule>(RULES.map((r) => [r.id, r]));

export function ruleById(id: RuleId): CompatRule {
  return BY_ID.get(id)!;
}

export function isRuleId(id: string): id is RuleId {
  return BY_ID.has(id);
}
