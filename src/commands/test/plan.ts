/** Planning a skill's tests: load the skill and its tests/*.yaml; what cannot be read becomes an error case. */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Problem } from "../../contracts/problem.js";
import { lockFingerprints, lockTools } from "../../core/testing/fingerprintCheck.js";
import { cassetteNameOf, parseTestFile } from "../../core/testing/parseTestFile.js";
import type { Cassette, LocatedTestCase } from "../../core/testing/types.js";
import { readCassette } from "../../mcp/cassette/index.js";
import { loadMcpConfig } from "../../mcp/config.js";
import { loadSkill } from "../../store/loadSkill.js";
import { codeCallsTools } from "../shared/emptyCassettes.js";
import { analyseSkillCode } from "../shared/codeAnalysis.js";
import { displayPath } from "../../core/paths.js";
import { errorCase, modeOf, problemAt, type SkillPlan, type TestOptions } from "./types.js";

const TEST_GLOB = /\.ya?ml$/;

/** Loads the skill and its test files. Problems become error cases of that skill; nothing here throws for bad input. */
export async function planSkill(
  dir: string,
  options: TestOptions,
  project: { python?: string; cacheDir?: string } = {},
): Promise<{ plan: SkillPlan; cases: LocatedTestCase[] }> {
  const cwd = options.cwd;
  const plan: SkillPlan = {
    dir,
    name: dir.split("/").pop() ?? dir,
    results: [],
    pending: 0,
    started: 0,
    warnings: [],
    lockTools: [],
  };
  const loaded = await loadSkill(dir);
  if (!loaded.ok) {
    const problems = loaded.errors.map((p) => ({ ...p, file: displayPath(p.file, cwd) }));
    plan.results.push(
      errorCase("(skill)", displayPath(join(dir, "manifest.yaml"), cwd), problems[0]?.line ?? 1, problems, "replay"),
    );
    return { plan, cases: [] };
  }
  if (loaded.value.kind === "instruction") {
    // Nothing runs in an instruction skill: it is listed with a word, not failed.
    plan.name = loaded.value.name;
    plan.instruction = true;
    plan.warnings.push({
      ...problemAt(
        displayPath(join(dir, "manifest.yaml"), cwd),
        "NOT_RUNNABLE",
        `${loaded.value.name} is an instruction skill (SKILL.md without manifest.yaml): it has no code to test`,
        1,
        "add manifest.yaml and an entry to make it runnable (docs/skill-format.md); `skills validate` checks its SKILL.md",
      ),
      severity: "warning",
    });
    return { plan, cases: [] };
  }
  plan.skill = loaded.value;
  plan.name = loaded.value.name;
  const skill = loaded.value;
  // Asked only by a case that replays a never-recorded cassette; a broken analysis counts as "calls none".
  let calls: Promise<boolean> | undefined;
  plan.callsTools = () =>
    (calls ??= analyseSkillCode([skill], project)
      .then(([analysis]) => (analysis ? codeCallsTools(analysis, skill) : false))
      .catch(() => false));
  const testsDir = join(dir, "tests");
  let files: string[] = [];
  try {
    files = (await readdir(testsDir)).filter((f) => TEST_GLOB.test(f)).sort();
  } catch {
    files = [];
  }
  const cases: LocatedTestCase[] = [];
  const names = new Map<string, string>();
  for (const name of files) {
    const file = displayPath(join(testsDir, name), cwd);
    const text = await readTestFile(join(testsDir, name));
    if (text instanceof Error) {
      plan.results.push(
        errorCase(
          `tests/${name}`,
          file,
          1,
          [problemAt(file, "TEST_CASE_INVALID", `cannot read: ${text.message}`)],
          "replay",
        ),
      );
      continue;
    }
    const parsed = parseTestFile(text, file);
    if (!parsed.ok) {
      plan.results.push(errorCase(`tests/${name}`, file, parsed.errors[0]?.line ?? 1, parsed.errors, "replay"));
      continue;
    }
    for (const located of parsed.value) {
      const previous = names.get(located.case.name);
      if (previous) {
        plan.results.push(
          errorCase(
            located.case.name,
            file,
            located.line,
            [
              problemAt(
                file,
                "TEST_CASE_INVALID",
                `duplicate case name "${located.case.name}" (also in ${previous})`,
                located.line,
                "case names must be unique within a skill: they name the cassette",
              ),
            ],
            modeOf(located, options),
          ),
        );
        continue;
      }
      names.set(located.case.name, file);
      cases.push(located);
    }
  }
  const lock = await readLock(dir);
  plan.lockTools = lockTools(lock);
  plan.expectedFingerprints = await expectedFingerprints(dir, cases, lock);
  plan.warnings.push(...(await unusedCassettes(dir, cases, cwd)));
  return { plan, cases };
}

