/**
 * Loads and validates one skill folder: SKILL.md (Agent Skills frontmatter + body), manifest.yaml, the entry file and
 * the folder itself. Never throws for a bad skill: every problem comes back with file, line, column and a hint.
 */
import { existsSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Problem, ValidationResult } from "../contracts/problem.js";
import { splitSkillMd } from "../core/skill/splitSkillMd.js";
import { entryHasRunOrResult, expectedEntryShape } from "../core/skill/entryShape.js";
import type { LoadedSkill, Manifest, SkillFrontmatter, SkillLanguage } from "../contracts/skill.js";
import { makeProblem } from "../core/validate/codes.js";
import { isSkillsError } from "../errors.js";
import type { DocumentContext } from "../core/validate/documentContext.js";
import { problemAt } from "../core/validate/documentContext.js";
import { validateFrontmatter } from "../core/validate/frontmatter.js";
import { validateManifest } from "../core/validate/manifest.js";
import { parseYaml } from "../core/yaml/parseYaml.js";
import { readTextFile } from "./readTextFile.js";
import { findEscapingSymlinks } from "./scanSymlinks.js";
import { schemaValidator } from "./schemas.js";

export interface LoadSkillOptions {
  /** Spec problems that Agent Skills clients tolerate become errors instead of warnings. */
  strict?: boolean;
  /** How problems name the folder (default: `dir` as given), e.g. relative to the user's working directory. */
  displayDir?: string;
  /** Entries the link scan may visit before it fails with SKILL_TOO_LARGE (default MAX_SCAN_ENTRIES). */
  maxEntries?: number;
}

export const SKILL_MD = "SKILL.md";
export const MANIFEST_FILE = "manifest.yaml";

interface ParsedDoc<T> {
  value?: T;
  ctx?: DocumentContext;
}

export async function loadSkill(dir: string, options: LoadSkillOptions = {}): Promise<ValidationResult<LoadedSkill>> {
  const strict = options.strict ?? false;
  const absDir = resolve(dir);
  const problems: Problem[] = [];
  const shownDir = options.displayDir ?? dir;
  const skillMdFile = join(shownDir, SKILL_MD);
  const manifestFile = join(shownDir, MANIFEST_FILE);

  let links: Awaited<ReturnType<typeof findEscapingSymlinks>> = [];
  try {
    links = await findEscapingSymlinks(absDir, { maxEntries: options.maxEntries });
  } catch (error) {
    if (!isSkillsError(error) || error.code !== "SKILL_TOO_LARGE") throw error;
    problems.push(
      makeProblem({ code: "SKILL_TOO_LARGE", message: error.message, file: shownDir, line: 1, column: 1 }, strict),
    );
  }
  for (const link of links) {
    problems.push(
      makeProblem(
        {
          code: "SYMLINK_ESCAPE",
          message:
            link.reason === "outside"
              ? `${link.path} is a symlink to ${link.target}, outside the skill folder`
              : `${link.path} is a symlink to ${link.target}, which does not exist`,
          file: join(shownDir, link.path),
          line: 1,
          column: 1,
        },
        strict,
      ),
    );
  }
  const escaping = new Set(problems.map((p) => p.file));

  const skillMd = escaping.has(skillMdFile) ? {} : await loadSkillMd(absDir, skillMdFile, strict, problems);
  const manifest: ParsedDoc<Manifest> = escaping.has(manifestFile)
    ? {}
    : await loadManifest(absDir, manifestFile, strict, problems);

  const folderName = basename(absDir);
  const nameBroken = problems.some((p) => p.code.startsWith("NAME_"));
  // A name that breaks the rule is reported as such; comparing it with the folder would only repeat the point.
  if (skillMd.frontmatter && skillMd.ctx && !nameBroken && skillMd.frontmatter.name !== folderName) {
    problems.push(
      problemAt(
        skillMd.ctx,
        "FOLDER_NAME_MISMATCH",
        "/name",
        `name "${skillMd.frontmatter.name}" differs from the folder name "${folderName}"`,
        {
          hint: `rename the folder to ${skillMd.frontmatter.name}, or set name: ${folderName}`,
        },
      ),
    );
  }
  if (skillMd.frontmatter && manifest.value && manifest.ctx && skillMd.frontmatter.name !== manifest.value.name) {
    problems.push(
      problemAt(
        manifest.ctx,
        "NAME_MISMATCH",
        "/name",
        `manifest name "${manifest.value.name}" differs from the SKILL.md name "${skillMd.frontmatter.name}"`,
        {
          hint: "use the same name in manifest.yaml, SKILL.md and the folder",
        },
      ),
    );
  }
  let entryPath: string | undefined;
  if (manifest.value && manifest.ctx) {
    entryPath = join(absDir, manifest.value.entry);
    const entryFile = join(shownDir, manifest.value.entry);
    const entryProblem = await checkEntryExists(entryPath, manifest.ctx, manifest.value.entry, escaping.has(entryFile));
    if (entryProblem) problems.push(entryProblem);
    else if (!escaping.has(entryFile) && !problems.some((p) => p.code === "ENTRY_LANGUAGE_MISMATCH")) {
      const shapeProblem = await checkEntryShape(entryPath, entryFile, manifest.value.language, strict);
      if (shapeProblem) problems.push(shapeProblem);
    }
  }

  problems.sort(compareProblems);
  const errors = problems.filter((p) => p.severity === "error");
  const warnings = problems.filter((p) => p.severity === "warning");
  if (errors.length > 0 || !skillMd.frontmatter || !manifest.value || entryPath === undefined) {
    return { ok: false, errors, warnings };
  }
  return {
    ok: true,
    value: {
      dir: absDir,
      name: manifest.value.name,
      manifest: manifest.value,
      frontmatter: skillMd.frontmatter,
      body: skillMd.body ?? "",
      entryPath,
    },
    warnings,
  };
}

