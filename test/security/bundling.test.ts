/**
 * Bundling a TypeScript/JavaScript program happens on the host (esbuild), before the sandbox starts: it may read only
 * the skill's own files (or nothing but the program, for exec) and the generated SDK, only as code or JSON, and it
 * runs in a child process with the run's timeout and a memory cap. Every case runs through the real runner (real
 * esbuild, real bwrap) against skill folders made in temp folders.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunRequest, RunResult } from "../../src/contracts/run.js";
import { runProgram } from "../../src/sandbox/index.js";
import { stopBundlers } from "../../src/sandbox/bundler.js";
import { descendantsOf, everythingSaid, settle } from "./helpers.js";

let base: string;
let outside: string;
const secret = `outside-secret-${randomBytes(8).toString("hex")}`;
const envCanary = `env-canary-${randomBytes(8).toString("hex")}`;

beforeAll(() => {
  process.env.SKILLS_BUNDLE_CANARY = envCanary;
  base = mkdtempSync(join(tmpdir(), "skills-bundle-sec-"));
  chmodSync(base, 0o755);
  outside = join(base, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.ts"), `export default ${JSON.stringify(secret)};\n`);
  writeFileSync(join(outside, "secret.txt"), secret);
  writeFileSync(join(outside, "secret.json"), JSON.stringify({ secret }));
});

afterAll(() => {
  delete process.env.SKILLS_BUNDLE_CANARY;
  rmSync(base, { recursive: true, force: true });
});

/** A skill folder with these files (relative path -> content), returned as its path. */
function skill(files: Record<string, string>): string {
  const dir = mkdtempSync(join(base, "skill-"));
  chmodSync(dir, 0o755);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function run(request: Partial<RunRequest>): Promise<RunResult> {
  return runProgram({
    language: "typescript",
    tools: [],
    requireIsolation: true,
    limits: { timeoutMs: 10_000 },
    ...request,
  } as RunRequest);
}

function expectRefused(result: RunResult, pattern: RegExp): void {
  expect(result.ok).toBe(false);
  expect(result.error?.code).toBe("PROGRAM_ERROR");
  expect(result.error?.message).toMatch(pattern);
  const said = everythingSaid(result);
  expect(said).not.toContain(secret);
  expect(said).not.toContain(envCanary);
  expect(said).not.toContain([...envCanary].reverse().join(""));
}

const OUTSIDE = /outside the skill folder|only files inside/;

describe("bundling reads only the program's own files", () => {
  test("exec: an absolute import of /etc/shadow as text is refused", async () => {
    const result = await run({
      code: 'import s from "/etc/shadow" with { type: "text" };\nexport async function run() { return s; }\n',
    });
    expectRefused(result, OUTSIDE);
    expect(result.error?.message).toContain("/etc/shadow");
  });

  test("exec: /proc/self/environ as text, reversed to dodge the PII scrub, is refused", async () => {
    const result = await run({
      code: 'import e from "/proc/self/environ" with { type: "text" };\nexport async function run() { return [...e].reverse().join(""); }\n',
    });
    expectRefused(result, OUTSIDE);
  });

  test("exec: a plain JS import of a host file (parsed as code, its text would show in the error) is refused", async () => {
    const result = await run({
      language: "javascript",
      code: `import x from ${JSON.stringify(join(outside, "secret.txt"))};\nexport async function run() { return x; }\n`,
    });
    expectRefused(result, OUTSIDE);
  });

  test("exec: relative imports do not resolve against the caller's working folder", async () => {
    const result = await run({
      code: 'import pkg from "./package.json" with { type: "json" };\nexport async function run() { return pkg.name; }\n',
    });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("PROGRAM_ERROR");
    expect(JSON.stringify(result)).not.toContain('"skills"');
  });

  test("exec: a bare import of a package in the toolkit's node_modules is refused", async () => {
    const result = await run({
      code: 'import * as esbuild from "esbuild";\nexport async function run() { return typeof esbuild.build; }\n',
    });
    expectRefused(result, /esbuild/);
  });

  test("skill: ../ climbing out of the skill folder is refused", async () => {
    const dir = skill({
      "main.ts": `import s from "../outside/secret";\nexport async function run() { return s; }\n`,
    });
    const result = await run({ skillDir: dir, entryFile: "main.ts" });
    expectRefused(result, OUTSIDE);
  });

  test("skill: a symlink inside the skill folder to a file outside it is refused", async () => {
    const dir = skill({ "main.ts": `import s from "./lib";\nexport async function run() { return s; }\n` });
    symlinkSync(join(outside, "secret.ts"), join(dir, "lib.ts"));
    const result = await run({ skillDir: dir, entryFile: "main.ts" });
    expect(result.ok).toBe(false);
    expect(everythingSaid(result)).not.toContain(secret);
    // the error names the import, the link and where it really leads
    expect(result.error?.message).toContain('cannot import "./lib"');
    expect(result.error?.message).toMatch(/lib\.ts \(really .*outside\/secret\.ts\) is outside the skill folder/);
  });

  test("skill: a JSON import inside the folder works; other import attributes are refused", async () => {
    const ok = skill({
      "data.json": '{"n": 41}',
      "lib/helper.ts": "export const plus = (n: number) => n + 1;\n",
      "main.ts": `import data from "./data.json" with { type: "json" };\nimport { plus } from "./lib/helper";\nexport async function run() { return plus(data.n); }\n`,
    });
    const good = await run({ skillDir: ok, entryFile: "main.ts" });
    expect(good.error).toBeUndefined();
    expect(good.result).toBe(42);

    const text = skill({
      "notes.txt": "hello",
      "main.ts": `import t from "./notes.txt" with { type: "text" };\nexport async function run() { return t; }\n`,
    });
    expectRefused(await run({ skillDir: text, entryFile: "main.ts" }), /type: "text"|import attribute/);

    const json = skill({
      "main.ts": `import j from "./data.json" with { type: "json", extra: "1" };\nexport async function run() { return j; }\n`,
      "data.json": "{}",
    });
    expectRefused(await run({ skillDir: json, entryFile: "main.ts" }), /import attribute/);
  });

  test("skill: files that are not code or JSON are refused whatever their place (no text/file/binary/dataurl loaders)", async () => {
    const dir = skill({
      "logo.png": "\u0089PNG fake",
      "main.ts": `import logo from "./logo.png";\nexport async function run() { return logo; }\n`,
    });
    expectRefused(await run({ skillDir: dir, entryFile: "main.ts" }), /\.png|only \.ts/);
  });
});

describe("esbuild reads no file on its own", () => {
  test("a package.json, a tsconfig.json and a node_modules above the skill folder, pointing at a secret, are never read", async () => {
    const parent = mkdtempSync(join(base, "parent-"));
    chmodSync(parent, 0o755);
    const secretFile = join(outside, "token.txt");
    writeFileSync(secretFile, `${secret}\n`);
    // esbuild's own resolver reads these wherever they point, and quotes them in its errors
    symlinkSync(secretFile, join(parent, "package.json"));
    writeFileSync(join(parent, "tsconfig.json"), JSON.stringify({ extends: secretFile }));
    mkdirSync(join(parent, "node_modules", "evil"), { recursive: true });
    symlinkSync(secretFile, join(parent, "node_modules", "evil", "package.json"));
    const dir = join(parent, "skill");
    mkdirSync(dir);
    writeFileSync(join(dir, "lib.ts"), "export const y = 41;\n");
    writeFileSync(join(dir, "main.ts"), `import { y } from "./lib";\nexport async function run() { return y + 1; }\n`);
    writeFileSync(join(dir, "evil.ts"), `import e from "evil";\nexport async function run() { return e; }\n`);
    const good = await run({ skillDir: dir, entryFile: "main.ts" });
    expect(good.error).toBeUndefined();
    expect(good.result).toBe(42);
    const evil = await run({ skillDir: dir, entryFile: "evil.ts" });
    expect(evil.ok).toBe(false);
    expect(evil.error?.message).toMatch(/no such package in node_modules inside the skill folder/);
    expect(everythingSaid(evil)).not.toContain(secret.slice(0, 7));
  });

  test("a package in the skill's own node_modules is bundled (exports, main, subpaths); one linked from outside is refused", async () => {
    const dir = skill({
      "node_modules/@acme/util/package.json": JSON.stringify({ exports: { ".": { import: "./esm/index.js" }, "./extra": "./extra.js" } }),
      "node_modules/@acme/util/esm/index.js": "export const twice = (n) => n * 2;\n",
      "node_modules/@acme/util/extra.js": "export const extra = 1;\n",
      "node_modules/plain/package.json": JSON.stringify({ main: "lib/main.js" }),
      "node_modules/plain/lib/main.js": "module.exports = { three: 3 };\n",
      "main.ts": `import { twice } from "@acme/util";\nimport { extra } from "@acme/util/extra";\nimport plain from "plain";\nexport async function run() { return twice(20) + extra + plain.three - 2; }\n`,
    });
    const good = await run({ skillDir: dir, entryFile: "main.ts" });
    expect(good.error).toBeUndefined();
    expect(good.result).toBe(42);
    const linked = skill({ "main.ts": `import s from "secretpkg";\nexport async function run() { return s; }\n` });
    mkdirSync(join(linked, "node_modules"));
    mkdirSync(join(outside, "secretpkg"), { recursive: true });
    writeFileSync(join(outside, "secretpkg", "index.js"), `export default ${JSON.stringify(secret)};\n`);
    symlinkSync(join(outside, "secretpkg"), join(linked, "node_modules", "secretpkg"));
    const refused = await run({ skillDir: linked, entryFile: "main.ts" });
    expect(refused.ok).toBe(false);
    expect(everythingSaid(refused)).not.toContain(secret);
  });
});

describe("bundling stays within the run's limits", () => {
  test("/dev/zero as text ends at once with a clear error, the host does not grow", async () => {
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const result = await run({
      code: 'import z from "/dev/zero" with { type: "text" };\nexport async function run() { return z.length; }\n',
    });
    expectRefused(result, OUTSIDE);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  test("a skill's source over the size cap is refused before esbuild parses it", async () => {
    const dir = skill({
      "main.ts": `import { big } from "./big";\nexport async function run() { return big.length; }\n`,
      "big.ts": `export const big = "${"x".repeat(40 * 1024 * 1024)}";\n`,
    });
    const result = await run({ skillDir: dir, entryFile: "main.ts" });
    expect(result.ok).toBe(false);
    expect(result.error?.message).toMatch(/MiB/);
    expect(result.error?.message).toMatch(/big\.ts|sources/);
  });

  test("a FIFO in the skill folder (would block a reader forever) is refused", async () => {
    const dir = skill({ "main.ts": `import p from "./pipe.ts";\nexport async function run() { return p; }\n` });
    execFileSync("mkfifo", [join(dir, "pipe.ts")]);
    const started = performance.now();
    const result = await run({ skillDir: dir, entryFile: "main.ts" });
    expect(result.ok).toBe(false);
    expect(result.error?.message).toMatch(/not a regular file/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  test("nesting that overflows esbuild's stack ends with a clear error within the run's limits", async () => {
    const dir = skill({
      "main.ts": `import { x } from "./deep";\nexport async function run() { return x; }\n`,
      "deep.ts": `export const x = ${"[".repeat(400_000)}${"]".repeat(400_000)};\n`,
    });
    const started = performance.now();
    const result = await run({ skillDir: dir, entryFile: "main.ts", limits: { timeoutMs: 15_000 } });
    expect(result.ok).toBe(false);
    expect(result.error?.message).toMatch(/bundl/);
    expect(performance.now() - started).toBeLessThan(20_000);
    // and the next bundle works: the bundler was replaced
    const after = await run({ code: "export async function run() { return 7; }\n" });
    expect(after.result).toBe(7);
  }, 40_000);

  test("imports in a cycle (a -> b -> a, a file importing itself) bundle once and run", async () => {
    const dir = skill({
      "a.ts": `import { b } from "./b";\nexport const a = () => 1;\nexport const viaB = () => b() + 1;\n`,
      "b.ts": `import { a } from "./a";\nexport const b = () => a() + 10;\n`,
      "self.ts": `import * as me from "./self";\nexport const n = 30;\nexport const again = () => me.n;\n`,
      "main.ts": `import { viaB } from "./a";\nimport { again } from "./self";\nexport async function run() { return viaB() + again(); }\n`,
    });
    const result = await run({ skillDir: dir, entryFile: "main.ts" });
    expect(result.error).toBeUndefined();
    expect(result.result).toBe(42);
  });

  test("bundling longer than the run's timeout is stopped and says so", async () => {
    const body = Array.from({ length: 60_000 }, (_, i) => `export const v${i} = { a: [${i}, "${i}"], b: () => ${i} };`);
    const dir = skill({
      "main.ts": `import * as big from "./big";\nexport async function run() { return Object.keys(big).length; }\n`,
      "big.ts": body.join("\n"),
    });
    const result = await run({ skillDir: dir, entryFile: "main.ts", limits: { timeoutMs: 50 } });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("TIMEOUT");
    expect(result.error?.message).toMatch(/bundl.*50 ms/);
  }, 30_000);
});

describe("after the bundles", () => {
  test("stopping the bundlers leaves no bundler or esbuild process and no bundler cgroup", async () => {
    const mine = () =>
      descendantsOf(process.pid).filter((proc) => /bundler\/child\.mjs|esbuild/.test(proc.cmdline));
    // one bundle leaves its child idle for the next one (a program with a relative import needs the bundler)
    const dir = skill({
      "main.ts": 'import { one } from "./one";\nexport async function run() { return one; }\n',
      "one.ts": "export const one = 1;\n",
    });
    expect((await run({ skillDir: dir, entryFile: "main.ts" })).result).toBe(1);
    expect(mine().length).toBeGreaterThan(0);
    stopBundlers();
    expect((await settle(mine, 5000)).map((proc) => proc.cmdline)).toEqual([]);
    const cgroups = () =>
      ["memory", "pids", "cpuacct"].flatMap((controller) => {
        const dir = `/sys/fs/cgroup/${controller}/skills-sandbox`;
        return existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith(`bundler-${process.pid}-`)) : [];
      });
    expect(await settle(cgroups, 5000)).toEqual([]);
  });

  test("a program that imports only the SDK and built-ins is transpiled without starting a bundler", async () => {
    stopBundlers();
    const mine = () =>
      descendantsOf(process.pid).filter((proc) => /bundler\/child\.mjs/.test(proc.cmdline));
    await settle(mine, 5000);
    const code = 'import { join } from "node:path";\nexport async function run() { return join("a", "b"); }\n';
    expect((await run({ code })).result).toBe("a/b");
    expect(mine()).toEqual([]);
  });
});
