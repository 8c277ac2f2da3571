/** Finding skill folders on disk, and resolving a skill reference (path or name) to its folder. */
import { type Dirent, readdirSync, type Stats, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { closestMatches } from "../core/validate/suggest.js";
import { SkillsError } from "../errors.js";
import type { ProjectConfig } from "./config.js";
import { noteFailure, noteKind, noteUnrepeatable } from "./observedFiles.js";

const SKIP = new Set(["node_modules", ".git"]);

// Synchronous stats: cheap for local folders and much faster than a thread-pool hop each when there are thousands.
// Each look is reported to observedFiles.ts (what `skills run`'s early start looked at to find the skill).
function statOf(path: string): Stats | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    noteKind(path, stats);
    return stats;
  } catch (error) {
    noteFailure(path, error);
    return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  return statOf(path)?.isFile() ?? false;
}

async function isDirectory(path: string): Promise<boolean> {
  return statOf(path)?.isDirectory() ?? false;
}

/** A skill folder has SKILL.md (an instruction skill) or manifest.yaml (a runnable one; SKILL.md is then required). */
export async function isSkillDir(dir: string): Promise<boolean> {
  return (await isFile(join(dir, "SKILL.md"))) || (await isFile(join(dir, "manifest.yaml")));
}

/**
 * Expands paths into skill folders: a path that is a skill folder is itself; any other folder is searched
 * recursively (not into node_modules, .git or dot-folders, and not below a skill folder). Paths that do not exist
 * raise NOT_FOUND. Results are absolute, sorted and unique.
 */
export async function findSkillDirs(paths: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const path of paths) {
    const abs = resolve(path);
    if (!(await isDirectory(abs))) {
      const what = (await isFile(abs)) ? "is a file, not a folder" : "does not exist";
      throw new SkillsError("NOT_FOUND", `${path} ${what}`, {
        file: path,
        hint: "pass a skill folder (one with SKILL.md) or a folder of skills",
      });
    }
    await collect(abs, found, 0);
  }
  return [...found].sort();
}

/** Entries that make a folder a skill when searching: SKILL.md (any case, so a misspelt one is reported) or manifest.yaml. */
function marksSkill(entry: Dirent): boolean {
  return (
    (entry.isFile() || entry.isSymbolicLink()) &&
    (entry.name.toLowerCase() === "skill.md" || entry.name === "manifest.yaml")
  );
}

async function collect(dir: string, found: Set<string>, depth: number): Promise<void> {
  // What a listing found is not in the signatures of the folders it went through.
  noteUnrepeatable(`it listed ${dir}`);
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    if (await isSkillDir(dir)) found.add(dir);
    return;
  }
  if (entries.some(marksSkill)) {
    found.add(dir);
    return;
  }
  if (depth > 12) return;
  const children = entries
    .filter((e) => e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith("."))
    .map((e) => join(dir, e.name));
  await Promise.all(children.map((child) => collect(child, found, depth + 1)));
}

/** Folder names of the skills under the configured roots (for suggestions). */
async function skillNamesUnderRoots(config: ProjectConfig): Promise<string[]> {
  const names: string[] = [];
  for (const root of config.roots) {
    if (!(await isDirectory(root))) continue;
    const dirs = await findSkillDirs([root]);
    names.push(...dirs.map((d) => basename(d)));
  }
  return names;
}

/**
 * A reference is a path (anything with a slash, or an existing skill folder) or a skill name looked up under
 * config.roots. Returns the absolute folder; throws NOT_FOUND with close names as a hint. Paths are relative to `cwd`.
 */
export async function resolveSkillRef(ref: string, config: ProjectConfig, cwd = process.cwd()): Promise<string> {
  const looksLikePath = ref.includes("/") || ref.includes("\\") || ref === "." || ref === "..";
  const asPath = resolve(cwd, ref);
  if (await isSkillDir(asPath)) return asPath;
  if (looksLikePath) {
    throw new SkillsError("NOT_FOUND", `${ref} is not a skill folder`, {
      file: ref,
      hint: (await isDirectory(asPath))
        ? "a skill folder contains SKILL.md (and manifest.yaml to be runnable)"
        : "check the path",
    });
  }
  for (const root of config.roots) {
    const candidate = join(root, ref);
    if (await isSkillDir(candidate)) return candidate;
  }
  // A skill may live deeper than one level (roots/group/name): search by folder name.
  for (const root of config.roots) {
    if (!(await isDirectory(root))) continue;
    const match = (await findSkillDirs([root])).find((d) => basename(d) === ref);
    if (match) return match;
  }
  const names = await skillNamesUnderRoots(config);
  const close = closestMatches(ref, names);
  const rootsShown = config.roots.map((r) => relative(cwd, r) || ".").join(", ");
  throw new SkillsError("NOT_FOUND", `no skill named "${ref}" under ${rootsShown}`, {
    hint:
      close.length > 0
        ? `did you mean ${close.map((n) => `"${n}"`).join(" or ")}?`
        : names.length > 0
          ? `known skills: ${names.slice(0, 10).join(", ")}${names.length > 10 ? ", …" : ""}`
          : "create one with `skills new <name>`, or pass a path to a skill folder",
  });
}