async function loadSkillMd(
  absDir: string,
  file: string,
  strict: boolean,
  problems: Problem[],
): Promise<{ frontmatter?: SkillFrontmatter; body?: string; ctx?: DocumentContext }> {
  const read = await readTextFile(join(absDir, SKILL_MD), file, strict);
  if (!read.ok) {
    problems.push(
      read.problem ??
        makeProblem(
          {
            code: "SKILL_MD_MISSING",
            message: `SKILL.md ${read.reason ?? "is missing"}`,
            file,
            line: 1,
            column: 1,
            hint: "add SKILL.md with `name` and `description` frontmatter and instructions for the agent (`skills new` writes one)",
          },
          strict,
        ),
    );
    return {};
  }
  const split = splitSkillMd(read.text, file, strict);
  if (!split.ok) {
    problems.push(...split.errors);
    return {};
  }
  const { parts } = split;
  const parsed = parseYaml(parts.frontmatter, { file, lineOffset: parts.frontmatterLineOffset });
  if (!parsed.ok) {
    problems.push(...parsed.errors);
    return {};
  }
  const ctx: DocumentContext = { file, locate: parsed.locate, sourceAt: parsed.sourceAt, strict };
  const checked = validateFrontmatter(parsed.value, schemaValidator("skill-frontmatter"), ctx);
  problems.push(...checked.problems);
  if (parts.body.trim() === "") {
    problems.push(
      makeProblem(
        {
          code: "BODY_EMPTY",
          message: "SKILL.md has no instructions after the frontmatter",
          file,
          line: parts.bodyLine,
          column: 1,
        },
        strict,
      ),
    );
  }
  return { frontmatter: checked.frontmatter, body: parts.body, ctx };
}

async function loadManifest(
  absDir: string,
  file: string,
  strict: boolean,
  problems: Problem[],
): Promise<ParsedDoc<Manifest>> {
  const read = await readTextFile(join(absDir, MANIFEST_FILE), file, strict);
  if (!read.ok) {
    const hasYml = existsSync(join(absDir, "manifest.yml"));
    problems.push(
      read.problem ??
        makeProblem(
          {
            code: "MANIFEST_MISSING",
            message: `manifest.yaml ${read.reason ?? "is missing"}`,
            file,
            line: 1,
            column: 1,
            hint: hasYml
              ? "rename manifest.yml to manifest.yaml"
              : "add manifest.yaml with name, version, language and entry (`skills new` writes one)",
          },
          strict,
        ),
    );
    return {};
  }
  const parsed = parseYaml(read.text, { file });
  if (!parsed.ok) {
    problems.push(...parsed.errors);
    return {};
  }
  const ctx: DocumentContext = { file, locate: parsed.locate, sourceAt: parsed.sourceAt, strict };
  const checked = validateManifest(parsed.value, schemaValidator("manifest"), ctx);
  problems.push(...checked.problems);
  return { value: checked.manifest, ctx };
}

async function checkEntryExists(
  path: string,
  ctx: DocumentContext,
  entry: string,
  escapes: boolean,
): Promise<Problem | undefined> {
  if (escapes) return undefined;
  try {
    const info = statSync(path);
    if (info.isFile()) return undefined;
    return problemAt(ctx, "ENTRY_MISSING", "/entry", `entry ${JSON.stringify(entry)} is not a file`);
  } catch {
    return problemAt(ctx, "ENTRY_MISSING", "/entry", `entry file ${JSON.stringify(entry)} does not exist`, {
      hint: `create ${entry} next to manifest.yaml, or point \`entry\` at the file that defines run(input)`,
    });
  }
}

async function checkEntryShape(
  path: string,
  file: string,
  language: SkillLanguage,
  strict: boolean,
): Promise<Problem | undefined> {
  if (!["python", "typescript", "javascript"].includes(language)) return undefined;
  const read = await readTextFile(path, file, strict);
  // Unreadable, huge or binary entries are the runner's business; only a readable entry is checked for its shape.
  if (!read.ok || entryHasRunOrResult(language, read.text)) return undefined;
  return makeProblem(
    {
      code: "ENTRY_NO_RUN",
      message: "the entry defines no run(input) and assigns no top-level result",
      file,
      line: 1,
      column: 1,
      hint: expectedEntryShape(language),
    },
    strict,
  );
}

function compareProblems(a: Problem, b: Problem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}
