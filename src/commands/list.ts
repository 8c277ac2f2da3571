/** `skills list`: the skills under the configured roots, with what their manifests say and whether they are valid. */
import { join, relative } from "node:path";
import { isPlainObject } from "../core/json/index.js";
import { parseYaml } from "../core/yaml/parseYaml.js";
import { loadProjectConfig } from "../store/config.js";
import { findSkillDirs } from "../store/findSkills.js";
import { loadSkill, MANIFEST_FILE } from "../store/loadSkill.js";
import { readTextFile } from "../store/readTextFile.js";
import { mapLimited } from "./shared/mapLimited.js";
import { stat } from "node:fs/promises";

export interface ListOptions {
  cwd: string;
  strict?: boolean;
}

export interface SkillListing {
  name: string;
  /** Skill folder relative to cwd. */
  dir: string;
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
  const skills = await mapLimited(dirs, 16, async (dir) => describeSkill(dir, show(dir), options.strict ?? false));
  skills.sort((a, b) => a.name.localeCompare(b.name) || a.dir.localeCompare(b.dir));
  return { ok: true, roots: config.roots.map(show), skills, notes };
}

async function describeSkill(dir: string, shown: string, strict: boolean): Promise<SkillListing> {
  const result = await loadSkill(dir, { strict, displayDir: shown });
  if (result.ok) {
    const { manifest, frontmatter } = result.value;
    return {
      name: result.value.name,
      dir: shown,
      version: manifest.version,
      language: manifest.language,
      tools: Object.keys(manifest.tools ?? {}),
      description: manifest.description ?? frontmatter.description,
      valid: true,
      errors: 0,
      warnings: result.warnings.length,
    };
  }
  // An invalid skill is still listed with whatever its manifest says, so the user can find and fix it.
  const partial = await readManifestLoosely(dir);
  const text = (key: string) => (typeof partial[key] === "string" ? (partial[key] as string) : undefined);
  return {
    name: text("name") ?? dir.split(/[\\/]/).pop() ?? shown,
    dir: shown,
    version: text("version"),
    language: text("language"),
    tools: isPlainObject(partial.tools) ? Object.keys(partial.tools) : [],
    description: text("description"),
    valid: false,
    errors: result.errors.length,
    warnings: result.warnings.length,
  };
}

async function readManifestLoosely(dir: string): Promise<Record<string, unknown>> {
  const read = await readTextFile(join(dir, MANIFEST_FILE), MANIFEST_FILE, false);
  if (!read.ok) return {};
  const parsed = parseYaml(read.text, { file: MANIFEST_FILE });
  return parsed.ok && isPlainObject(parsed.value) ? parsed.value : {};
}
