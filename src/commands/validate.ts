/** `skills validate`: load and check every skill under the given paths (or the configured roots). */
import { stat } from "node:fs/promises";
import { basename, dirname, relative, resolve } from "node:path";
import { join } from "node:path";
import type { Problem } from "../contracts/problem.js";
import type { SkillKind } from "../contracts/skill.js";
import { makeProblem, type ValidationProfile } from "../core/validate/codes.js";
import { SkillsError } from "../errors.js";
import { loadProjectConfig } from "../store/config.js";
import { findSkillDirs } from "../store/findSkills.js";
import { checkSkill } from "../store/loadSkill.js";
import { pathExists } from "../store/pathExists.js";
import type { LoadedSkill } from "../contracts/skill.js";
import type { Position } from "../core/yaml/index.js";
import { AnalysisCache, TypeScriptThread, typescriptAnalysisMissing, WORKER_MIN_FILES } from "../analysis/index.js";
import { mapLimited } from "./shared/mapLimited.js";
import { checkRunnableSkills, type RunnableInput } from "./validate/runnableChecks.js";

export interface ValidateOptions {
  /** Skill folders or folders of skills; empty = the configured roots. */
  paths: string[];
  strict?: boolean;
  /** A vendor profile whose rules are added to the specification's (default: skills.config.json's `profile`). */
  profile?: ValidationProfile;
  /** The .mcp.json to check declared tools against, instead of the nearest one. */
  configPath?: string;
  cwd: string;
  /** Called after each skill (for a progress display). */
  onProgress?: (done: number, total: number) => void;
}

export interface SkillValidation {
  /** Skill folder, relative to the working directory. */
  dir: string;
  /** The SKILL.md name when it could be read (else the manifest's, else the folder name). */
  name: string;
  /** "instruction": SKILL.md only (read by agents); "runnable": with manifest.yaml. */
  kind: SkillKind;
  ok: boolean;
  errors: Problem[];
  warnings: Problem[];
}

export interface ValidateSummary {
  skills: number;
  valid: number;
  invalid: number;
  errors: number;
  warnings: number;
}

export interface ValidateResult {
  ok: boolean;
  strict: boolean;
  /** The vendor profile in force, if any. */
  profile?: ValidationProfile;
  skills: SkillValidation[];
  summary: ValidateSummary;
  /** Explains an empty result (no skills found, or a default root that does not exist yet). */
  notes: string[];
}

const SKILL_FILES = ["skill.md", "manifest.yaml"];

/** How many skills are read at once: enough to overlap file IO, small enough to keep memory flat. */
const CONCURRENCY = 16;

