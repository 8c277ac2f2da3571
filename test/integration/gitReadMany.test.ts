/**
 * Reading many files at tree-ishes with one git process (`git cat-file --batch`), on a real repository: the same
 * texts as one `git cat-file blob` a file, whatever the files hold; and `skills review` reads its interfaces so.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { interfaceAt, interfacesAt } from "../../src/commands/shared/skillInterface.js";
import { openRepo, type Repo, readAt, readManyAt } from "../../src/git/repo.js";
import { skillsSync } from "../helpers/cli.js";
import { commitAll, type GitLog, git, loggingGit, makeRepo, removeRepo, writeSkill } from "../helpers/gitRepo.js";

let dir: string;
let repo: Repo;
let first: string;
let second: string;
let gitLog: GitLog;

/** Files whose text could be mistaken for the batch protocol itself, or lost by a careless reader. */
const TRICKY: Record<string, string> = {
  "empty.txt": "",
  "no-newline.txt": "last line without a break",
  "header-lookalike.txt": `${"a".repeat(40)} blob 5\nhello\n${"b".repeat(40)} missing\n`,
  "unicode.txt": "naïve café ✓ 𝄞\n",
  "name with spaces.txt": "spaces\n",
  "crlf.txt": "one\r\ntwo\r\n",
};

beforeAll(async () => {
  dir = await makeRepo();
  await writeSkill(dir, "alpha", { version: "1.0.0" });
  await mkdir(join(dir, "data"), { recursive: true });
  for (const [name, text] of Object.entries(TRICKY)) await writeFile(join(dir, "data", name), text);
  await writeFile(join(dir, "data", "line\nbreak.txt"), "a name with a line break\n");
  commitAll(dir, "first");
  first = git(dir, "rev-parse", "HEAD").trim();
  await writeSkill(dir, "alpha", { version: "1.1.0" });
  await writeFile(join(dir, "data", "unicode.txt"), "changed\n");
  commitAll(dir, "second");
  second = git(dir, "rev-parse", "HEAD").trim();
  repo = await openRepo(dir, "test");
  gitLog = await loggingGit();
});

afterAll(async () => {
  await removeRepo(dir);
  await gitLog.remove();
});

/** `repo` with every git process it starts counted. */
function counting(of: Repo): { repo: Repo; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    repo: {
      root: of.root,
      run(args, env) {
        calls.push(args);
        return of.run(args, env);
      },
      tryRun(args) {
        calls.push(args);
        return of.tryRun(args);
      },
      pipe(args, input) {
        calls.push(args);
        return of.pipe(args, input);
      },
    },
  };
}

