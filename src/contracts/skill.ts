/**
 * Types of a loaded skill. schemas/manifest.schema.json and schemas/skill-frontmatter.schema.json are the source
 * of truth; test/unit/schemaTypes.test.ts checks these interfaces against them.
 */
import type { JsonObject } from "./json.js";
import type { PiiMode } from "./privacy.js";

export type SkillLanguage = "python" | "typescript" | "javascript";

export interface ManifestLimits {
  timeout_ms?: number;
  memory_mb?: number;
  max_tool_calls?: number;
  max_output_bytes?: number;
  cpu_ms?: number;
  max_processes?: number;
  max_file_bytes?: number;
  max_open_files?: number;
}

export interface ManifestPrivacy {
  mode?: PiiMode;
  tokenize?: string[];
  patterns?: { name: string; regex: string }[];
  ignore_fields?: string[];
}

export interface Manifest {
  $schema?: string;
  name: string;
  version: string;
  language: SkillLanguage;
  entry: string;
  description?: string;
  input?: JsonObject;
  output?: JsonObject;
  /** "<server>/<tool>": semver range */
  tools?: Record<string, string>;
  limits?: ManifestLimits;
  privacy?: ManifestPrivacy;
  tags?: string[];
}

export interface SkillFrontmatter {
  name: string;
  description: string;
  license?: string;
  compatibility?: string;
  metadata?: Record<string, string>;
  "allowed-tools"?: string;
}

/**
 * A folder with only SKILL.md is an Agent Skills **instruction skill**: an agent reads it, the toolkit validates and
 * lists it. manifest.yaml is what makes a skill runnable.
 */
export type SkillKind = "instruction" | "runnable";

export interface InstructionSkill {
  kind: "instruction";
  /** Absolute path of the skill folder. */
  dir: string;
  /** The SKILL.md name. */
  name: string;
  frontmatter: SkillFrontmatter;
  /** SKILL.md body (markdown after the frontmatter). */
  body: string;
}

/** A runnable skill: SKILL.md plus manifest.yaml and its entry. */
export interface LoadedSkill {
  kind: "runnable";
  /** Absolute path of the skill folder. */
  dir: string;
  name: string;
  manifest: Manifest;
  frontmatter: SkillFrontmatter;
  /** SKILL.md body (markdown after the frontmatter). */
  body: string;
  /** Absolute path of the entry file. */
  entryPath: string;
}

/** Any valid skill folder. */
export type SkillFolder = InstructionSkill | LoadedSkill;
