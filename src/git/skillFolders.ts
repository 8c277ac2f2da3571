/**
 * Skill folders as they are in a git tree, found by the same rule as on disk (src/store/findSkills.ts): a folder
 * with SKILL.md or manifest.yaml below a root, not inside another skill folder, not in node_modules or a
 * dot-folder. Each comes with its files' blob ids, so two versions compare without reading a file.
 */
import { posix } from "node:path";
import { listFiles, type Repo, treeAt } from "./repo.js";

export interface SkillFolder {
  /** Repo-relative, `/`-separated. */
  path: string;
  /** The folder's name (a skill's name equals it). */
  name: string;
  /** The folder's tree id. */
  tree: string;
  /** file (relative to the folder) -> blob id (with its mode: a changed mode is a change). */
  files: Map<string, string>;
}

const MARKERS = new Set(["SKILL.md", "manifest.yaml"]);

/** Every skill folder below `roots` (repo-relative folders) at a commit or tree. */
export async function skillFoldersAt(repo: Repo, treeish: string, roots: string[]): Promise<SkillFolder[]> {
  const folders = new Map<string, SkillFolder>();
  for (const root of roots) {
    const tree = await treeAt(repo, treeish, root);
    if (!tree) continue;
    const all = await listFiles(repo, tree, "", true);
    const treeIds = new Map(all.filter((e) => e.type === "tree").map((e) => [e.path, e.hash]));
    const entries = all.filter((e) => e.type !== "tree");
    const dirs = new Set<string>();
    for (const entry of entries) {
      const base = posix.basename(entry.path);
      if (!MARKERS.has(base)) continue;
      const dir = posix.dirname(entry.path);
      if (dir !== "." && dir.split("/").some((part) => part.startsWith(".") || part === "node_modules")) continue;
      dirs.add(dir);
    }
    // a skill folder inside another one is part of it
    const outer = [...dirs].filter((dir) => dir === "." || (!dirs.has(".") && ownerOf(dir, dirs) === undefined));
    for (const dir of outer) {
      const path = dir === "." ? root : root === "" ? dir : `${root}/${dir}`;
      folders.set(path, {
        path,
        name: posix.basename(path),
        tree: dir === "." ? tree : treeIds.get(dir)!,
        files: new Map(),
      });
    }
    const owners = new Set(outer);
    for (const entry of entries) {
      const owner = ownerOf(entry.path, owners);
      if (owner === undefined) continue;
      const path = owner === "." ? root : root === "" ? owner : `${root}/${owner}`;
      const rel = owner === "." ? entry.path : entry.path.slice(owner.length + 1);
      folders.get(path)!.files.set(rel, `${entry.mode} ${entry.hash}`);
    }
  }
  return [...folders.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The skill folder (relative to the root; "." for the root itself) that holds `path`, walking up its folders. */
function ownerOf(path: string, dirs: Set<string>): string | undefined {
  if (dirs.has(".")) return ".";
  let at = path.lastIndexOf("/");
  while (at > 0) {
    const dir = path.slice(0, at);
    if (dirs.has(dir)) return dir;
    at = path.lastIndexOf("/", at - 1);
  }
  return undefined;
}

/** Files (relative to the folders) that differ between two versions of a skill folder. */
export function changedFiles(before: SkillFolder | undefined, after: SkillFolder | undefined): string[] {
  const a = before?.files ?? new Map<string, string>();
  const b = after?.files ?? new Map<string, string>();
  const out = new Set<string>();
  for (const [file, id] of a) if (b.get(file) !== id) out.add(file);
  for (const file of b.keys()) if (!a.has(file)) out.add(file);
  return [...out].sort();
}
