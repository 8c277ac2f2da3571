/**
 * loadProgram and startProgram (src/cli/program.ts): a program compiled with V8's code cache, the cache read only
 * where nobody but this user and root can have written it, and only when it is intact and made for this very file.
 * Real files in temp folders; the programs are small CommonJS files shaped like the build's. A load that may read a
 * cache runs in a new node process (V8 keeps what it compiled in memory), with the loader bin/skills.js uses
 * (dist/bundle/start.cjs).
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadProgram } from "../../src/cli/program.js";
import { REPO } from "../helpers/cli.js";
import { runNodeScript } from "../helpers/nodeScript.js";

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
const BUILD = "0123456789abcdef0123";

const cacheFiles = (dir = cacheDir) => readdirSync(dir).filter((name) => name.endsWith(".v8"));

/**
 * Loads the program in a new node process, runs main(["7"]) and saves the cache, as bin/skills.js does; returns what
 * became of the cache and what main returned.
 */
function loadInNewProcess(file: string, dir: string): { cache: string; result: number[] } {
  const script = `
    import { loadProgram } from ${JSON.stringify(join(REPO, "dist/bundle/start.cjs"))};
    const program = loadProgram(${JSON.stringify(file)}, { cacheDir: ${JSON.stringify(dir)} });
    const result = await program.exports.main(["7"]);
    program.saveCache();
    console.log(JSON.stringify({ cache: program.cache, result }));
  `;
  return JSON.parse(runNodeScript(script)) as { cache: string; result: number[] };
}

