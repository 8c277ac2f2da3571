/** Skill folders in a git tree, the work-tree snapshot and unpacking a tree: the git adapter on a real repository. */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { diffTrees } from "../../src/git/diffTrees.js";
import { extractTree } from "../../src/git/extract.js";
import { openRepo, type Repo, treeAt } from "../../src/git/repo.js";
import { changedFiles, skillFoldersAt } from "../../src/git/skillFolders.js";
import { snapshotWorkTree } from "../../src/git/snapshot.js";
import { commitAll, git, makeRepo, removeRepo, writeSkill } from "../helpers/gitRepo.js";

let dir: string;
let repo: Repo;

beforeAll(async () => {
  dir = await makeRepo();
  await writeSkill(dir, "alpha");
  await writeSkill(dir, "beta");
  // a skill folder inside a skill is part of it; dot-folders and node_modules are not searched
  await mkdir(join(dir, "skills/alpha/tests/fixture"), { recursive: true });
  await writeFile(join(dir, "skills/alpha/tests/fixture/SKILL.md"), "---\nname: fixture\n---\n");
  for (const hidden of ["skills/.hidden/x", "skills/node_modules/y"]) {
    await mkdir(join(dir, hidden), { recursive: true });
    await writeFile(join(dir, hidden, "SKILL.md"), "---\nname: x\n---\n");
  }
  await mkdir(join(dir, "skills/group"), { recursive: true });
  await rename(join(dir, "skills/beta"), join(dir, "skills/group/beta"));
  commitAll(dir, "skills");
  repo = await openRepo(dir, "test");
});

afterAll(async () => {
  await removeRepo(dir);
});

describe("skillFoldersAt", () => {
  test("finds the outermost skill folders below the roots, with their files and tree ids", async () => {
    const folders = await skillFoldersAt(repo, "HEAD", ["skills"]);
    expect(folders.map((f) => [f.path, f.name])).toEqual([
      ["skills/alpha", "alpha"],
      ["skills/group/beta", "beta"],
    ]);
    expect([...folders[0]!.files.keys()].sort()).toEqual([
      "SKILL.md",
      "main.py",
      "manifest.yaml",
      "tests/basic.yaml",
      "tests/fixture/SKILL.md",
    ]);
    expect(folders[0]!.tree).toBe(git(dir, "rev-parse", "HEAD:skills/alpha").trim());
    // a root that is itself a skill folder, and a root that does not exist
    expect((await skillFoldersAt(repo, "HEAD", ["skills/alpha", "nowhere"])).map((f) => f.path)).toEqual([
      "skills/alpha",
    ]);
  });
});

describe("treeAt", () => {
  test("gives the tree of a folder at a commit or tree, and nothing for a file, a link, a missing path or ref", async () => {
    // names a pattern or a shell would read otherwise
    for (const odd of ["odd/x*", "odd/a b", "odd/x?"]) {
      await mkdir(join(dir, odd), { recursive: true });
      await writeFile(join(dir, odd, "f"), odd);
    }
    await symlink("x*", join(dir, "odd/link"));
    commitAll(dir, "odd names");
    const tree = (path: string) => git(dir, "rev-parse", `HEAD:${path}`).trim();
    expect(await treeAt(repo, "HEAD", "skills/alpha")).toBe(tree("skills/alpha"));
    expect(await treeAt(repo, "HEAD", "skills/alpha/")).toBe(tree("skills/alpha"));
    expect(await treeAt(repo, "HEAD", "./skills/group/beta")).toBe(tree("skills/group/beta"));
    expect(await treeAt(repo, "HEAD", "odd/x*")).toBe(tree("odd/x*"));
    expect(await treeAt(repo, "HEAD", "odd/a b")).toBe(tree("odd/a b"));
    expect(await treeAt(repo, "HEAD", "")).toBe(git(dir, "rev-parse", "HEAD^{tree}").trim());
    // from a tree id, and from the commit before: the folder as it was
    expect(await treeAt(repo, tree("skills"), "alpha")).toBe(tree("skills/alpha"));
    expect(await treeAt(repo, "HEAD~1", "skills/alpha")).toBe(tree("skills/alpha"));
    expect(await treeAt(repo, "HEAD~1", "odd/x*")).toBeUndefined();
    expect(await treeAt(repo, "HEAD", "odd")).toBe(tree("odd"));
    for (const none of ["skills/alpha/main.py", "odd/link", "odd/x", "nowhere", "skills/alph", "../x"]) {
      expect({ none, tree: await treeAt(repo, "HEAD", none) }).toEqual({ none, tree: undefined });
    }
    expect(await treeAt(repo, "no-such-ref", "skills")).toBeUndefined();
    expect(await treeAt(repo, "--output=x", "skills")).toBeUndefined();
  });
});

describe("snapshotWorkTree", () => {
  test("takes modified, deleted and untracked files under the roots, and leaves the index alone", async () => {
    await writeFile(join(dir, "skills/alpha/main.py"), "def run(input):\n    return {}\n");
    await writeFile(join(dir, "skills/alpha/new.txt"), "untracked\n");
    await writeFile(join(dir, "outside.txt"), "untracked outside the roots\n");
    git(dir, "rm", "-q", "--cached", "skills/group/beta/main.py");
    const index = createHash("sha256")
      .update(await readFile(join(dir, ".git/index")))
      .digest("hex");
    const tree = await snapshotWorkTree(repo, ["skills"]);
    expect(
      createHash("sha256")
        .update(await readFile(join(dir, ".git/index")))
        .digest("hex"),
    ).toBe(index);
    const changes = await diffTrees(repo, "HEAD", tree);
    expect(changes).toEqual([
      { status: "M", path: "skills/alpha/main.py" },
      { status: "A", path: "skills/alpha/new.txt" },
    ]);
    const [before] = await skillFoldersAt(repo, "HEAD", ["skills/alpha"]);
    const [after] = await skillFoldersAt(repo, tree, ["skills/alpha"]);
    expect(changedFiles(before, after)).toEqual(["main.py", "new.txt"]);
    git(dir, "checkout", "--", "skills/alpha/main.py");
    git(dir, "add", "skills/group/beta/main.py");
  });
});

describe("extractTree", () => {
  test("unpacks a folder's tree once, with its files and modes", async () => {
    const tree = git(dir, "rev-parse", "HEAD:skills/alpha").trim();
    const cache = join(dir, ".skills/cache/versions");
    const out = await extractTree(repo, tree, cache, "alpha");
    expect(out).toBe(join(cache, tree, "alpha"));
    expect(await readFile(join(out, "main.py"), "utf8")).toBe(git(dir, "show", "HEAD:skills/alpha/main.py"));
    expect(await readFile(join(out, "tests/fixture/SKILL.md"), "utf8")).toContain("name: fixture");
    expect(await extractTree(repo, tree, cache, "alpha")).toBe(out);
    await expect(extractTree(repo, "not-a-tree", cache, "alpha")).rejects.toThrow(/not a tree id/);
  });
});
