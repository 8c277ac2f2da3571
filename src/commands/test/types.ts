/** Shared shapes of the `skills test` command's parts (planning, running cases). */
import type { Problem } from "../../contracts/problem.js";
import type { LoadedSkill } from "../../contracts/skill.js";
import type { CaseMode, CaseResult, SkillTestResult } from "../../core/testing/results.js";
import type { LocatedTestCase } from "../../core/testing/types.js";
import type { ToolInfo } from "../../contracts/tools.js";
import type { Runner } from "../../contracts/run.js";
import type { Toolset } from "../shared/toolset.js";

export interface TestOptions {
  cwd: string;
  /** Skill folders or folders of skills; default: the project's roots (skills/). */
  paths?: string[];
  /** Run against the live servers and rewrite the cassettes. */
  record?: boolean;
  /** Run against the live servers without cassettes. */
  live?: boolean;
  /** Substring, glob (`*`, `?`) or /regex/ over `skill/case`. */
  filter?: string;
  /** Cases run at once (default: number of CPUs, at least 4). */
  concurrency?: number;
  /** Schema fingerprint drift fails the case instead of warning. */
  strict?: boolean;
  /** Write JUnit XML here (relative to cwd). */
  junit?: string;
  /** Path of the .mcp.json (live and record only). */
  configPath?: string;
  requireIsolation?: boolean;
  /** Called when every case of a skill has finished (the CLI prints a progress line). */
  onSkillDone?: (skill: SkillTestResult) => void;
  /** A runner to reuse (benchmarks); closed by the caller. Default: a runner with the config's warm pool. */
  runner?: Runner;
}

export interface Job {
  skill: SkillPlan;
  located: LocatedTestCase;
}

export interface SkillPlan {
  dir: string;
  name: string;
  skill?: LoadedSkill;
  /** An instruction skill: listed, nothing to run. */
  instruction?: boolean;
  /** Whether the skill's code calls tools (the usage analysis, run on first need). */
  callsTools?: () => Promise<boolean>;
  /** Cases that could not even be read (bad YAML etc.), already final. */
  results: CaseResult[];
  pending: number;
  started: number;
  toolset?: Promise<Toolset>;
  expectedFingerprints?: { map: Map<string, string>; against: string };
  /** About the skill rather than one case (e.g. cassettes no case uses). */
  warnings: Problem[];
  /** Tool schemas pinned in the skill's tools.lock.json (for declared tools a cassette does not carry). */
  lockTools: ToolInfo[];
}

export function errorCase(name: string, file: string, line: number, problems: Problem[], mode: CaseMode): CaseResult {
  return { name, file, line, status: "error", mode, durationMs: 0, failures: [], problems, warnings: [] };
}

export function modeOf(located: LocatedTestCase, options: TestOptions): CaseMode {
  if (options.live || located.case.live) return "live";
  return options.record ? "record" : "replay";
}

export function problemAt(file: string, code: string, message: string, line = 1, hint?: string): Problem {
  return { severity: "error", code, message, file, line, column: 1, pointer: "", ...(hint ? { hint } : {}) };
}
