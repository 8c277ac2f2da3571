/**
 * loadProgram (src/cli/program.ts): a program compiled with V8's code cache, the cache kept only where nobody else
 * can write it. Real files in temp folders; the programs are small CommonJS files shaped like the build's.
 * A load that may read a cache runs in a new node process, with the built loader (dist/).
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPO } from "../helpers/cli.js";
import { loadProgram } from "../../src/cli/program.js";

let scratch: string;
let cacheDir: string;
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), "skills-program-"));
  cacheDir = join(scratch, "cache");
  mkdirSync(cacheDir, { mode: 0o700 });
});
afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A program as the build writes it: the header naming its build, then CommonJS code. */
function writeProgram(name: string, build: string | null, body: string): string {
  const file = join(scratch, `${name}.cjs`);
  writeFileSync(file, `${build === null ? "" : `// skills program ${build}\n`}"use strict";\n${body}\n`);
  return file;
}

const BODY = `
const { basename } = require("node:path");
function square(n) { return n * n; }
exports.main = async (argv) => argv.map(Number).map(square);
exports.where = basename(__filename);
exports.strict = (function () { return this === undefined; })();
`;

const cacheFiles = (dir = cacheDir) => readdirSync(dir).filter((name) => name.endsWith(".v8"));

/**
 * Loads the program in a new node process (V8 keeps what it compiled in memory: a second load in this process would
 * never read the cache), runs main(["7"]) and saves the cache, as bin/skills.js does. The built loader, dist/.
 */
function loadInNewProcess(file: string, dir: string): { cache: string; result: number[] } {
  const script = `
    import { loadProgram } from ${JSON.stringify(join(REPO, "dist/cli/program.js"))};
    const program = loadProgram(${JSON.stringify(file)}, { cacheDir: ${JSON.stringify(dir)} });
    const result = await program.exports.main(["7"]);
    program.saveCache();
    console.log(JSON.stringify({ cache: program.cache, result }));
  `;
  const out = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  expect(out.stderr).toBe("");
  return JSON.parse(out.stdout) as { cache: string; result: number[] };
}

describe("loadProgram", () => {
  it("runs the program as a CommonJS module, in strict mode, with its own require and __filename", async () => {
    const program = loadProgram(writeProgram("exec", "0123456789abcdef0123", BODY), { cacheDir });
    expect(await (program.exports.main as (a: string[]) => Promise<number[]>)(["2", "3"])).toEqual([4, 9]);
    expect(program.exports.where).toBe("exec.cjs");
    expect(program.exports.strict).toBe(true);
  });

  it("writes the cache once the program ran, private to this user, and uses it at the next start", () => {
    const file = writeProgram("exec", "0123456789abcdef0123", BODY);
    expect(loadInNewProcess(file, cacheDir)).toEqual({ cache: "missing", result: [49] });
    const [written] = cacheFiles();
    expect(written).toMatch(
      new RegExp(`^exec-0123456789abcdef0123-${process.version}-${process.arch}-[0-9a-f]+\\.v8$`),
    );
    expect(lstatSync(join(cacheDir, written!)).mode & 0o777).toBe(0o600);
    expect(readdirSync(cacheDir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    const mtime = lstatSync(join(cacheDir, written!)).mtimeMs;

    expect(loadInNewProcess(file, cacheDir)).toEqual({ cache: "accepted", result: [49] });
    // An accepted cache is not written again.
    expect(lstatSync(join(cacheDir, written!)).mtimeMs).toBe(mtime);
  });

  it("replaces a cache V8 rejects (a damaged file) and runs the program all the same", () => {
    const file = writeProgram("run", "fedcba9876543210fedc", BODY);
    loadInNewProcess(file, cacheDir);
    const [written] = cacheFiles();
    writeFileSync(join(cacheDir, written!), "not V8's code cache at all");
    expect(loadInNewProcess(file, cacheDir)).toEqual({ cache: "rejected", result: [49] });
    expect(loadInNewProcess(file, cacheDir)).toEqual({ cache: "accepted", result: [49] });
  });

  it("keeps one cache per build: a rebuilt program does not read the last build's", () => {
    loadProgram(writeProgram("exec", "aaaaaaaaaaaaaaaaaaaa", BODY), { cacheDir }).saveCache();
    const rebuilt = loadProgram(writeProgram("exec", "bbbbbbbbbbbbbbbbbbbb", `${BODY}\nexports.more = 1;`), {
      cacheDir,
    });
    expect(rebuilt.cache).toBe("missing");
    rebuilt.saveCache();
    expect(cacheFiles().map((name) => name.split("-")[1])).toEqual(
      expect.arrayContaining(["aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb"]),
    );
  });

  it("keeps the four newest caches of a program, whatever the other programs keep", () => {
    for (const build of ["a", "b", "c", "d", "e", "f"]) {
      loadProgram(writeProgram("exec", build.repeat(20), `${BODY}\nexports.build = "${build}";`), {
        cacheDir,
      }).saveCache();
    }
    loadProgram(writeProgram("run", "9".repeat(20), BODY), { cacheDir }).saveCache();
    const kept = cacheFiles()
      .map((name) => name.split("-").slice(0, 2).join("-"))
      .sort();
    expect(kept).toEqual([
      "exec-cccccccccccccccccccc",
      "exec-dddddddddddddddddddd",
      "exec-eeeeeeeeeeeeeeeeeeee",
      "exec-ffffffffffffffffffff",
      "run-99999999999999999999",
    ]);
  });

  it("uses no cache for a program without the build's header", () => {
    const program = loadProgram(writeProgram("exec", null, BODY), { cacheDir });
    expect(program.cache).toBe("off");
    program.saveCache();
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  describe("never reads or writes a cache somebody else could have written", () => {
    const cases: [string, () => string][] = [
      [
        "a link to a private folder",
        () => {
          const target = join(scratch, "target");
          mkdirSync(target, { mode: 0o700 });
          symlinkSync(target, join(scratch, "link"));
          return join(scratch, "link");
        },
      ],
      ["a folder its group can write", () => folder(0o770)],
      ["a folder anybody can write", () => folder(0o1777)],
      [
        "another user's folder",
        () => {
          const dir = folder(0o700);
          chownSync(dir, 1000, 1000);
          return dir;
        },
      ],
      ["a folder that is not there", () => join(scratch, "missing")],
    ];
    const folder = (mode: number) => {
      const dir = join(scratch, "other");
      mkdirSync(dir);
      chmodSync(dir, mode);
      return dir;
    };
    it.each(cases)("%s", async (_, make) => {
      const file = writeProgram("exec", "0123456789abcdef0123", BODY);
      loadProgram(file, { cacheDir }).saveCache();
      const valid = cacheFiles()[0]!;
      const dir = make();
      // A cache that would fit this very program, planted there: it must not be read.
      if (lstatSync(dir, { throwIfNoEntry: false })) copyFileSync(join(cacheDir, valid), join(dir, valid));
      const program = loadProgram(file, { cacheDir: dir });
      expect(program.cache).toBe("off");
      expect(await (program.exports.main as (a: string[]) => Promise<number[]>)(["6"])).toEqual([36]);
      const before = readdirSync(scratch, { recursive: true }).map(String).sort();
      program.saveCache();
      expect(readdirSync(scratch, { recursive: true }).map(String).sort()).toEqual(before);
    });
  });

  it("SKILLS_CODE_CACHE=off starts without one", () => {
    const saved = process.env.SKILLS_CODE_CACHE;
    process.env.SKILLS_CODE_CACHE = "off";
    try {
      expect(loadProgram(writeProgram("exec", "0123456789abcdef0123", BODY)).cache).toBe("off");
    } finally {
      if (saved === undefined) delete process.env.SKILLS_CODE_CACHE;
      else process.env.SKILLS_CODE_CACHE = saved;
    }
  });
});