export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const strict = options.strict ?? false;
  const config = await loadProjectConfig(options.cwd);
  const profile = options.profile ?? config.profile;
  const notes: string[] = [];
  const show = (abs: string) => relative(options.cwd, abs) || ".";
  let searchPaths: string[];
  if (options.paths.length > 0) {
    searchPaths = [];
    for (const path of options.paths) {
      const abs = resolve(options.cwd, path);
      // A configured root that does not exist yet is an empty library, not a typo.
      if (config.roots.includes(abs) && !(await pathExists(abs))) {
        notes.push(`${show(abs)} does not exist yet: no skills to validate (create one with \`skills new <name>\`)`);
        continue;
      }
      const info = await stat(abs).catch(() => undefined);
      // `skills validate skills/x/manifest.yaml` (editors, pre-commit hooks) means the skill that holds the file.
      if (info?.isFile() && SKILL_FILES.includes(basename(abs).toLowerCase())) {
        searchPaths.push(dirname(abs));
        continue;
      }
      if (!info?.isDirectory()) {
        throw new SkillsError("NOT_FOUND", `${path} ${info ? "is a file, not a folder" : "does not exist"}`, {
          file: path,
          hint: "pass a skill folder (one with SKILL.md), a folder of skills, or nothing for the configured roots",
        });
      }
      searchPaths.push(abs);
    }
  } else {
    searchPaths = [];
    for (const root of config.roots) {
      const info = await stat(root).catch(() => undefined);
      if (info?.isDirectory()) searchPaths.push(root);
      else if (info) {
        throw new SkillsError("NOT_FOUND", `the skills root ${show(root)} is a file, not a folder`, {
          file: show(root),
          hint: "check `roots` in skills.config.json (default: skills/)",
        });
      } else
        notes.push(`${show(root)} does not exist yet: no skills to validate (create one with \`skills new <name>\`)`);
    }
  }
  const dirs = await findSkillDirs(searchPaths);
  const empty: SkillValidation[] = [];
  if (options.paths.length > 0) {
    // A path the user named that holds no skill is a failed check, not an empty library.
    for (const path of searchPaths) {
      if (config.roots.includes(path) || dirs.some((dir) => dir === path || dir.startsWith(`${path}/`))) continue;
      empty.push(noSkillAt(path, show(path), strict));
    }
  }
  if (dirs.length === 0 && empty.length === 0 && searchPaths.length > 0) {
    notes.push(`no skills found in ${searchPaths.map(show).join(", ")} (a skill folder has a SKILL.md)`);
  }
  let done = 0;
  const loaded: RunnableInput[] = [];
  const indexes: number[] = [];
  // Many skills, and a TypeScript one whose code has no kept analysis: the compiler loads on another thread while
  // the rest are read (the first such skill decides, with one file read and hashed).
  let decided = dirs.length < WORKER_MIN_FILES;
  let cache: AnalysisCache | undefined;
  let typescriptThread: TypeScriptThread | undefined;
  try {
    const skills = await mapLimited(dirs, CONCURRENCY, async (dir) => {
      const result = await validateOne(dir, show(dir), strict, profile);
      if (!decided && result.loaded?.manifest.language === "typescript") {
        decided = true;
        cache = await AnalysisCache.open(config.cacheDir);
        if (typescriptAnalysisMissing({ dir: result.loaded.dir, language: "typescript" }, cache))
          typescriptThread = TypeScriptThread.start();
      }
      options.onProgress?.(++done, dirs.length);
      return result;
    });
    skills.push(...empty);
    skills.forEach((skill, index) => {
      if (skill.loaded) {
        const { toolPositions } = skill;
        loaded.push({ skill: skill.loaded, shown: skill.dir, ...(toolPositions ? { toolPositions } : {}) });
        indexes.push(index);
      }
      delete skill.loaded;
      delete skill.toolPositions;
    });
    // A skill that cannot run does not validate: its tools, its code, its inputs and its cassettes (one analysis).
    const checked = await checkRunnableSkills(loaded, strict, {
      cwd: options.cwd,
      ...(options.configPath ? { configPath: options.configPath } : {}),
      python: config.python,
      cacheDir: config.cacheDir,
      ...(cache ? { cache } : {}),
      ...(typescriptThread ? { typescriptThread } : {}),
    });
    notes.push(...checked.notes);
    for (const [i, index] of indexes.entries()) {
      const skill = skills[index]!;
      for (const problem of checked.problems[i]!)
        (problem.severity === "error" ? skill.errors : skill.warnings).push(problem);
      skill.errors.sort(compareProblems);
      skill.warnings.sort(compareProblems);
      skill.ok = skill.errors.length === 0;
    }
    return summarise(skills, strict, profile, notes);
  } finally {
    typescriptThread?.close();
  }
}

function summarise(
  skills: SkillValidation[],
  strict: boolean,
  profile: ValidationProfile | undefined,
  notes: string[],
): ValidateResult {
  const summary: ValidateSummary = {
    skills: skills.length,
    valid: skills.filter((s) => s.ok).length,
    invalid: skills.filter((s) => !s.ok).length,
    errors: skills.reduce((n, s) => n + s.errors.length, 0),
    warnings: skills.reduce((n, s) => n + s.warnings.length, 0),
  };
  return { ok: summary.invalid === 0, strict, ...(profile ? { profile } : {}), skills, summary, notes };
}

/** A folder given by path with no SKILL.md in it or below it. */
function noSkillAt(abs: string, shown: string, strict: boolean): SkillValidation {
  const problem = makeProblem(
    {
      code: "SKILL_MD_MISSING",
      message: `no SKILL.md in ${shown} or in any folder below it: it holds no skill`,
      file: join(shown, "SKILL.md"),
      line: 1,
      column: 1,
      hint: "a skill is a folder with SKILL.md (name and description frontmatter, then instructions); `skills new <name>` writes one",
    },
    strict,
  );
  return {
    dir: shown,
    name: abs.split(/[\\/]/).pop() ?? shown,
    kind: "instruction",
    ok: false,
    errors: [problem],
    warnings: [],
  };
}

async function validateOne(
  absDir: string,
  shown: string,
  strict: boolean,
  profile: ValidationProfile | undefined,
): Promise<SkillValidation & { loaded?: LoadedSkill; toolPositions?: ReadonlyMap<string, Position> }> {
  // Problems name files relative to the working directory, as the user typed them.
  const check = await checkSkill(absDir, { strict, ...(profile ? { profile } : {}), displayDir: shown });
  return {
    dir: shown,
    name: check.name,
    kind: check.kind,
    ok: check.ok,
    errors: check.errors,
    warnings: check.warnings,
    // A runnable skill's code is checked against its manifest too (checkToolUsage).
    ...(check.skill?.kind === "runnable" ? { loaded: check.skill } : {}),
    ...(check.toolPositions ? { toolPositions: check.toolPositions } : {}),
  };
}

function compareProblems(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}
