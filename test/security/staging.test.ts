/**
 * Staging a skill folder for the sandbox never follows a link: links that leave the folder (or lead nowhere) are
 * refused with an error naming them, host-only folders (.git, node_modules, tests, cassettes) are scanned too, the
 * entry file must really be inside the folder, and no host file or folder changes its mode, whatever the folder
 * holds. Real skill folders in temp folders, real bwrap, both languages, cold runs and a warm pool.
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunRequest, RunResult, Runner } from "../../src/contracts/run.js";
import { createRunner } from "../../src/sandbox/index.js";
import { FileChanged, placeFile } from "../../src/sandbox/linkTree.js";
import { stageSkill } from "../../src/sandbox/skillStage.js";
import { findEscapingSymlinks } from "../../src/store/scanSymlinks.js";
import { loadSkill } from "../../src/store/loadSkill.js";
import { everythingSaid } from "./helpers.js";

let base: string;
let outside: string;
const secret = `private-${randomBytes(8).toString("hex")}`;
let cold: Runner;
let pooled: Runner;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "skills-stage-sec-"));
  chmodSync(base, 0o755);
  outside = join(base, "outside");
  mkdirSync(join(outside, "privdir"), { recursive: true });
  writeFileSync(join(outside, "private.txt"), secret, { mode: 0o600 });
  writeFileSync(join(outside, "privdir", "inner.txt"), secret, { mode: 0o600 });
  writeFileSync(join(outside, "privdir", "main.py"), `this is not python: ${secret}\n`, { mode: 0o600 });
  writeFileSync(join(outside, "privdir", "main.ts"), `this is not typescript: ${secret}\n`, { mode: 0o600 });
  chmodSync(join(outside, "privdir"), 0o700);
  chmodSync(outside, 0o755);
  cold = createRunner({ requireIsolation: true });
  pooled = createRunner({ requireIsolation: true, pool: { python: 1, typescript: 1 } });
});

afterAll(async () => {
  await Promise.all([cold.close(), pooled.close()]);
  rmSync(base, { recursive: true, force: true });
});

const PY = "def run(input):\n    return 'ran'\n";
const TS = "export async function run() { return 'ran'; }\n";

/** Modes of every path under `dir` (lstat: a link's own entry), to compare before and after a run. */
function modes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (path: string) => {
    const stat = lstatSync(path);
    out[path] = stat.mode;
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return out;
}

function skillWith(language: "python" | "typescript", links: Record<string, string>, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(base, "skill-"));
  chmodSync(dir, 0o755);
  const entry = language === "python" ? "main.py" : "main.ts";
  writeFileSync(join(dir, entry), language === "python" ? PY : TS);
  for (const [path, content] of Object.entries(extra)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    symlinkSync(target, join(dir, path));
  }
  return { dir, entry };
}

interface Attempt {
  result?: RunResult;
  error?: { code?: string; message: string };
  /** Everything the attempt told the caller. */
  said: string;
}

/** Runs the request on a cold runner and on a warm pool (staging at hand-off); a refusal is a thrown SkillsError. */
async function runBoth(request: RunRequest): Promise<Attempt[]> {
  const out: Attempt[] = [];
  for (const runner of [cold, pooled]) {
    try {
      const result = await runner.run(request);
      out.push({ result, said: everythingSaid(result) });
    } catch (error) {
      const { code, message } = error as { code?: string; message: string };
      out.push({ error: { code, message }, said: `${code} ${message}` });
    }
  }
  return out;
}