describe("readManyAt", () => {
  test("gives what readAt gives for each file, from one git process", async () => {
    const files: [string, string][] = [
      ...Object.keys(TRICKY).map((name) => [first, `data/${name}`] as [string, string]),
      [second, "data/unicode.txt"],
      [first, "skills/alpha/manifest.yaml"],
      [second, "skills/alpha/manifest.yaml"],
      [first, "data/not-there.txt"], // missing
      [first, "data"], // a folder, not a file
      ["no-such-ref", "data/empty.txt"], // a ref git does not know
      [first, "data/empty.txt"], // asked twice
    ];
    const { repo: counted, calls } = counting(repo);
    const many = await readManyAt(counted, files);
    expect(calls).toEqual([["cat-file", "--batch", "--buffer"]]);
    const one = await Promise.all(files.map(([treeish, path]) => readAt(repo, treeish, path)));
    expect(many).toEqual(one);
    // and what the files hold, not only what readAt says
    expect(many.slice(0, Object.keys(TRICKY).length)).toEqual(Object.values(TRICKY));
    expect(many.slice(Object.keys(TRICKY).length)).toEqual([
      "changed\n",
      expect.stringContaining("version: 1.0.0"),
      expect.stringContaining("version: 1.1.0"),
      undefined,
      undefined,
      undefined,
      "",
    ]);
  });

  test("a name with a line break, which --batch cannot read, is read alone", async () => {
    const { repo: counted, calls } = counting(repo);
    const texts = await readManyAt(counted, [
      [first, "data/line\nbreak.txt"],
      [first, "data/crlf.txt"],
      [first, "data/empty.txt"],
    ]);
    expect(texts).toEqual(["a name with a line break\n", "one\r\ntwo\r\n", ""]);
    expect(calls).toEqual([
      ["cat-file", "--batch", "--buffer"],
      ["cat-file", "blob", `${first}:data/line\nbreak.txt`],
    ]);
  });

  test("an answer that is not the batch protocol, or a git that failed, falls back to one process a file", async () => {
    const files: [string, string][] = [
      [first, "data/empty.txt"],
      [first, "data/unicode.txt"],
      [first, "data/not-there.txt"],
    ];
    const expected = ["", TRICKY["unicode.txt"], undefined];
    const answers: (Buffer | undefined)[] = [
      undefined, // git exited non-zero
      Buffer.from(`${"c".repeat(40)} blob 99\nshort\n`), // a size past the end
      Buffer.from(`${"c".repeat(40)} blob 1\nxy missing\nz missing\n`), // no line break after the object
      Buffer.from(`${"c".repeat(40)} blob 0\n\n`), // fewer answers than names
      Buffer.from(`${"c".repeat(40)} blob 0\n\nx missing\ny missing\ntrailing`), // more than the answers
    ];
    for (const answer of answers) {
      const { repo: counted, calls } = counting({ ...repo, pipe: async () => answer });
      expect(await readManyAt(counted, files)).toEqual(expected);
      expect(calls.filter((args) => args[1] === "blob")).toHaveLength(3);
    }
  });

  test("one file starts no batch", async () => {
    const { repo: counted, calls } = counting(repo);
    expect(await readManyAt(counted, [[second, "data/unicode.txt"]])).toEqual(["changed\n"]);
    expect(await readManyAt(counted, [])).toEqual([]);
    expect(calls).toEqual([["cat-file", "blob", `${second}:data/unicode.txt`]]);
  });
});

describe("interfacesAt", () => {
  test("reads the interfaces of several points with one process, each as interfaceAt reads it", async () => {
    const points = [
      { treeish: first, path: "skills/alpha", name: "alpha" },
      { treeish: second, path: "skills/alpha", name: "alpha" },
      { treeish: first, path: "skills/gone", name: "gone" },
    ];
    const { repo: counted, calls } = counting(repo);
    const read = await interfacesAt(counted, points);
    expect(calls).toHaveLength(1);
    expect(read.map((one) => one.value.version)).toEqual(["1.0.0", "1.1.0", undefined]);
    for (const [index, point] of points.entries()) {
      expect(read[index]).toEqual(await interfaceAt(repo, point.treeish, point.path, point.name));
    }
  });
});

describe("skills review", () => {
  test("reads the interfaces of every changed skill with one git process, not one a file", async () => {
    const project = await makeRepo();
    try {
      for (const name of ["one", "two", "three"]) await writeSkill(project, name, { version: "1.0.0" });
      commitAll(project, "main");
      git(project, "checkout", "-q", "-b", "change");
      for (const name of ["one", "two", "three"]) await writeSkill(project, name, { version: "1.0.1" });
      commitAll(project, "patch them all");
      await gitLog.clear();
      const out = skillsSync(["review", "--base", "main", "--json"], {
        cwd: project,
        env: { PATH: `${gitLog.dir}:${process.env.PATH}` },
      });
      expect(out.stderr).toBe("");
      expect(out.code).toBe(0);
      const report = JSON.parse(out.stdout) as { skills: { name: string; from: string; to: string }[] };
      expect(report.skills.map(({ name, from, to }) => [name, from, to])).toEqual([
        ["one", "1.0.0", "1.0.1"],
        ["three", "1.0.0", "1.0.1"],
        ["two", "1.0.0", "1.0.1"],
      ]);
      const calls = await gitLog.calls();
      expect(calls.filter((call) => call.startsWith("cat-file"))).toEqual(["cat-file --batch --buffer"]);
    } finally {
      await removeRepo(project);
    }
  });
});
