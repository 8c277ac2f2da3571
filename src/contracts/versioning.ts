/**
 * Skills versioned in git, as every layer sees them: a skill's interface (what a caller of the skill depends on), the
 * changes between two versions of it and the bump they need, releases (tags `<name>@<version>`), and the report of
 * `skills review` (its --json contract).
 */
import type { DataPath, RuleEffect } from "./compat.js";
import type { JsonObject } from "./json.js";

/** A semver bump, from the largest; `none`: the version did not (need to) change. */
export type Bump = "major" | "minor" | "patch" | "none";

/** What a caller of a skill depends on: its name, what it is for, what it takes and returns, what it needs. */
export interface SkillInterface {
  name: string;
  /** SKILL.md's description: what an agent reads to pick the skill. */
  description?: string;
  version?: string;
  /** The manifest's `input` schema; absent: any input. */
  input?: JsonObject;
  /** The manifest's `output` schema; absent: any output. */
  output?: JsonObject;
  /** `server/tool` -> range. */
  tools: Record<string, string>;
}

/**
 * One change to a skill's interface. `rule` is a compat rule id (the input is the request side, the output the
 * response side) or one of the skill's own rules (`skill-renamed`, `tool-dependency-added`, ...).
 */
export interface InterfaceChange {
  rule: string;
  direction: "request" | "response" | "skill";
  effect: RuleEffect;
  /** What this change alone needs. */
  bump: Exclude<Bump, "none">;
  /** JSON pointer into manifest.yaml (`/input/properties/units`), or into SKILL.md's frontmatter (`/name`). */
  path: string;
  /** Where in the input or output the change is. */
  field: DataPath;
  message: string;
}

/** A release: an annotated tag `<name>@<version>`. */
export interface SkillRelease {
  name: string;
  version: string;
  tag: string;
  /** The commit the tag points at. */
  commit: string;
  /** ISO 8601: the tagger's date (an annotated tag), else the commit's. */
  date: string;
  /** The tag's message (the interface changes of the release). */
  message: string;
}

export type ReviewChangeKind = "added" | "changed" | "removed" | "renamed";
export type FindingSeverity = "error" | "warning" | "info";

/** One thing `skills review` has to say about a skill; an `error` blocks the merge. */
export interface ReviewFinding {
  /** A validator problem code (`VERSION_INVALID`), or review's own (`BUMP_TOO_SMALL`, `TEST_FAILED`, ...). */
  code: string;
  severity: FindingSeverity;
  message: string;
  /** Relative to the repository root; null when the finding is about no one file. */
  file: string | null;
  line: number | null;
}

export interface ReviewSkill {
  name: string;
  change: ReviewChangeKind;
  /** The version at the merge base (null: added). */
  from: string | null;
  /** The version at the head (null: removed). */
  to: string | null;
  requiredBump: Bump;
  actualBump: Bump;
  status: "ok" | "blocking";
  findings: ReviewFinding[];
}

/** `skills review --json`, exactly. */
export interface ReviewReport {
  base: string;
  head: string;
  skills: ReviewSkill[];
  /** How many findings block the merge. */
  blocking: number;
}
