/**
 * Loads and validates one skill folder: SKILL.md (Agent Skills frontmatter + body), manifest.yaml when there is one,
 * the entry file and the folder itself. A folder with SKILL.md and no manifest.yaml is an instruction skill; with
 * manifest.yaml it is a runnable skill. Never throws for a bad skill: every problem comes back with file, line,
 * column and a hint.
 */
import { basename, join, resolve } from "node:path";
import type { Problem, ValidationResult } from "../contracts/problem.js";
import type { LoadedSkill, Manifest, SkillFolder, SkillFrontmatter, SkillKind } from "../contracts/skill.js";
import { escapePointerToken } from "../core/json/index.js";
import type { Locate, Position } from "../core/yaml/index.js";
import { isReported, makeProblem, type ValidationProfile } from "../core/validate/codes.js";
import { problemAt } from "../core/validate/documentContext.js";
import { sameSkillName } from "../core/validate/names.js";
import { isSkillsError } from "../errors.js";
import { findEscapingSymlinks } from "./scanSymlinks.js";
import {
  checkEntryExists,
  checkEntryShape,
  MANIFEST_FILE,
  type ManifestRead,
  readManifest,
  readSkillMd,
  SKILL_MD,
} from "./skillFiles.js";

export { MANIFEST_FILE, SKILL_MD } from "./skillFiles.js";

export interface LoadSkillOptions {
  /** Our own stricter checks become errors instead of warnings. */
  strict?: boolean;
  /** A vendor profile whose rules are added to the specification's (e.g. "claude"). */
  profile?: ValidationProfile;
  /** How problems name the folder (default: `dir` as given), e.g. relative to the user's working directory. */
  displayDir?: string;
  /** Entries the link scan may visit before it fails with SKILL_TOO_LARGE (default MAX_SCAN_ENTRIES). */
  maxEntries?: number;
}

/** Everything validation learnt about a folder, valid or not. */
export interface SkillCheck {
  ok: boolean;
  /** The SKILL.md name when it could be read; else the manifest's; else the folder's. */
  name: string;
  /** "runnable" when the folder has manifest.yaml (even a broken one), else "instruction". */
  kind: SkillKind;
  /** The skill, when it is valid. */
  skill?: SkillFolder;
  /** What could be read, for listings of invalid skills. */
  frontmatter?: Partial<SkillFrontmatter>;
  manifest?: Partial<Manifest>;
  errors: Problem[];
  warnings: Problem[];
  /**
   * Where each key under `tools:` is in manifest.yaml (when it parsed): later checks of the declared tools point at
   * them without parsing the file again, and without keeping its whole parse alive.
   */
  toolPositions?: ReadonlyMap<string, Position>;
}

export async function loadSkill(dir: string, options: LoadSkillOptions = {}): Promise<ValidationResult<SkillFolder>> {
  const check = await checkSkill(dir, options);
  if (check.ok && check.skill) return { ok: true, value: check.skill, warnings: check.warnings };
  return { ok: false, errors: check.errors, warnings: check.warnings };
}

