/**
 * Project configuration: finds the project root from a working directory and reads the optional skills.config.json
 * there, validated by schemas/config.schema.json (problems carry file:line:col). Two environment variables move the
 * project's state for one process (CI, a test suite): SKILLS_RUN_LOG (`off`, or the run log's path) and
 * SKILLS_CACHE_DIR; they win over the file.
 */
import { dirname, join, relative, resolve } from "node:path";
import { isPlainObject, locateIn, type ParsedJson, parseJsonWithPositions } from "../core/json/index.js";
import { toIssue } from "../core/validate/issues.js";
import { SkillsError } from "../errors.js";
import type { PiiMode } from "../contracts/privacy.js";
import type { SETTING_VARIABLES } from "../contracts/startPlan.js";
import { isValidationProfile, type ValidationProfile } from "../core/validate/codes.js";
import { schemaValidator } from "./schemas.js";
import { readTextObserved } from "./observedFiles.js";
import { pathExists } from "./pathExists.js";

export interface ProjectConfig {
  /** The project folder: nearest ancestor of cwd with skills.config.json, .mcp.json, package.json or .git; else cwd. */
  root: string;
  /** Absolute folders that hold skills (default: <root>/skills). */
  roots: string[];
  /** Python interpreter (default /usr/bin/python3). */
  python: string;
  requireIsolation: boolean;
  pii: PiiMode;
  warmPool: number;
  /** A vendor validation profile on top of the Agent Skills specification (`validate`, `list`). */
  profile?: ValidationProfile;
  /** Absolute cache folder (default <root>/.skills/cache). */
  cacheDir: string;
  /** Append a record per run to the run log (default true). */
  logRuns: boolean;
  runLog: RunLogSettings;
  /** Absolute path of skills.config.json when one was read. */
  configFile?: string;
}

export interface RunLogSettings {
  /** Absolute path of the current log file (default <root>/.skills/runs/runs.jsonl). */
  path: string;
  /** Rotate past this size. */
  maxFileBytes: number;
  /** Rotated files kept. */
  maxFiles: number;
}

export const CONFIG_FILE = "skills.config.json";
const ROOT_MARKERS = [CONFIG_FILE, ".mcp.json", "package.json", ".git"];

export async function findProjectRoot(cwd: string): Promise<string> {
  const start = resolve(cwd);
  let dir = start;
  for (;;) {
    for (const marker of ROOT_MARKERS) {
      if (await pathExists(join(dir, marker))) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}

export function defaultConfig(root: string): ProjectConfig {
  return {
    root,
    roots: [join(root, "skills")],
    python: "/usr/bin/python3",
    requireIsolation: false,
    pii: "default",
    warmPool: 2,
    cacheDir: join(root, ".skills", "cache"),
    logRuns: true,
    runLog: { path: join(root, ".skills", "runs", "runs.jsonl"), maxFileBytes: 10 * 1024 * 1024, maxFiles: 20 },
  };
}

/**
 * The environment variables that override the file (`env` defaults to the process's): settings, whose values a start
 * plan may keep (src/cli/startPlan.ts).
 */
export type ConfigEnvironment = Partial<Record<(typeof SETTING_VARIABLES)[number], string>>;

export async function loadProjectConfig(
  cwd: string,
  env: ConfigEnvironment = process.env as ConfigEnvironment,
): Promise<ProjectConfig> {
  const root = await findProjectRoot(cwd);
  const config = defaultConfig(root);
  const path = join(root, CONFIG_FILE);
  let text: string;
  try {
    text = await readTextObserved(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return applyEnvironment(config, env);
    throw new SkillsError("CONFIG_INVALID", `cannot read ${CONFIG_FILE}: ${(error as Error).message}`, { file: path });
  }
  const file = relative(process.cwd(), path) || path;
  const parsed = parseConfigJson(text, file);
  const value = parsed.value;
  const issues = schemaValidator("config").validate(value).map(toIssue);
  if (issues.length > 0) {
    const first = issues[0]!;
    const position = locateIn(parsed, first.pointer, first.target);
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
    const where = first.pointer ? `${first.pointer.slice(1).replace(/\//g, ".")}: ` : "";
    throw new SkillsError("CONFIG_INVALID", `${where}${first.message}${more}`, {
      file,
      line: position.line,
      column: position.column,
      pointer: first.pointer,
      hint: first.hint ?? `see schemas/config.schema.json for the allowed keys and values`,
    });
  }
  const raw = value as Record<string, unknown>;
  if (Array.isArray(raw.roots)) config.roots = raw.roots.map((r) => resolve(root, String(r)));
  if (typeof raw.python === "string") config.python = raw.python;
  if (typeof raw.requireIsolation === "boolean") config.requireIsolation = raw.requireIsolation;
  if (raw.pii === "off" || raw.pii === "default" || raw.pii === "strict") config.pii = raw.pii;
  if (typeof raw.warmPool === "number") config.warmPool = raw.warmPool;
  if (isValidationProfile(raw.profile)) config.profile = raw.profile;
  if (typeof raw.cacheDir === "string") config.cacheDir = resolve(root, raw.cacheDir);
  if (typeof raw.logRuns === "boolean") config.logRuns = raw.logRuns;
  const runLog = (raw.runLog ?? {}) as Record<string, unknown>;
  if (typeof runLog.path === "string") config.runLog.path = resolve(root, runLog.path);
  if (typeof runLog.maxFileBytes === "number") config.runLog.maxFileBytes = runLog.maxFileBytes;
  if (typeof runLog.maxFiles === "number") config.runLog.maxFiles = runLog.maxFiles;
  config.configFile = path;
  return applyEnvironment(config, env);
}

/**
 * SKILLS_RUN_LOG=off turns the run log off; SKILLS_RUN_LOG=<path.jsonl> and SKILLS_CACHE_DIR=<folder> move the log
 * and the cache (relative paths from the current folder). Empty means unset.
 */
function applyEnvironment(config: ProjectConfig, env: ConfigEnvironment): ProjectConfig {
  const runLog = env.SKILLS_RUN_LOG?.trim();
  if (runLog === "off") config.logRuns = false;
  else if (runLog) {
    if (!runLog.endsWith(".jsonl")) {
      throw new SkillsError(
        "CONFIG_INVALID",
        `SKILLS_RUN_LOG must be "off" or a path ending in .jsonl, got "${runLog}"`,
        {
          hint: "e.g. SKILLS_RUN_LOG=/tmp/ci-runs/runs.jsonl, or SKILLS_RUN_LOG=off to record nothing",
        },
      );
    }
    config.runLog.path = resolve(runLog);
  }
  const cacheDir = env.SKILLS_CACHE_DIR?.trim();
  if (cacheDir) config.cacheDir = resolve(cacheDir);
  return config;
}

/** Strict JSON (no comments, no trailing commas), with the position of a syntax error and of every value. */
function parseConfigJson(text: string, file: string): ParsedJson {
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) {
    throw new SkillsError("CONFIG_INVALID", `${CONFIG_FILE} is not valid JSON: ${parsed.message}`, {
      file,
      line: parsed.position.line,
      column: parsed.position.column,
      hint: "JSON allows no comments and no trailing commas; keys and strings need double quotes",
    });
  }
  if (!isPlainObject(parsed.value)) {
    throw new SkillsError("CONFIG_INVALID", `${CONFIG_FILE} must contain a JSON object`, {
      file,
      line: 1,
      column: 1,
      pointer: "",
    });
  }
  return parsed;
}
