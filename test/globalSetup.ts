/**
 * The test run's state outside the repository: every run a test makes in the repo itself (its skills, its .mcp.json)
 * logs to a temporary run log and caches in a temporary folder (SKILLS_RUN_LOG, SKILLS_CACHE_DIR, inherited by every
 * CLI a test spawns), and the run fails if anything was written to the repository's own .skills/runs or .skills/cache,
 * or to the memory server's graph there (.skills/memory.jsonl: tests keep theirs in a temporary folder,
 * test/helpers/testServers.ts). Tests of the run log itself work in temporary projects and unset SKILLS_RUN_LOG
 * (test/helpers/project.ts).
 *
 * NODE_EXTRA_CA_CERTS is dropped for the same inheritance: Node reads and parses the bundle at every start (about
 * 50 ms of CPU, more than `node -e 0` itself), the run starts hundreds of node processes (the CLI, MCP servers,
 * fixtures), and none of them makes a TLS connection.
 *
 * The MCP servers most tests spawn are bundled here, once per run (test/helpers/testServers.ts).
 *
 * TMPDIR moves to a folder of the run's own on a RAM file system, when there is one with room (test/helpers/tmp.ts:
 * why, and the tests that keep to the disk's temporary folder). It is removed at the end, with what was left in it.
 */
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildTestServers, TEST_SERVERS_ENV } from "./helpers/testServers.js";
import { DISK_TMP_ENV, ramTmpdir, removeRunFolder } from "./helpers/tmp.js";

const REPO = resolve(import.meta.dirname, "..");
const GUARDED = [join(REPO, ".skills", "runs"), join(REPO, ".skills", "cache"), join(REPO, ".skills", "memory.jsonl")];

/** Every file under the folders (or the file itself), with its size and change time. */
function snapshot(): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info) return;
    if (!info.isDirectory()) {
      out.push(`${path} ${info.size} ${info.mtimeMs}`);
      return;
    }
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    for (const name of names) walk(join(path, name));
  };
  for (const path of GUARDED) walk(path);
  return out.sort();
}

/** Set by the first setup of the run: vitest calls a global setup once per project (the root and each of its own). */
const DONE = Symbol.for("skills.test.globalSetup");

export default async function setup(): Promise<() => void> {
  // each project loads this file anew: the mark lives on globalThis, shared by them all
  const run = globalThis as { [DONE]?: true };
  if (run[DONE]) return () => {};
  run[DONE] = true;
  // first: every folder made from here on (and by the workers, which inherit TMPDIR) goes there; a TMPDIR set by
  // whoever runs the tests is theirs to choose
  const ram = process.env.TMPDIR ? undefined : ramTmpdir();
  if (ram) {
    process.env[DISK_TMP_ENV] = tmpdir();
    process.env.TMPDIR = ram;
  }
  const state = mkdtempSync(join(tmpdir(), "skills-test-state-"));
  process.env.SKILLS_RUN_LOG = join(state, "runs", "runs.jsonl");
  process.env.SKILLS_CACHE_DIR = join(state, "cache");
  delete process.env.NODE_EXTRA_CA_CERTS;
  // outside `state`, which is private: readable by a run as a normal user, should a test start one with them
  const servers = mkdtempSync(join(tmpdir(), "skills-test-servers-"));
  process.env[TEST_SERVERS_ENV] = servers;
  const removeAll = () => {
    for (const dir of [state, servers, ...(ram ? [ram] : [])]) removeRunFolder(dir);
  };
  // vitest stopped by Ctrl-C exits without calling the teardown below
  process.once("exit", removeAll);
  try {
    await buildTestServers(servers);
  } catch (error) {
    removeAll();
    throw error;
  }
  const before = snapshot();
  return () => {
    process.off("exit", removeAll);
    removeAll();
    const after = snapshot();
    const changed = after.filter((line) => !before.includes(line));
    if (changed.length > 0) {
      // vitest reports an error thrown here but still exits 0: set the exit code too.
      process.exitCode = 1;
      throw new Error(
        `tests wrote into the repository's own .skills/ (use a temporary project or config):\n  ${changed.join("\n  ")}`,
      );
    }
  };
}
