/**
 * The files of a skill saved from code (save_skill): a new folder's SKILL.md, manifest.yaml and entry, or an existing
 * skill's files updated in place — the manifest's other keys and comments, the SKILL.md body and every other file
 * stay as they were. Text written by the caller reaches YAML only through the YAML serialiser. Pure.
 */
import { parseDocument, stringify } from "yaml";
import type { JsonObject } from "../../contracts/json.js";
import type { SkillLanguage } from "../../contracts/skill.js";

export interface SavedSkillSpec {
  name: string;
  version: string;
  language: SkillLanguage;
  code: string;
  description: string;
  /** `server/tool` -> semver range. */
  tools: Record<string, string>;
  input?: JsonObject;
  output?: JsonObject;
}

export interface SkillFiles {
  /** Path in the skill folder -> content. */
  write: Record<string, string>;
  /** Paths to remove (an entry file of another language). */
  remove: string[];
  entry: string;
}

export const ENTRY_FILES: Record<SkillLanguage, string> = {
  python: "main.py",
  typescript: "main.ts",
  javascript: "main.js",
};

const DEFAULT_LIMITS = { timeout_ms: 30000 };

/** The files of a new skill. `schemaPath`: manifest.schema.json relative to the skill folder (for editors). */
export function newSkillFiles(spec: SavedSkillSpec, schemaPath: string): SkillFiles {
  const entry = ENTRY_FILES[spec.language];
  const manifest: JsonObject = {
    name: spec.name,
    version: spec.version,
    language: spec.language,
    entry,
    description: spec.description,
    input: spec.input ?? { type: "object" },
    ...(spec.output ? { output: spec.output } : {}),
    ...(Object.keys(spec.tools).length > 0 ? { tools: spec.tools } : {}),
    limits: DEFAULT_LIMITS,
  };
  return {
    entry,
    remove: [],
    write: {
      "SKILL.md": skillMd(spec),
      "manifest.yaml": `# yaml-language-server: $schema=${schemaPath}\n${stringify(manifest, { lineWidth: 0 })}`,
      [entry]: withNewline(spec.code),
    },
  };
}

/** The files of an existing skill after saving `spec` over it. */
export function updatedSkillFiles(
  existing: { manifest: string; skillMd: string; entry: string; language: SkillLanguage },
  spec: SavedSkillSpec,
): SkillFiles {
  const entry = existing.language === spec.language ? existing.entry : ENTRY_FILES[spec.language];
  const manifest = parseDocument(existing.manifest);
  manifest.set("version", spec.version);
  manifest.set("language", spec.language);
  manifest.set("entry", entry);
  manifest.set("description", spec.description);
  if (Object.keys(spec.tools).length > 0) manifest.set("tools", spec.tools);
  else manifest.delete("tools");
  if (spec.input) manifest.set("input", spec.input);
  if (spec.output) manifest.set("output", spec.output);
  return {
    entry,
    remove: entry === existing.entry ? [] : [existing.entry],
    write: {
      "SKILL.md": updateSkillMd(existing.skillMd, spec),
      "manifest.yaml": manifest.toString({ lineWidth: 0 }),
      [entry]: withNewline(spec.code),
    },
  };
}

const FRONTMATTER = /^(\uFEFF?---[ \t]*\r?\n)([\s\S]*?)(\r?\n---[ \t]*(?:\r?\n|$))([\s\S]*)$/;

/** SKILL.md with the new description in its frontmatter and everything else kept; a fresh one if it cannot be read. */
function updateSkillMd(text: string, spec: SavedSkillSpec): string {
  const parts = FRONTMATTER.exec(text);
  if (!parts) return skillMd(spec);
  const frontmatter = parseDocument(parts[2] as string);
  if (frontmatter.errors.length > 0 || typeof frontmatter.toJS() !== "object" || frontmatter.toJS() === null) {
    return skillMd(spec);
  }
  frontmatter.set("name", spec.name);
  frontmatter.set("description", spec.description);
  return `${parts[1]}${frontmatter.toString({ lineWidth: 0 }).trimEnd()}${parts[3]}${parts[4]}`;
}

function skillMd(spec: SavedSkillSpec): string {
  const frontmatter = stringify({ name: spec.name, description: spec.description }, { lineWidth: 0 }).trimEnd();
  const example = JSON.stringify({ name: spec.name, input: {} });
  return [
    "---",
    frontmatter,
    "---",
    "",
    `# ${titleOf(spec.name)}`,
    "",
    spec.description,
    "",
    "## How to run",
    "",
    `From an MCP client connected to \`skills serve\`: the \`run_skill\` tool with \`${example}\` (the input must`,
    "match the input schema in manifest.yaml). From a shell:",
    "",
    "```sh",
    `skills run ${spec.name} --input '{}'`,
    "```",
    "",
  ].join("\n");
}

function titleOf(name: string): string {
  return name
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

function withNewline(code: string): string {
  return code.endsWith("\n") ? code : `${code}\n`;
}
