/**
 * A skill's interface (name, description, input, output, tools) read from its manifest.yaml and SKILL.md, on disk or
 * at a git tree, for the interface diff (src/core/versioning). Only the two files are parsed; a file that does not
 * parse leaves its part of the interface empty and says so.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SkillInterface } from "../../contracts/versioning.js";
import { splitSkillMd } from "../../core/skill/splitSkillMd.js";
import { skillInterface } from "../../core/versioning/interface.js";
import { parseYaml } from "../../core/yaml/index.js";
import { readManyAt, type Repo, type TextAt } from "../../git/repo.js";
import { MAX_TEXT_FILE_BYTES } from "../../store/readTextFile.js";

export interface ReadInterface {
  value: SkillInterface;
  /** Why part of it could not be read (a YAML error), when that happened. */
  problems: string[];
}

/** A file of the interface over MAX_TEXT_FILE_BYTES at a tree-ish: not read (validation refuses it on disk too). */
function tooLarge(file: string, size: number): string {
  const limit = MAX_TEXT_FILE_BYTES / 1024 / 1024;
  return `${file}: ${(size / 1024 / 1024).toFixed(1)} MiB, over the ${limit} MiB a skill file may have: not read`;
}

function parseParts(manifestAt: TextAt, skillMdAt: TextAt, name: string): ReadInterface {
  const problems: string[] = [];
  const text = (file: string, at: TextAt) => {
    if (typeof at === "object") problems.push(tooLarge(file, at.tooLarge));
    return typeof at === "string" ? at : undefined;
  };
  const manifestText = text("manifest.yaml", manifestAt);
  const skillMdText = text("SKILL.md", skillMdAt);
  let manifest: unknown;
  if (manifestText !== undefined) {
    const parsed = parseYaml(manifestText, { file: "manifest.yaml" });
    if (parsed.ok) manifest = parsed.value;
    else problems.push(`manifest.yaml: ${parsed.errors[0]?.message ?? "does not parse"}`);
  }
  let frontmatter: unknown;
  if (skillMdText !== undefined) {
    const split = splitSkillMd(skillMdText, "SKILL.md", false);
    if (split.ok) {
      const parsed = parseYaml(split.parts.frontmatter, { file: "SKILL.md" });
      if (parsed.ok) frontmatter = parsed.value;
      else problems.push(`SKILL.md: ${parsed.errors[0]?.message ?? "the frontmatter does not parse"}`);
    } else problems.push(`SKILL.md: ${split.errors[0]?.message ?? "no frontmatter"}`);
  }
  return { value: skillInterface(manifest, frontmatter, name), problems };
}

/** The interface of the skill folder `path` (repo-relative) at a commit or tree. */
export async function interfaceAt(repo: Repo, treeish: string, path: string, name: string): Promise<ReadInterface> {
  return (await interfacesAt(repo, [{ treeish, path, name }]))[0]!;
}

/**
 * Points whose files one git process reads: each file is held (up to MAX_TEXT_FILE_BYTES) until its batch is parsed,
 * so a change that touches thousands of skills costs a few dozen megabytes at most, not all of their files at once.
 */
export const POINTS_A_BATCH = 32;

/** The interfaces of skill folders at commits or trees, their files read by one git process a POINTS_A_BATCH. */
export async function interfacesAt(
  repo: Repo,
  points: ReadonlyArray<{ treeish: string; path: string; name: string }>,
): Promise<ReadInterface[]> {
  const read: ReadInterface[] = [];
  for (let at = 0; at < points.length; at += POINTS_A_BATCH) {
    const batch = points.slice(at, at + POINTS_A_BATCH);
    const texts = await readManyAt(
      repo,
      batch.flatMap(({ treeish, path }) => [
        [treeish, `${path}/manifest.yaml`] as const,
        [treeish, `${path}/SKILL.md`] as const,
      ]),
      MAX_TEXT_FILE_BYTES,
    );
    read.push(...batch.map((point, index) => parseParts(texts[2 * index], texts[2 * index + 1], point.name)));
  }
  return read;
}

/** The interface of a skill folder on disk. */
export async function interfaceOnDisk(dir: string, name: string): Promise<ReadInterface> {
  const read = (file: string) => readFile(join(dir, file), "utf8").catch(() => undefined);
  const [manifest, skillMd] = await Promise.all([read("manifest.yaml"), read("SKILL.md")]);
  return parseParts(manifest, skillMd, name);
}
