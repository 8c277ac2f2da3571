/** `skills list`: the skills under the configured roots, with what their manifests say and whether they are valid. */
import { stat } from "node:fs/promises";
import { relative } from "node:path";
import type { Manifest, SkillFrontmatter, SkillKind } from "../contracts/skill.js";
import type { ValidationProfile } from "../core/validate/codes.js";
import { loadProjectConfig } from "../store/config.js";
import { findSkillDirs } from "../store/findSkills.js";
import { checkSkill } from "../store/loadSkill.js";
import { mapLimited } from "./shared/mapLimited.js";

export interface ListOptions {
  cwd: string;
  strict?: boolean;
  /** A vendor profile whose rules decide validity too (default: skills.config.json's `profile`). */
  profile?: ValidationProfile;
}

export interface SkillListing {
  /** The SKILL.md name (else the manifest's, else the folder's). */
  name: string;
  /** Skill folder relative to cwd. */
  dir: string;
  /** "instruction": SKILL.md only, read by agents; "runnable": with manifest.yaml and an entry. */
  kind: SkillKind;
  version?: string;
  language?: string;
  /** "server/tool" keys of the manifest's tools. */
  tools: string[];
  description?: string;
  valid: boolean;
  errors: number;
  warnings: number;
}

export interface ListResult {
  ok: true;
  /** Roots searched, relative to cwd. */
  roots: string[];
  skills: SkillListing[];
  notes: string[];
}

function profileOf(profile: ValidationProfile | undefined): { profile?: ValidationProfile } {
  return profile ? { profile } : {};
}

export async function listSkills(options: ListOptions): Promise<ListResult> {
  const config = await loadProjectConfig(options.cwd);
  const show = (abs: string) => relative(options.cwd, abs) || ".";
  const notes: string[] = [];
  const existing: string[] = [];
  for (const root of config.roots) {
    const info = await stat(root).catch(() => undefined);
    if (info?.isDirectory()) existing.push(root);
    else if (info) notes.push(`${show(root)} is a file, not a folder: check \`roots\` in skills.config.json`);
    else notes.push(`${show(root)} does not exist yet (create a skill with \`skills new <name>\`)`);
  }
  const dirs = await findSkillDirs(existing);
  if (dirs.length === 0 && existing.length > 0) notes.push(`no skills found in ${existing.map(show).join(", ")}`);
  const mode = { strict: options.strict ?? false, ...profileOf(options.profile ?? config.profile) };
  const skills = await mapLimited(dirs, 16, async (dir) => describeSkill(dir, show(dir), mode));
  skills.sort((a, b) => a.name.localeCompare(b.name) || a.dir.localeCompare(b.dir));
  return { ok: true, roots: config.roots.map(show), skills, notes };
}

async function describeSkill(
  dir: string,
  shown: string,
  mode: { strict: boolean; profile?: ValidationProfile },
): Promise<SkillListing> {
  const check = await checkSkill(dir, { ...mode, displayDir: shown });
  const { manifest, frontmatter } = check;
  // An invalid skill is still listed with whatever its files say, so the user can find and fix it.
  return {
    name: check.name,
    dir: shown,
    kind: check.kind,
    ...(manifest?.version !== undefined ? { version: manifest.version } : {}),
    ...(manifest?.language !== undefined ? { language: manifest.language } : {}),
    tools: Object.keys(manifest?.tools ?? {}),
    ...(description(manifest, frontmatter) !== undefined ? { description: description(manifest, frontmatter) } : {}),
    valid: check.ok,
    errors: check.errors.length,
    warnings: check.warnings.length,
  };
}

function description(
  manifest: Partial<Manifest> | undefined,
  frontmatter: Partial<SkillFrontmatter> | undefined,
): string | undefined {
  return manifest?.description ?? frontmatter?.description;
}
