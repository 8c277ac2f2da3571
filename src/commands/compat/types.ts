/** The result of `skills compat`: the JSON contract's fields, plus what the human and CI renderers need. */
import type {
  CheckStatus,
  CompatChange,
  DependencyVerdict,
  SkillVerdict,
  SourceLocation,
} from "../../contracts/compat.js";

export interface CompatOptions {
  cwd: string;
  /** Skill folders, folders of skills or names; default: the configured roots. */
  paths?: string[];
  /** `live` (default): the servers in .mcp.json now; anything else: a git ref whose locks are compared with the
   * work tree's (no server is started). */
  against?: string;
  /** With --against <ref>: where a skill folder (absolute, as selected) was at the ref when not where it is now —
   * a renamed skill, or one unpacked from another commit (`skills review --head`). Absolute paths in the work tree. */
  baseDirs?: Record<string, string>;
  /** Ignore usage: every change counts as used. */
  strict?: boolean;
  /** Apply the mechanical migrations (renames) to the code and the manifests. */
  fix?: boolean;
  configPath?: string;
  refresh?: boolean;
  /** Type-check TypeScript skills against the SDK of the new schemas (default true). */
  typecheck?: boolean;
  onStatus?: (message: string) => void;
}

export interface CompatChangeReport extends CompatChange {
  /** What changed, in words. */
  message: string;
  /** What to do about it (also in the dependency's hints), when it matters. */
  hint?: string;
  /** Where the skill's code meets it (paths relative to the working directory). */
  locations: SourceLocation[];
}

export interface CompatDependencyReport extends Omit<DependencyVerdict, "changes"> {
  changes: CompatChangeReport[];
  /** Line of the dependency's key in manifest.yaml (for annotations). */
  manifestLine: number;
}

export interface CompatSkillReport extends Omit<SkillVerdict, "dependencies"> {
  /** Skill folder, relative to the working directory. */
  dir: string;
  /** manifest.yaml, relative to the working directory. */
  manifest: string;
  language?: string;
  dependencies: CompatDependencyReport[];
  /** Things to know that are not changes (syntax errors that hide usage, locks of tools no longer declared). */
  notes: string[];
}

export interface FixReport {
  files: { file: string; diff: string }[];
  applied: string[];
  skipped: string[];
  next: string[];
}

export interface CompatResult {
  against: string;
  strict: boolean;
  skills: CompatSkillReport[];
  summary: Record<CheckStatus, number>;
  fix?: FixReport;
}

export const STATUS_ORDER: readonly CheckStatus[] = [
  "compatible",
  "warning",
  "migration-needed",
  "incompatible",
  "error",
];
