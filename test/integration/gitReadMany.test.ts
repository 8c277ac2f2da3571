/**
 * Reading many files at tree-ishes with one git process (`git cat-file --batch`), on a real repository: the same
 * texts as one `git cat-file blob` a file, whatever the files hold; and `skills review` reads its interfaces so.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadStates } from "../../src/commands/compat/load.js";
import { review } from "../../src/commands/review.js";
import { interfaceAt, interfacesAt, POINTS_A_BATCH } from "../../src/commands/shared/skillInterface.js";
import { BatchParser, catFiles } from "../../src/git/catFiles.js";
import { type GitTree, openGitRef } from "../../src/git/readAtRef.js";
import { openRepo, type Repo, readManyAt, type TextAt } from "../../src/git/repo.js";
import { REPO, skillsSync } from "../helpers/cli.js";
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
  // git drops a carriage return at the end of a line it reads: in a batch, "carriage\r" would be read as "carriage"
  await writeFile(join(dir, "data", "carriage\r"), "the name ends in a carriage return\n");
  await writeFile(join(dir, "data", "carriage"), "the name does not\n");
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

/** `git cat-file blob <treeish>:<path>` in the test repository, one process a file; undefined when git refuses. */
function blob(treeish: string, path: string): string | undefined {
  try {
    return execFileSync("git", ["cat-file", "blob", `${treeish}:${path}`], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    return undefined;
  }
}

/** A limit no file of the repository reaches (the tests of the limit set their own). */
const MIB = 1024 * 1024;

/** `repo` with every git process it starts counted (a batch as `cat-file --batch <names>`). */
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
      catFiles(names, maxBytes) {
        calls.push(["cat-file", "--batch", ...names]);
        return of.catFiles(names, maxBytes);
      },
    },
  };
}