describe("loadProgram", () => {
  it("runs the program as a CommonJS module, in strict mode, with its own require and __filename", async () => {
    const program = loadProgram(writeProgram("exec", BUILD, BODY), { cacheDir });
    expect(await (program.exports.main as (a: string[]) => Promise<number[]>)(["2", "3"])).toEqual([4, 9]);
    expect(program.exports.where).toBe("exec.cjs");
    expect(program.exports.strict).toBe(true);
  });

  it("writes the cache once the program ran, private to this user, and uses it at the next start", () => {
    const file = writeProgram("exec", BUILD, BODY);
    expect(loadInNewProcess(file, cacheDir)).toEqual({ cache: "missing", result: [49] });
    const [written] = cacheFiles();
    expect(written).toMatch(new RegExp(`^exec-${BUILD}-[0-9a-f]+-${process.version}-${process.arch}-[0-9a-f]+\\.v8$`));
    expect(statSync(join(cacheDir, written!)).mode & 0o777).toBe(0o600);
    expect(readdirSync(cacheDir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    const mtime = statSync(join(cacheDir, written!)).mtimeMs;

    expect(loadInNewProcess(file, cacheDir)).toEqual({ cache: "accepted", result: [49] });
    // An accepted cache is not written again.
    expect(statSync(join(cacheDir, written!)).mtimeMs).toBe(mtime);
  });

  it.each([
    ["a file that is not a cache at all", () => Buffer.from("not V8's code cache at all")],
    ["a cache cut short", (cache: Buffer) => cache.subarray(0, cache.length >> 1)],
    [
      "a cache damaged in the middle (V8 would accept it, then crash)",
      (cache: Buffer) => {
        const damaged = Buffer.from(cache);
        for (let i = damaged.length >> 1; i < (damaged.length >> 1) + 64; i++) damaged[i]! ^= 0x40;
        return damaged;
      },
    ],
  ])("does not use %s: runs the program all the same and writes a good one", (_, damage) => {
    const file = writeProgram("run", "fedcba9876543210fedc", BODY);
    loadInNewProcess(file, cacheDir);
    const path = join(cacheDir, cacheFiles()[0]!);
    writeFileSync(path, damage(readFileSync(path)));
    expect(loadInNewProcess(file, cacheDir)).toEqual({ cache: "rejected", result: [49] });
    expect(loadInNewProcess(file, cacheDir)).toEqual({ cache: "accepted", result: [49] });
  });

  it("does not use the cache of a program file that was edited since, even to the same length", () => {
    const file = writeProgram("list", BUILD, `${BODY}\nexports.word = "old";`);
    loadInNewProcess(file, cacheDir);
    writeProgram("list", BUILD, `${BODY}\nexports.word = "new";`);
    const script = `
      import { loadProgram } from ${JSON.stringify(join(REPO, "dist/bundle/start.cjs"))};
      const program = loadProgram(${JSON.stringify(file)}, { cacheDir: ${JSON.stringify(cacheDir)} });
      console.log(JSON.stringify({ cache: program.cache, word: program.exports.word }));
    `;
    expect(JSON.parse(runNodeScript(script))).toEqual({ cache: "missing", word: "new" });
  });

  it("does not read a cache file with a second link (somebody else's name for it)", () => {
    const file = writeProgram("exec", BUILD, BODY);
    loadInNewProcess(file, cacheDir);
    linkSync(join(cacheDir, cacheFiles()[0]!), join(scratch, "elsewhere.v8"));
    expect(loadInNewProcess(file, cacheDir).cache).toBe("rejected");
  });

  it("keeps the four newest caches of a program, whatever the other programs keep, and no stale temp file", () => {
    writeFileSync(join(cacheDir, "exec-left-by-a-killed-start.v8.123.tmp"), "x");
    const old = new Date(Date.now() - 3_600_000);
    spawnSync("touch", ["-d", old.toISOString(), join(cacheDir, "exec-left-by-a-killed-start.v8.123.tmp")]);
    for (const build of ["a", "b", "c", "d", "e", "f"]) {
      loadProgram(writeProgram("exec", build.repeat(20), `${BODY}\nexports.build = "${build}";`), {
        cacheDir,
      }).saveCache();
    }
    loadProgram(writeProgram("run", "9".repeat(20), BODY), { cacheDir }).saveCache();
    expect(readdirSync(cacheDir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    expect(
      cacheFiles()
        .map((name) => name.split("-").slice(0, 2).join("-"))
        .sort(),
    ).toEqual([
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

  describe("never reads or writes a cache somebody else could have written or swapped", () => {
    const folder = (mode: number, parent = scratch) => {
      const dir = join(parent, `other-${mode.toString(8)}`);
      mkdirSync(dir);
      chmodSync(dir, mode);
      return dir;
    };
    const cases: [string, () => string][] = [
      [
        "a link to a private folder",
        () => {
          symlinkSync(folder(0o700), join(scratch, "link"));
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
      // Whoever can write the folder above can swap the cache folder for one of theirs between a check and a read.
      ["a private folder in a folder anybody can write (not sticky)", () => folder(0o700, folder(0o777))],
      [
        "a private folder in another user's folder",
        () => {
          const parent = folder(0o755);
          chownSync(parent, 1000, 1000);
          return folder(0o700, parent);
        },
      ],
      ["a folder that is not there", () => join(scratch, "missing")],
    ];
    it.each(cases)("%s", async (_, make) => {
      const file = writeProgram("exec", BUILD, BODY);
      loadProgram(file, { cacheDir }).saveCache();
      const valid = cacheFiles()[0]!;
      const dir = make();
      // A cache that would fit this very program, planted there: it must not be read.
      if (statSync(dir, { throwIfNoEntry: false })) copyFileSync(join(cacheDir, valid), join(dir, valid));
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
      expect(loadProgram(writeProgram("exec", BUILD, BODY)).cache).toBe("off");
    } finally {
      if (saved === undefined) delete process.env.SKILLS_CODE_CACHE;
      else process.env.SKILLS_CODE_CACHE = saved;
    }
  });
});

describe("startProgram", () => {
  /** Runs `skills <args>` from a program whose main returns `code`, with a temp folder of its own. */
  let starts = 0;
  const start = (code: number, args: string[]) => {
    starts += 1;
    const tmp = join(scratch, `tmp-${starts}`);
    mkdirSync(tmp, { mode: 0o700 });
    const file = writeProgram("test", BUILD, `${BODY}\nexports.main = async () => ${code};`);
    const script = `
      import { startProgram } from ${JSON.stringify(join(REPO, "dist/bundle/start.cjs"))};
      await startProgram(${JSON.stringify(file)}, ["node", "skills", "test", ...${JSON.stringify(args)}]);
    `;
    runNodeScript(script, { env: { ...process.env, TMPDIR: tmp, SKILLS_CODE_CACHE: undefined } });
    const dir = join(tmp, `skills-code-cache-${process.getuid!()}`);
    return readdirSync(dir).filter((name) => name.endsWith(".v8"));
  };

  it("keeps the cache of a command that ran (exit 0 or 1)", () => {
    expect(start(0, ["--json"])).toHaveLength(1);
    expect(start(1, [])).toHaveLength(1);
  });

  it("keeps none after help or a usage error: the next start, which runs the command, writes it", () => {
    expect(start(0, ["--help"])).toEqual([]);
    expect(start(0, ["-h"])).toEqual([]);
    expect(start(2, ["--frobnicate"])).toEqual([]);
  });
});

describe("startProgram with a lead (<name>.lead.cjs beside the program)", () => {
  /** Starts `skills lead-test a b` from a program and its lead; returns what the process printed and its exit status. */
  const startWithLead = (lead: string | null, program: string, timeout = 20_000, header = BUILD) => {
    const file = writeProgram("lead-test", header, program);
    rmSync(join(scratch, "lead-test.lead.cjs"), { force: true });
    if (lead !== null) {
      writeFileSync(
        join(scratch, "lead-test.lead.cjs"),
        `// skills program ${BUILD.replace(/0/g, "1")}\n"use strict";\n${lead}\n`,
      );
    }
    const tmp = join(scratch, "tmp");
    mkdirSync(tmp, { mode: 0o700, recursive: true });
    const script = `
      import { startProgram } from ${JSON.stringify(join(REPO, "dist/bundle/start.cjs"))};
      process.on("exit", () => console.log(JSON.stringify(globalThis.startEvents ?? [])));
      const ran = await startProgram(${JSON.stringify(file)}, ["node", "skills", "lead-test", "a", "b"]);
      (globalThis.startEvents ??= []).push(\`ran: \${ran}\`);
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout,
      env: { ...process.env, TMPDIR: tmp, SKILLS_CODE_CACHE: undefined },
    });
    const cacheDir = join(tmp, `skills-code-cache-${process.getuid!()}`);
    // no folder: nothing was loaded
    const caches = existsSync(cacheDir) ? readdirSync(cacheDir).filter((n) => n.endsWith(".v8")) : [];
    return {
      status: child.status,
      signal: child.signal,
      stderr: child.stderr,
      events: JSON.parse(child.stdout || "null"),
      caches,
    };
  };
  const LEAD = `
    (globalThis.startEvents ??= []).push("lead evaluated");
    exports.shared = { from: "lead" };
    exports.lead = async (argv) => { await new Promise((r) => setTimeout(r, 20)); globalThis.startEvents.push(\`lead \${argv.slice(2).join(" ")}\`); };
    exports.end = async () => { globalThis.startEvents.push("end"); };
  `;
  const PROGRAM = `
    const lead = require("./lead-test.lead.cjs");
    globalThis.startEvents.push(\`program loaded, shares the lead's module: \${lead.shared.from}\`);
    exports.main = async () => { globalThis.startEvents.push("main"); return 0; };
  `;

  it("runs the lead and waits for it before loading the program, which gets the lead's module instance", () => {
    const run = startWithLead(LEAD, PROGRAM);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.events).toEqual([
      "lead evaluated",
      "lead lead-test a b",
      "program loaded, shares the lead's module: lead",
      "main",
      "end",
      "ran: true",
    ]);
    // both compiled with V8's code cache: each keeps its own
    expect(run.caches.map((name) => name.replace(/-[0-9a-f]{20}-.*$/, "")).sort()).toEqual([
      "lead-test",
      "lead-test.lead",
    ]);
  });

  it("runs the program when the lead throws or rejects", () => {
    for (const failing of [
      `exports.lead = () => { throw new Error("lead broke"); };`,
      `exports.lead = async () => { throw new Error("lead broke"); };`,
      `throw new Error("lead does not even load");`,
    ]) {
      const program = `exports.main = async () => { (globalThis.startEvents ??= []).push("main"); process.exitCode = 1; return 1; };`;
      const run = startWithLead(failing, program);
      expect({ failing, status: run.status, stderr: run.stderr, events: run.events }).toEqual({
        failing,
        status: 1,
        stderr: "",
        events: ["main", "ran: true"],
      });
    }
  });

  it("runs nothing and answers false when the program needs its lead and the lead is missing or does not load", () => {
    // bin/skills.js then starts the command from the split bundle (test/e2e/help.test.ts runs that).
    const needing = `${BUILD} needs lead-test.lead.cjs`;
    const program = `(globalThis.startEvents ??= []).push("program loaded"); ${PROGRAM}`;
    for (const lead of [null, `(globalThis.startEvents ??= []).push("lead evaluated"); throw new Error("damaged");`]) {
      const run = startWithLead(lead, program, 20_000, needing);
      expect({ lead, status: run.status, stderr: run.stderr }).toEqual({ lead, status: 0, stderr: "" });
      expect(run.events).toEqual(lead === null ? ["ran: false"] : ["lead evaluated", "ran: false"]);
      expect(run.caches).toEqual([]);
    }
    // A lead whose work fails still gives the program its modules: it runs.
    const working = startWithLead(
      `exports.shared = { from: "lead" }; exports.lead = async () => { throw new Error("no server"); };`,
      program,
      20_000,
      needing,
    );
    expect(working.events).toEqual([
      "program loaded",
      "program loaded, shares the lead's module: lead",
      "main",
      "ran: true",
    ]);
  });

  it("ends what the lead started when the command fails before taking it: the process exits, nothing is left", () => {
    // The lead starts a long process that holds the event loop; the command refuses its arguments before it
    // gets to it. Without the lead's end() the start would never exit.
    const lead = `
      const { spawn } = require("node:child_process");
      let child;
      exports.lead = async () => { child = spawn("sleep", ["30"], { stdio: "ignore" }); globalThis.startEvents = [\`started \${child.pid}\`]; };
      exports.end = async () => { child.kill("SIGKILL"); await new Promise((r) => child.once("exit", r)); globalThis.startEvents.push("ended"); };
    `;
    const program = `exports.main = async () => { process.exitCode = 2; return 2; };`;
    const started = Date.now();
    const run = startWithLead(lead, program, 10_000);
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({
      status: 2,
      signal: null,
      stderr: "",
    });
    expect(Date.now() - started).toBeLessThan(8_000);
    const [first, last] = run.events as string[];
    expect(last).toBe("ended");
    const pid = Number(first!.split(" ")[1]);
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
