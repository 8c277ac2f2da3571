/** Reading the files of one skill folder for validation: SKILL.md, manifest.yaml and the entry. Never throws. */
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Problem } from "../contracts/problem.js";
import type { Manifest, SkillFrontmatter, SkillLanguage } from "../contracts/skill.js";
import { entryHasRunOrResult, expectedEntryShape } from "../core/skill/entryShape.js";
import { splitSkillMd } from "../core/skill/splitSkillMd.js";
import { makeProblem } from "../core/validate/codes.js";
import { type DocumentContext, problemAt } from "../core/validate/documentContext.js";
import { validateFrontmatter } from "../core/validate/frontmatter.js";
import { validateManifest } from "../core/validate/manifest.js";
import { parseYaml } from "../core/yaml/parseYaml.js";
import { readTextFile } from "./readTextFile.js";
import { schemaValidator } from "./schemas.js";

export const SKILL_MD = "SKILL.md";
export const MANIFEST_FILE = "manifest.yaml";
/** The specification recommends a SKILL.md under this many lines: an agent loads all of it when the skill is used. */
export const MAX_SKILL_MD_LINES = 500;
/** Files that say a folder was meant to run: without manifest.yaml it is read as an instruction skill. */
const RUNNABLE_HINTS = ["manifest.yml", "main.py", "main.ts", "main.mts", "main.js", "main.mjs"];

export interface SkillMdRead {
  frontmatter?: SkillFrontmatter;
  body?: string;
  ctx?: DocumentContext;
  /** The frontmatter's `name` when it is a string, even when other things are wrong. */
  name?: string;
}

export interface ManifestRead {
  /** Whether manifest.yaml exists (the folder is then a runnable skill, valid or not). */
  present: boolean;
  value?: Manifest;
  ctx?: DocumentContext;
  /** The manifest's `name` when it is a string. */
  name?: string;
}

/** A SKILL.md spelled another way (skill.md, Skill.md): named in the problem, since only SKILL.md is read. */
function otherSpelling(absDir: string): string | undefined {
  try {
    return readdirSync(absDir).find((entry) => entry !== SKILL_MD && entry.toLowerCase() === "skill.md");
  } catch {
    return undefined;
  }
}

export async function readSkillMd(
  absDir: string,
  file: string,
  strict: boolean,
  problems: Problem[],
): Promise<SkillMdRead> {
  const read = await readTextFile(join(absDir, SKILL_MD), file, strict);
  if (!read.ok) {
    const other = read.missing ? otherSpelling(absDir) : undefined;
    problems.push(
      read.problem ??
        makeProblem(
          {
            code: "SKILL_MD_MISSING",
            message: other
              ? `SKILL.md does not exist; there is ${other}, but the file must be named SKILL.md (in capitals)`
              : `SKILL.md ${read.reason ?? "is missing"}`,
            file,
            line: 1,
            column: 1,
            hint: other
              ? `rename it: mv ${join(dirname(file), other)} ${file}`
              : "add SKILL.md with `name` and `description` frontmatter and instructions for the agent (`skills new` writes one)",
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
  const lines = read.text.split(/\r?\n/).length - (read.text.endsWith("\n") ? 1 : 0);
  if (lines > MAX_SKILL_MD_LINES) {
    problems.push(
      makeProblem(
        {
          code: "SKILL_MD_TOO_LONG",
          message: `SKILL.md has ${lines} lines; the specification recommends at most ${MAX_SKILL_MD_LINES}`,
          file,
          line: MAX_SKILL_MD_LINES + 1,
          column: 1,
        },
        strict,
      ),
    );
  }
  const value = parsed.value as Record<string, unknown> | null;
  const name = value && typeof value === "object" && typeof value.name === "string" ? value.name : undefined;
  return { frontmatter: checked.frontmatter, body: parts.body, ctx, ...(name !== undefined ? { name } : {}) };
}

export async function readManifest(
  absDir: string,
  file: string,
  strict: boolean,
  problems: Problem[],
): Promise<ManifestRead> {
  const read = await readTextFile(join(absDir, MANIFEST_FILE), file, strict);
  if (!read.ok) {
    if (read.problem) {
      problems.push(read.problem);
      return { present: true };
    }
    // There, but not a file this can read (a folder, a FIFO, no permission): a broken runnable skill, not a missing
    // manifest.
    if (read.reason !== undefined && read.reason !== "does not exist") {
      problems.push(
        makeProblem(
          {
            code: "FILE_UNREADABLE",
            message: `manifest.yaml ${read.reason}`,
            file,
            line: 1,
            column: 1,
          },
          strict,
        ),
      );
      return { present: true };
    }
    // No manifest.yaml: an instruction skill. Said out loud only when the folder looks meant to run.
    const hint = RUNNABLE_HINTS.find((entry) => existsSync(join(absDir, entry)));
    if (hint) {
      problems.push(
        makeProblem(
          {
            code: "MANIFEST_MISSING",
            message: `manifest.yaml ${read.reason ?? "is missing"}, but there is ${hint}: the folder is read as an instruction skill and cannot run`,
            file,
            line: 1,
            column: 1,
            hint:
              hint === "manifest.yml"
                ? "rename manifest.yml to manifest.yaml"
                : `add manifest.yaml with name, version, language and entry: ${hint} to make it runnable (see docs/skill-format.md)`,
          },
          strict,
        ),
      );
    }
    return { present: false };
  }
  const parsed = parseYaml(read.text, { file });
  if (!parsed.ok) {
    problems.push(...parsed.errors);
    return { present: true };
  }
  const ctx: DocumentContext = { file, locate: parsed.locate, sourceAt: parsed.sourceAt, strict };
  const checked = validateManifest(parsed.value, schemaValidator("manifest"), ctx);
  problems.push(...checked.problems);
  const value = parsed.value as Record<string, unknown> | null;
  const name = value && typeof value === "object" && typeof value.name === "string" ? value.name : undefined;
  return { present: true, value: checked.manifest, ctx, ...(name !== undefined ? { name } : {}) };
}

export function checkEntryExists(
  path: string,
  ctx: DocumentContext,
  entry: string,
  escapes: boolean,
): Problem | undefined {
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

export async function checkEntryShape(
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