describe("readManyAt", () => {
  test("gives what `git cat-file blob` gives for each file, from one git process", async () => {
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
    const many = await readManyAt(counted, files, MIB);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.slice(0, 2)).toEqual(["cat-file", "--batch"]);
    // a name asked twice is sent once
    const sent = calls[0]!.slice(2);
    expect(sent).toHaveLength(new Set(sent).size);
    expect(sent).toHaveLength(files.length - 1);
    const one = files.map(([treeish, path]) => blob(treeish, path));
    expect(many).toEqual(one);
    // and what the files hold, not only what git says
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

  test("a file over the limit gives its size, not its bytes, and the files after it are read", async () => {
    const big = "0123456789abcdef".repeat(256 * 1024); // 4 MiB: many chunks of git's answer to read past
    await writeFile(join(dir, "data", "big.txt"), big);
    commitAll(dir, "a big file");
    const files: [string, string][] = [
      ["HEAD", "data/unicode.txt"],
      ["HEAD", "data/big.txt"],
      ["HEAD", "data/crlf.txt"],
      ["HEAD", "data"], // a folder, not a file
    ];
    expect(await readManyAt(repo, files, 1000)).toEqual([
      "changed\n",
      { tooLarge: big.length },
      "one\r\ntwo\r\n",
      undefined,
    ]);
    expect((await readManyAt(repo, files, big.length))[1]).toBe(big);
    // read alone (a name with a line break, or a failed batch), the limit holds too
    const alone = counting({ ...repo, catFiles: async () => undefined });
    expect(await readManyAt(alone.repo, files, 1000)).toEqual([
      "changed\n",
      { tooLarge: big.length },
      "one\r\ntwo\r\n",
      undefined,
    ]);
    // the big file's size was asked, never its bytes
    expect(
      alone.calls
        .filter((args) => args[1] === "blob")
        .map((args) => args[2])
        .sort(),
    ).toEqual(["HEAD:data", "HEAD:data/crlf.txt", "HEAD:data/unicode.txt"]);
  });

  test("a name --batch would read otherwise (a line break, a carriage return, . or ..) is read alone", async () => {
    const { repo: counted, calls } = counting(repo);
    const texts = await readManyAt(
      counted,
      [
        [first, "data/line\nbreak.txt"],
        [first, "data/carriage\r"],
        [first, "data/carriage"],
        [first, "./data/crlf.txt"], // git resolves a ./ path from its working folder
        [first, "data/../../outside"], // in a batch, git would end it: `outside repository`
        [first, "data/empty.txt"],
      ],
      MIB,
    );
    expect(texts).toEqual([
      "a name with a line break\n",
      "the name ends in a carriage return\n",
      "the name does not\n",
      "one\r\ntwo\r\n",
      undefined,
      "",
    ]);
    expect(calls[0]).toEqual(["cat-file", "--batch", `${first}:data/carriage`, `${first}:data/empty.txt`]);
    expect(
      calls
        .slice(1)
        .filter((args) => args[1] === "-s")
        .map((args) => args[2]),
    ).toEqual([
      `${first}:data/line\nbreak.txt`,
      `${first}:data/carriage\r`,
      `${first}:./data/crlf.txt`,
      `${first}:data/../../outside`,
    ]);
  });

  test("read alone, a folder over the limit is not a file, and a file of exactly the limit is read", async () => {
    const alone = counting({ ...repo, catFiles: async () => undefined });
    const crlf = Buffer.byteLength(TRICKY["crlf.txt"]!);
    expect(await readManyAt(alone.repo, [[first, "data"]], 10)).toEqual([undefined]);
    expect(await readManyAt(alone.repo, [[first, "data/crlf.txt"]], crlf)).toEqual([TRICKY["crlf.txt"]]);
    expect(await readManyAt(alone.repo, [[first, "data/crlf.txt"]], crlf - 1)).toEqual([{ tooLarge: crlf }]);
    // the same through the batch
    expect(await readManyAt(repo, [[first, "data"]], 10)).toEqual([undefined]);
    expect(await readManyAt(repo, [[first, "data/crlf.txt"]], crlf)).toEqual([TRICKY["crlf.txt"]]);
    expect(await readManyAt(repo, [[first, "data/crlf.txt"]], crlf - 1)).toEqual([{ tooLarge: crlf }]);
  });

  test("a batch that failed: each file read alone, with the same answers", async () => {
    const files: [string, string][] = [
      [first, "data/empty.txt"],
      [first, "data/unicode.txt"],
      [first, "data/not-there.txt"],
    ];
    const { repo: counted, calls } = counting({ ...repo, catFiles: async () => undefined });
    expect(await readManyAt(counted, files, MIB)).toEqual(["", TRICKY["unicode.txt"], undefined]);
    // the size of each, then the text of those that are there
    expect(calls.map((args) => args[1])).toEqual(["--batch", "-s", "-s", "-s", "blob", "blob"]);
  });

  test("one file is one process; none, none", async () => {
    const { repo: counted, calls } = counting(repo);
    expect(await readManyAt(counted, [[second, "data/unicode.txt"]], MIB)).toEqual(["changed\n"]);
    expect(await readManyAt(counted, [], MIB)).toEqual([]);
    expect(calls).toEqual([["cat-file", "--batch", `${second}:data/unicode.txt`]]);
  });
});

describe("BatchParser (git's answer as it streams in)", () => {
  const id = "c".repeat(40);
  const names = ["HEAD:a", "HEAD:b", "HEAD:c", "HEAD:d"];
  const answer = Buffer.from(
    `${id} blob 5\nhello\n` + // a file
      "HEAD:b missing\n" +
      `${id} tree 30\n${"t".repeat(30)}\n` + // a folder: not a file
      `${id} blob 12\n${"x".repeat(11)}\n\n`, // over a limit of 10, its bytes end in a line break
  );
  const expected = ["hello", undefined, undefined, { tooLarge: 12 }];

  /** The answer fed in pieces of `size` bytes. */
  function parse(bytes: Buffer, size: number, of = names): (string | undefined | { tooLarge: number })[] | undefined {
    const parser = new BatchParser(of, 10);
    for (let at = 0; at < bytes.length; at += size) if (!parser.feed(bytes.subarray(at, at + size))) return undefined;
    return parser.finish();
  }

  test("gives the same answers however the bytes are split", () => {
    for (const size of [1, 2, 3, 7, 16, answer.length]) expect(parse(answer, size)).toEqual(expected);
    // a character split between two chunks
    const utf8 = Buffer.from(`${id} blob 4\n✓x\n`);
    expect(parse(utf8, 1, ["HEAD:a"])).toEqual(["✓x"]);
  });

  test("takes `ambiguous` as not there", () => {
    expect(parse(Buffer.from(`HEAD:a ambiguous\n${id} blob 2\nok\n`), 3, ["HEAD:a", "HEAD:b"])).toEqual([
      undefined,
      "ok",
    ]);
  });

  test("refuses what git does not send for these names", () => {
    const broken: [string, Buffer, string[]][] = [
      ["a size past the end", Buffer.from(`${id} blob 99\nshort\n`), ["HEAD:a"]],
      ["no line break after an object", Buffer.from(`${id} blob 1\nxyHEAD:b missing\n`), ["HEAD:a", "HEAD:b"]],
      ["fewer answers than names", answer.subarray(0, answer.indexOf("HEAD:b")), names],
      ["more answers than names", Buffer.concat([answer, Buffer.from("HEAD:e missing\n")]), names],
      ["an answer cut in its header", Buffer.concat([answer, Buffer.from(id)]), names],
      ["another name said missing", Buffer.from(`${id} blob 5\nhello\nHEAD:z missing\n`), ["HEAD:a", "HEAD:b"]],
      ["a header that is not one", Buffer.from(`${"g".repeat(40)} blob 5\nhello\n`), ["HEAD:a"]],
      ["a line longer than any answer", Buffer.from("x".repeat(1000)), ["HEAD:a"]],
    ];
    for (const [why, bytes, of] of broken) {
      for (const size of [1, 5, bytes.length]) {
        expect(parse(bytes, size, of), `${why}, in pieces of ${size}`).toBeUndefined();
      }
    }
    // a line past any answer's length is refused as it comes, not held until it ends
    expect(new BatchParser(["HEAD:a"], 10).feed(Buffer.from("x".repeat(1000)))).toBe(false);
  });
});

describe("catFiles", () => {
  test("an answer git ends with a failure is not taken, whole as it may look", async () => {
    const fake = await mkdtemp(join(tmpdir(), "skills-fake-git-"));
    try {
      const id = "c".repeat(40);
      for (const [name, status] of [
        ["ok", 0],
        ["fails", 1],
      ] as const) {
        await mkdir(join(fake, name));
        await writeFile(
          join(fake, name, "git"),
          `#!/bin/sh\ncat > /dev/null\nprintf '${id} blob 5\\nhello\\n'\nexit ${status}\n`,
          { mode: 0o755 },
        );
      }
      expect(await catFiles(dir, { PATH: join(fake, "ok") }, ["HEAD:a"], MIB)).toEqual(["hello"]);
      expect(await catFiles(dir, { PATH: join(fake, "fails") }, ["HEAD:a"], MIB)).toBeUndefined();
      expect(await catFiles(dir, { PATH: join(fake, "none") }, ["HEAD:a"], MIB)).toBeUndefined(); // no git at all
    } finally {
      await rm(fake, { recursive: true, force: true });
    }
  });
});

describe("GitTree.readMany (compat --against)", () => {
  test("reads the paths inside the work tree with one process; a path outside it is not asked", async () => {
    // the git environment is taken when the tree is opened: the logging git goes first on PATH before that
    const path = process.env.PATH;
    process.env.PATH = `${gitLog.dir}:${path}`;
    let texts: TextAt[];
    try {
      const tree = await openGitRef(dir, first);
      await gitLog.clear();
      texts = await tree.readMany(
        [join(dir, "data/crlf.txt"), "/etc/hostname", join(dir, "../x"), join(dir, "data/empty.txt")],
        MIB,
      );
    } finally {
      process.env.PATH = path;
    }
    expect(texts).toEqual(["one\r\ntwo\r\n", undefined, undefined, ""]);
    expect(await gitLog.calls()).toEqual(["cat-file --batch --buffer"]);
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

  test("reads POINTS_A_BATCH points a process, so thousands of skills are never all held at once", async () => {
    const points = Array.from({ length: POINTS_A_BATCH + 3 }, (_, index) => ({
      treeish: index % 2 ? first : second,
      path: "skills/alpha",
      name: "alpha",
    }));
    const { repo: counted, calls } = counting(repo);
    const read = await interfacesAt(counted, points);
    // the folder's two files at each end: four names, each sent once a batch
    expect(calls.map((args) => args.length - 2)).toEqual([4, 4]);
    expect(read.map((one) => one.value.version)).toEqual(points.map((_, index) => (index % 2 ? "1.0.0" : "1.1.0")));
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

describe("files over the limit at a ref", () => {
  test("review: a SKILL.md over 1 MiB at the head is not read; the review says so and blocks", async () => {
    const project = await makeRepo();
    try {
      await writeSkill(project, "big", { version: "1.0.0" });
      commitAll(project, "main");
      git(project, "checkout", "-q", "-b", "change");
      await writeSkill(project, "big", { version: "1.0.1" });
      const skillMd = join(project, "skills/big/SKILL.md");
      await writeFile(skillMd, `${await readFile(skillMd, "utf8")}\n${"padding ".repeat(256 * 1024)}\n`); // 2 MiB
      commitAll(project, "a big SKILL.md");
      const result = await review({ cwd: project, base: "main" });
      const big = result.skills.find((skill) => skill.name === "big")!;
      expect(big.status).toBe("blocking");
      const codes = big.findings.map((finding) => [finding.code, finding.message]);
      expect(codes).toContainEqual([
        "INTERFACE_UNREADABLE",
        "head: SKILL.md: 2.0 MiB, over the 1 MiB a skill file may have: not read",
      ]);
      expect(codes.map(([code]) => code)).toContain("FILE_TOO_LARGE");
    } finally {
      await removeRepo(project);
    }
  });

  test("compat --against: a lock over the limit at the ref is LOCK_INVALID with its size, not read", async () => {
    const skill = join(REPO, "skills/find-todos");
    const paths: string[] = [];
    const tree: GitTree = {
      commit: "c".repeat(40),
      async readMany(asked, maxBytes) {
        paths.push(...asked);
        expect(maxBytes).toBe(64 * MIB);
        return asked.map(() => ({ tooLarge: 70 * MIB }));
      },
    };
    const [state] = await loadStates([skill], REPO, tree, "main");
    expect(paths).toEqual([join(skill, "tools.lock.json")]);
    expect(state!.error).toEqual({
      code: "LOCK_INVALID",
      message: "the lock at main is 70.0 MiB, over the 64 MiB compat reads: not read",
      file: "skills/find-todos/tools.lock.json",
      hint: "compare against another ref, or with the servers (--against live)",
    });
    expect(state!.before).toBeUndefined();
  });
});
