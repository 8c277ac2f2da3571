/**
 * A tree of the repository as a folder: `git archive` of the tree, unpacked by tar into a temp folder that is renamed
 * into place, once per tree (the tree's object id names the folder, so the same content is never unpacked twice and
 * a reader never sees half of it). Nothing is read from or written to the work tree or the index.
 *
 * A folder found in the cache is used only when it holds exactly the tree's files, byte for byte: the cache lies in
 * the project (`.skills/cache`), and a branch can commit a folder there under a released tree's id (`git add -f`),
 * which `skills review` in CI would otherwise take for the release.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { SkillsError } from "../errors.js";
import { gitEnvironment, listFiles, type Repo } from "./repo.js";

/** `<cacheRoot>/<tree>/<folderName>`, holding the files of `tree`; made when missing. */
export async function extractTree(repo: Repo, tree: string, cacheRoot: string, folderName: string): Promise<string> {
  if (!/^[0-9a-f]{40,64}$/.test(tree)) throw new Error(`not a tree id: ${tree}`);
  const parent = join(cacheRoot, tree);
  const dest = join(parent, folderName);
  if (existsSync(dest)) {
    if (await matchesTree(repo, tree, dest)) return dest;
    throw new SkillsError(
      "RELEASE_CACHE_MISMATCH",
      `${dest} is not what git has for tree ${tree.slice(0, 12)}: its files differ from the release's`,
      {
        hint: `remove it (rm -rf '${dest}') and run again; if it came with a branch (.skills/ committed with git add -f), do not merge that branch`,
      },
    );
  }
  await mkdir(parent, { recursive: true });
  const temp = await mkdtemp(join(parent, ".tmp-"));
  try {
    await unpack(repo.root, tree, temp);
    try {
      await rename(temp, dest);
    } catch (error) {
      // another process unpacked the same tree first: its folder is as good as ours
      if (!existsSync(dest)) throw error;
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return dest;
}

/** Whether `dir` holds the files of `tree` and nothing else: the same paths, links and bytes (blob ids). */
async function matchesTree(repo: Repo, tree: string, dir: string): Promise<boolean> {
  if (!(await lstat(dir).catch(() => undefined))?.isDirectory()) return false;
  const found = await walk(dir, "");
  if (!found) return false;
  // Submodules are not in an archive: only blobs (files and links) are unpacked.
  const blobs = (await listFiles(repo, tree)).filter((entry) => entry.type === "blob");
  if (blobs.length !== found.size) return false;
  const algorithm = tree.length === 40 ? "sha1" : "sha256";
  for (const entry of blobs) {
    const kind = found.get(entry.path);
    const link = entry.mode === "120000";
    if (kind !== (link ? "link" : "file")) return false;
    const path = join(dir, entry.path);
    const bytes = link ? Buffer.from(await readlink(path)) : await readFile(path);
    const id = createHash(algorithm).update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
    if (id !== entry.hash) return false;
  }
  return true;
}

/** Every file and link below `dir` by its `/`-separated path; undefined when anything else is there. */
async function walk(dir: string, prefix: string, into = new Map<string, "file" | "link">()) {
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!(await walk(dir, path, into))) return undefined;
    } else if (entry.isSymbolicLink()) into.set(path, "link");
    else if (entry.isFile()) into.set(path, "file");
    else return undefined;
  }
  return into;
}

function unpack(root: string, tree: string, into: string): Promise<void> {
  return new Promise((done, fail) => {
    const env = gitEnvironment();
    // git writes 0664/0775 into the archive (tar.umask 0002) and tar run by root keeps an archive's modes: 022
    // leaves the unpacked release writable by its owner only, with the x bit git keeps
    const archive = spawn("git", ["-c", "tar.umask=022", "archive", "--format=tar", tree], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const tar = spawn("tar", ["-x", "-f", "-", "-C", into, "--no-same-owner"], { stdio: ["pipe", "ignore", "pipe"] });
    let errors = "";
    archive.stderr.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
    });
    tar.stderr.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
    });
    archive.stdout.pipe(tar.stdin);
    tar.stdin.on("error", () => undefined); // tar gone early: its exit status says why
    let pending = 2;
    let failed: string | undefined;
    const finish = (what: string) => (code: number | null, signal: NodeJS.Signals | null) => {
      if (code !== 0 && !failed) failed = `${what} ${signal ? `was killed (${signal})` : `exited ${code}`}`;
      if (--pending > 0) return;
      if (!failed) return done();
      fail(
        new SkillsError("GIT_FAILED", `cannot unpack tree ${tree.slice(0, 12)}: ${failed}: ${errors.trim()}`, {
          hint: "check that git and tar are installed and the cache folder is writable",
        }),
      );
    };
    archive.on("error", (error) => fail(new SkillsError("GIT_FAILED", `cannot run git archive: ${error.message}`)));
    tar.on("error", (error) =>
      fail(new SkillsError("GIT_FAILED", `cannot run tar: ${error.message}`, { hint: "install tar" })),
    );
    archive.on("close", finish("git archive"));
    tar.on("close", finish("tar"));
  });
}
