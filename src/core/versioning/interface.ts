/**
 * The interface diff of a skill: the compat core's schema diff applied to the skill's own schemas — its `input` is the
 * request side (what a caller sends: narrowing it breaks callers), its `output` the response side (what a caller
 * reads: widening it breaks them) — plus the skill's own rules for its name, description and tool dependencies.
 * Each change carries the bump it needs (docs/versioning.md). Pure.
 */
import type { RuleEffect } from "../../contracts/compat.js";
import type { JsonObject } from "../../contracts/json.js";
import type { Bump, InterfaceChange, SkillInterface } from "../../contracts/versioning.js";
import { diffSchemas } from "../compat/diffSchema.js";
import { messageFor } from "../compat/hints.js";
import type { JudgedChange } from "../compat/judge.js";
import { type RuleId, ruleById } from "../compat/rules.js";
import type { Change } from "../compat/types.js";

type NeededBump = Exclude<Bump, "none">;

export interface SkillRule {
  id: string;
  effect: RuleEffect;
  bump: NeededBump;
  summary: string;
}

/** The rules about the skill as a whole (ids are stable, like compat's). */
export const SKILL_RULES = [
  {
    id: "skill-renamed",
    effect: "breaking",
    bump: "major",
    summary:
      "the skill has a new name: whatever calls it by name (runs, tags, other skills, agents) no longer finds it",
  },
  {
    id: "tool-dependency-added",
    effect: "non-breaking",
    bump: "minor",
    summary: "the skill depends on a new tool: a user must have that server",
  },
  {
    id: "tool-dependency-removed",
    effect: "non-breaking",
    bump: "patch",
    summary: "the skill no longer depends on a tool",
  },
  {
    id: "tool-range-changed",
    effect: "non-breaking",
    bump: "patch",
    summary: "the version range of a tool dependency changed",
  },
  {
    id: "description-changed",
    effect: "non-breaking",
    bump: "patch",
    summary: "SKILL.md's description changed: what an agent reads to choose the skill",
  },
] as const satisfies readonly SkillRule[];

type SkillRuleId = (typeof SKILL_RULES)[number]["id"];

/** Schema changes that add to the interface without breaking a caller: a new optional input, a new output field. */
const MINOR_RULES = new Set<string>(["request-parameter-added", "response-field-added"]);

/** The bump a compat rule needs when it is about the skill's own input or output. */
export function bumpForRule(rule: RuleId): NeededBump {
  if (ruleById(rule).effect === "breaking") return "major";
  return MINOR_RULES.has(rule) ? "minor" : "patch";
}

/** The interface a manifest (and SKILL.md's frontmatter) declares; values not yet checked are ignored. */
export function skillInterface(manifest: unknown, frontmatter: unknown, fallbackName: string): SkillInterface {
  const m = isObject(manifest) ? manifest : {};
  const f = isObject(frontmatter) ? frontmatter : {};
  const name = typeof f.name === "string" ? f.name : typeof m.name === "string" ? m.name : fallbackName;
  const tools: Record<string, string> = {};
  if (isObject(m.tools)) for (const [key, range] of Object.entries(m.tools)) tools[key] = String(range);
  return {
    name,
    tools,
    ...(typeof f.description === "string" ? { description: f.description } : {}),
    ...(typeof m.version === "string" ? { version: m.version } : {}),
    ...(isObject(m.input) ? { input: m.input } : {}),
    ...(isObject(m.output) ? { output: m.output } : {}),
  };
}

/** Every change a caller of the skill could notice, from `before` to `after`. */
export function diffSkillInterface(before: SkillInterface, after: SkillInterface): InterfaceChange[] {
  const out: InterfaceChange[] = [];
  if (before.name !== after.name) {
    out.push(
      skillChange("skill-renamed", "/name", `the skill was renamed from \`${before.name}\` to \`${after.name}\``),
    );
  }
  for (const change of diffSchemas(before.input ?? {}, after.input ?? {}, "request", "/input")) {
    out.push(schemaChange(change, after.name, "input"));
  }
  for (const change of diffSchemas(before.output ?? {}, after.output ?? {}, "response", "/output")) {
    out.push(schemaChange(change, after.name, "output"));
  }
  for (const [key, range] of Object.entries(after.tools)) {
    const old = before.tools[key];
    const pointer = `/tools/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (old === undefined) {
      out.push(skillChange("tool-dependency-added", pointer, `new tool dependency \`${key}\` (${range})`));
    } else if (old.trim() !== range.trim()) {
      out.push(skillChange("tool-range-changed", pointer, `the range of \`${key}\` changed from ${old} to ${range}`));
    }
  }
  for (const key of Object.keys(before.tools)) {
    if (!(key in after.tools)) {
      const pointer = `/tools/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      out.push(skillChange("tool-dependency-removed", pointer, `no longer depends on \`${key}\``));
    }
  }
  if (flat(before.description) !== flat(after.description)) {
    out.push(skillChange("description-changed", "/description", "SKILL.md's description changed"));
  }
  return out;
}

function skillChange(id: SkillRuleId, path: string, message: string): InterfaceChange {
  const rule = SKILL_RULES.find((r) => r.id === id)!;
  return { rule: id, direction: "skill", effect: rule.effect, bump: rule.bump, path, field: [], message };
}

function schemaChange(change: Change, skill: string, side: "input" | "output"): InterfaceChange {
  // compat's words for the same rule ("new required argument `units`"), said of the skill's own input or output
  const judged: JudgedChange = { ...change, severity: "compatible", used: true, uses: [] };
  return {
    rule: change.rule,
    direction: change.direction as "request" | "response",
    effect: ruleById(change.rule).effect,
    bump: bumpForRule(change.rule),
    path: change.path,
    field: change.field,
    message: `${side}: ${messageFor(judged, { tool: skill })}`,
  };
}

function flat(text: string | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").trim();
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