export async function checkSkill(dir: string, options: LoadSkillOptions = {}): Promise<SkillCheck> {
  const strict = options.strict ?? false;
  const absDir = resolve(dir);
  const problems: Problem[] = [];
  const shownDir = options.displayDir ?? dir;
  const skillMdFile = join(shownDir, SKILL_MD);
  const manifestFile = join(shownDir, MANIFEST_FILE);

  const escaping = await scanLinks(absDir, shownDir, strict, options.maxEntries, problems);
  const skillMd = escaping.has(skillMdFile) ? {} : await readSkillMd(absDir, skillMdFile, strict, problems);
  const manifest: ManifestRead = escaping.has(manifestFile)
    ? { present: true }
    : await readManifest(absDir, manifestFile, strict, problems);

  const folderName = basename(absDir);
  const nameBroken = problems.some((p) => p.code === "NAME_INVALID" || p.code === "NAME_TOO_LONG");
  // A name that breaks the rule is reported as such; comparing it with the folder would only repeat the point.
  if (skillMd.frontmatter && skillMd.ctx && !nameBroken && !sameSkillName(skillMd.frontmatter.name, folderName)) {
    problems.push(
      problemAt(
        skillMd.ctx,
        "FOLDER_NAME_MISMATCH",
        "/name",
        `name "${skillMd.frontmatter.name}" differs from the folder name "${folderName}"`,
        { hint: `rename the folder to ${skillMd.frontmatter.name}, or set name: ${folderName}` },
      ),
    );
  }
  if (
    skillMd.frontmatter &&
    manifest.value &&
    manifest.ctx &&
    !sameSkillName(skillMd.frontmatter.name, manifest.value.name)
  ) {
    problems.push(
      problemAt(
        manifest.ctx,
        "NAME_MISMATCH",
        "/name",
        `manifest name "${manifest.value.name}" differs from the SKILL.md name "${skillMd.frontmatter.name}"`,
        { hint: "use the same name in manifest.yaml, SKILL.md and the folder" },
      ),
    );
  }
  let entryPath: string | undefined;
  if (manifest.value && manifest.ctx) {
    entryPath = join(absDir, manifest.value.entry);
    const entryFile = join(shownDir, manifest.value.entry);
    const entryProblem = checkEntryExists(entryPath, manifest.ctx, manifest.value.entry, escaping.has(entryFile));
    if (entryProblem) problems.push(entryProblem);
    else if (!escaping.has(entryFile) && !problems.some((p) => p.code === "ENTRY_LANGUAGE_MISMATCH")) {
      const shapeProblem = await checkEntryShape(entryPath, entryFile, manifest.value.language, strict);
      if (shapeProblem) problems.push(shapeProblem);
    }
  }

  const reported = problems
    .filter((p) => isReported(p.code, { strict, profile: options.profile }))
    .sort(compareProblems);
  const errors = reported.filter((p) => p.severity === "error");
  const warnings = reported.filter((p) => p.severity === "warning");
  const kind: SkillKind = manifest.present ? "runnable" : "instruction";
  const name = skillMd.name ?? manifest.name ?? folderName;
  const partial = {
    name,
    kind,
    errors,
    warnings,
    ...(skillMd.frontmatter ? { frontmatter: skillMd.frontmatter } : {}),
    ...(manifest.value ? { manifest: manifest.value } : {}),
    ...(manifest.ctx && manifest.value ? { toolPositions: toolPositions(manifest.value, manifest.ctx.locate) } : {}),
  };
  if (errors.length > 0 || !skillMd.frontmatter) return { ok: false, ...partial };
  const frontmatter = skillMd.frontmatter;
  const body = skillMd.body ?? "";
  if (kind === "instruction") {
    return { ok: true, ...partial, skill: { kind, dir: absDir, name: frontmatter.name, frontmatter, body } };
  }
  if (!manifest.value || entryPath === undefined) return { ok: false, ...partial };
  const skill: LoadedSkill = {
    kind: "runnable",
    dir: absDir,
    name: manifest.value.name,
    manifest: manifest.value,
    frontmatter,
    body,
    entryPath,
  };
  return { ok: true, ...partial, skill };
}

function toolPositions(manifest: Manifest, locate: Locate): Map<string, Position> {
  return new Map(
    Object.keys(manifest.tools ?? {}).map((key) => [key, locate(`/tools/${escapePointerToken(key)}`, "key")]),
  );
}

/** Links that leave the folder are problems; the files behind them are not read. Returns their shown paths. */
async function scanLinks(
  absDir: string,
  shownDir: string,
  strict: boolean,
  maxEntries: number | undefined,
  problems: Problem[],
): Promise<Set<string>> {
  let links: Awaited<ReturnType<typeof findEscapingSymlinks>> = [];
  try {
    links = await findEscapingSymlinks(absDir, { maxEntries });
  } catch (error) {
    if (!isSkillsError(error) || error.code !== "SKILL_TOO_LARGE") throw error;
    problems.push(
      makeProblem({ code: "SKILL_TOO_LARGE", message: error.message, file: shownDir, line: 1, column: 1 }, strict),
    );
  }
  const escaping = new Set<string>();
  for (const link of links) {
    const file = join(shownDir, link.path);
    escaping.add(file);
    problems.push(
      makeProblem(
        {
          code: "SYMLINK_ESCAPE",
          message:
            link.reason === "outside"
              ? `${link.path} is a symlink to ${link.target}, outside the skill folder`
              : `${link.path} is a symlink to ${link.target}, which does not exist`,
          file,
          line: 1,
          column: 1,
        },
        strict,
      ),
    );
  }
  return escaping;
}

function compareProblems(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}