/** A test file is small: over 1 MiB is refused unread (a clear error, not a parser stuck on a huge document). */
const MAX_TEST_FILE_BYTES = 1024 * 1024;

async function readTestFile(path: string): Promise<string | Error> {
  try {
    const size = (await stat(path)).size;
    if (size > MAX_TEST_FILE_BYTES) return new Error(`the file is ${size} bytes; test files are limited to 1 MiB`);
    return await readFile(path, "utf8");
  } catch (error) {
    return error as Error;
  }
}

/** The skill's tools.lock.json, if any. A broken one is `skills lock`'s / `validate`'s to report: here it is ignored. */
async function readLock(dir: string): Promise<unknown> {
  const text = await readFile(join(dir, "tools.lock.json"), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Cassettes no case refers to: left over from renamed or deleted cases. */
async function unusedCassettes(dir: string, cases: LocatedTestCase[], cwd: string): Promise<Problem[]> {
  const files = await readdir(join(dir, "cassettes")).catch(() => [] as string[]);
  const used = new Set(cases.map((c) => cassetteNameOf(c.case)));
  return files
    .filter((name) => name.endsWith(".json") && !used.has(name))
    .sort()
    .map((name) => ({
      ...problemAt(
        displayPath(join(dir, "cassettes", name), cwd),
        "CASSETTE_UNUSED",
        "no test case uses this cassette",
        1,
        "delete it, or point a case at it with `cassette:`",
      ),
      severity: "warning" as const,
    }));
}

/** Fingerprints the cassettes should have: the lock file's, else the newest cassette's. */
async function expectedFingerprints(
  dir: string,
  cases: LocatedTestCase[],
  lock: unknown,
): Promise<{ map: Map<string, string>; against: string } | undefined> {
  const locked = lockFingerprints(lock);
  if (locked.size > 0) return { map: locked, against: "tools.lock.json" };
  let newest: { cassette: Cassette; name: string } | undefined;
  for (const name of new Set(cases.map((c) => cassetteNameOf(c.case)))) {
    const read = await readCassette(join(dir, "cassettes", name));
    if (!read.ok) continue;
    if (!newest || (read.value.recordedAt ?? "") > (newest.cassette.recordedAt ?? ""))
      newest = { cassette: read.value, name };
  }
  if (!newest) return undefined;
  return {
    map: new Map(newest.cassette.tools.map((t) => [`${t.server}/${t.name}`, t.fingerprint])),
    against: `cassettes/${newest.name}`,
  };
}

/** Env and header values of the configured servers: they must never reach a cassette. */
export async function configSecrets(options: TestOptions): Promise<string[]> {
  try {
    const config = await loadMcpConfig({
      cwd: options.cwd,
      ...(options.configPath ? { configPath: options.configPath } : {}),
    });
    return Object.values(config.servers).flatMap((server) =>
      server.type === "http" ? Object.values(server.headers) : Object.values(server.env),
    );
  } catch {
    return [];
  }
}
