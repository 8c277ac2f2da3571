/**
 * A tree of the repository as a folder: `git archive` of the tree, unpacked by tar into a temp folder that is renamed
 * into place, once per tree (the tree's object id names the folder, so the same content is never unpacked twice and
 * a reader never sees half of it). Nothing is read from or written to the work tree or the index.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { SkillsError } from "../errors.js";
import { gitEnvironment, type Repo } from "./repo.js";

/** `<cacheRoot>/<tree>/<folderName>`, holding the files of `tree`; made when missing. */
export async function extractTree(repo: Repo, tree: string, cacheRoot: string, folderName: string): Promise<string> {
  if (!/^[0-9a-f]{40,64}$/.test(tree)) throw new Error(`not a tree id: ${tree}`);
  const parent = join(cacheRoot, tree);
  const dest = join(parent, folderName);
  if (existsSync(dest)) return dest;
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