describe.each(["python", "typescript"] as const)("%s: staging a skill folder", (language) => {
  test("links to a 0600 file and a 0700 folder outside, in a staged sub folder: refused by name, no mode changes", async () => {
    const { dir, entry } = skillWith(language, {
      "sub/secret.txt": join(outside, "private.txt"),
      "sub/data": join(outside, "privdir"),
    });
    const before = { ...modes(outside), ...modes(dir) };
    for (const attempt of await runBoth({ language, tools: [], skillDir: dir, entryFile: entry })) {
      expect(attempt.error?.code).toBe("SKILL_LINK_ESCAPES");
      expect(attempt.error?.message).toMatch(/sub\/(secret\.txt|data) is a link to .*, outside the skill folder/);
      expect(attempt.said).not.toContain(secret);
    }
    expect({ ...modes(outside), ...modes(dir) }).toEqual(before);
  });

  test("links inside .git/, node_modules/, tests/ and a nested .git/ are refused too; nothing changes mode", async () => {
    for (const place of [".git/hooks", "node_modules/pkg", "tests", "lib/.git"]) {
      const { dir, entry } = skillWith(language, {
        [`${place}/file`]: join(outside, "private.txt"),
        [`${place}/dir`]: join(outside, "privdir"),
        // a relative way out too (a link to /etc here once made /etc/shadow world-readable)
        [`${place}/up`]: `${"../".repeat(place.split("/").length + 1)}outside`,
      });
      const before = { ...modes(outside), ...modes(dir) };
      for (const attempt of await runBoth({ language, tools: [], skillDir: dir, entryFile: entry })) {
        expect(attempt.error?.code, place).toBe("SKILL_LINK_ESCAPES");
        expect(attempt.error?.message).toContain(`${place}/`);
        expect(attempt.error?.message).toMatch(/outside the skill folder/);
      }
      expect({ ...modes(outside), ...modes(dir) }).toEqual(before);
    }
  });

  test("an entry reached through a linked sub folder is refused; the linked file never shows", async () => {
    const { dir } = skillWith(language, { lib: join(outside, "privdir") });
    const entry = language === "python" ? "lib/main.py" : "lib/main.ts";
    const before = modes(outside);
    for (const attempt of await runBoth({ language, tools: [], skillDir: dir, entryFile: entry })) {
      expect(attempt.said).not.toContain(secret);
      expect(attempt.error?.code).toMatch(/SKILL_LINK_ESCAPES|ENTRY_OUTSIDE/);
      expect(attempt.error?.message).toMatch(/lib/);
    }
    expect(modes(outside)).toEqual(before);
  });

  test("a 0600 file and a link to it inside the folder: the run reads both, the file stays 0600", async () => {
    const { dir } = skillWith(language, { "alias.txt": "private.txt", "more/alias2.txt": "../private.txt" });
    writeFileSync(join(dir, "private.txt"), "inside-data", { mode: 0o600 });
    chmodSync(join(dir, "private.txt"), 0o600);
    mkdirSync(join(dir, "closed"), { mode: 0o700 });
    chmodSync(join(dir, "closed"), 0o700);
    const code =
      language === "python"
        ? "def run(input):\n    return [open('/skill/' + p).read() for p in ['private.txt', 'alias.txt', 'more/alias2.txt']]\n"
        : "import { readFileSync } from 'node:fs';\nexport async function run() { return ['private.txt', 'alias.txt', 'more/alias2.txt'].map((p) => readFileSync('/skill/' + p, 'utf8')); }\n";
    writeFileSync(join(dir, language === "python" ? "main.py" : "main.ts"), code);
    const before = modes(dir);
    const entry = language === "python" ? "main.py" : "main.ts";
    for (const attempt of await runBoth({ language, tools: [], skillDir: dir, entryFile: entry })) {
      expect(attempt.error).toBeUndefined();
      expect(attempt.result?.error).toBeUndefined();
      expect(attempt.result?.result).toEqual(["inside-data", "inside-data", "inside-data"]);
    }
    expect(modes(dir)).toEqual(before);
    expect(statSync(join(dir, "private.txt")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "closed")).mode & 0o777).toBe(0o700);
  });
});

describe("a file swapped for a link after the walk", () => {
  test.each([
    ["a readable file (hard-linked)", 0o644],
    ["a private file (copied)", 0o600],
  ])("%s is neither linked nor read: the staged file must be the one the walk saw", (_name, mode) => {
    const dir = mkdtempSync(join(base, "swap-"));
    const file = join(dir, "data.txt");
    writeFileSync(file, "planned", { mode });
    chmodSync(file, mode);
    const planned = lstatSync(file);
    rmSync(file);
    symlinkSync(join(outside, "private.txt"), file);
    const dest = mkdtempSync(join(base, "dest-"));
    expect(() => placeFile(file, join(dest, "data.txt"), planned)).toThrow(FileChanged);
    expect(readdirSync(dest)).toEqual([]);
    // the same through a folder swapped for a link: the inode gives it away
    rmSync(file);
    const sub = join(dir, "sub");
    mkdirSync(sub);
    writeFileSync(join(sub, "x.txt"), "planned", { mode });
    chmodSync(join(sub, "x.txt"), mode);
    const before = lstatSync(join(sub, "x.txt"));
    rmSync(sub, { recursive: true });
    mkdirSync(join(outside, "swapped"), { recursive: true });
    writeFileSync(join(outside, "swapped", "x.txt"), secret, { mode });
    symlinkSync(join(outside, "swapped"), sub);
    expect(() => placeFile(join(sub, "x.txt"), join(dest, "x.txt"), before)).toThrow(FileChanged);
    expect(readdirSync(dest)).toEqual([]);
    rmSync(join(outside, "swapped"), { recursive: true });
  });
});

describe("the scans have no silent limit", () => {
  test("the link scan looks inside .git and node_modules", async () => {
    const { dir } = skillWith("python", {
      ".git/objects/link": join(outside, "private.txt"),
      "node_modules/a/b/link": "/etc",
    });
    const found = await findEscapingSymlinks(dir);
    expect(found.map((link) => link.path).sort()).toEqual([".git/objects/link", "node_modules/a/b/link"]);
    const loaded = await loadSkill(dir);
    const codes = loaded.ok ? [] : loaded.errors.map((problem) => problem.code);
    expect(codes).toContain("SYMLINK_ESCAPE");
  });

  test("over the entry limit, the link scan fails naming the limit (a link past it is not passed over)", async () => {
    const { dir } = skillWith("python", {});
    mkdirSync(join(dir, "node_modules", "many"), { recursive: true });
    for (let i = 0; i < 60; i++) writeFileSync(join(dir, "node_modules", "many", `f${i}`), "");
    symlinkSync("/etc", join(dir, "node_modules", "many", "zz-link"));
    await expect(findEscapingSymlinks(dir, { maxEntries: 50 })).rejects.toMatchObject({
      code: "SKILL_TOO_LARGE",
      message: expect.stringMatching(/more than 50 entries/),
    });
  });

  test("over the entry limit, staging fails naming the limit", () => {
    const { dir } = skillWith("python", {});
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `f${i}.txt`), "");
    const dest = mkdtempSync(join(base, "dest-"));
    expect(() => stageSkill(dir, dest, { maxEntries: 20 })).toThrow(/more than 20 entries/);
  });
});
