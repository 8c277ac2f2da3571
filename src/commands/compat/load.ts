/**
 * What `skills compat` compares for each skill: its manifest (ranges), the lock it was checked against before, and
 * (with --against <ref>) the lock of the work tree. A skill that does not load, has no lock, or a lock that is not
 * valid JSON is an error of its own; the other skills are still checked.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ToolsLock } from "../../contracts/compat.js";
import type { LoadedSkill } from "../../contracts/skill.js";
import { LOCK_FILE } from "../../core/compat/lockfile.js";
import type { GitTree } from "../../git/readAtRef.js";
import type { TextAt } from "../../git/repo.js";
import { loadSkill } from "../../store/loadSkill.js";
import { lockFromText, readLockFile } from "../../store/lockFile.js";
import { displayPath } from "../../core/paths.js";

export interface SkillError {
  code: string;
  message: string;
  file?: string;
  hint?: string;
}

export interface SkillState {
  dir: string;
  /** Relative to the working directory. */
  shown: string;
  manifestFile: string;
  name: string;
  skill?: LoadedSkill;
  error?: SkillError;
  /** `server/tool` -> range, sorted. */
  declared: [string, string][];
  /** The lock compared from (null: none at the ref, every dependency is new). */
  before?: ToolsLock | null;
  /** --against <ref>: the work tree's lock, compared to. */
  after?: ToolsLock;
  manifestLines: Record<string, number>;
  notes: string[];
}

/** The largest lock compat reads at a ref (a lock holds the schemas of the tools a skill uses: kilobytes, usually). */
const MAX_LOCK_AT_REF_BYTES = 64 * 1024 * 1024;

export async function loadStates(
  dirs: string[],
  cwd: string,
  tree: GitTree | undefined,
  ref: string,
  baseDirs: Record<string, string> = {},
): Promise<SkillState[]> {
  const states = await Promise.all(dirs.map((dir) => loadState(dir, cwd, tree !== undefined)));
  if (!tree) return states;
  // the lock at the ref of every skill whose work-tree lock is there to compare, read by one git process
  const comparing = states.filter((state) => state.after !== undefined);
  const texts = await tree.readMany(
    comparing.map((state) => join(baseDirs[state.dir] ?? state.dir, LOCK_FILE)),
    MAX_LOCK_AT_REF_BYTES,
  );
  for (const [index, state] of comparing.entries()) compareFrom(state, texts[index], cwd, ref);
  return states;
}

/** A skill's state as the work tree has it; with `against` (a ref), its lock is `after`, to compare with the ref's. */
async function loadState(dir: string, cwd: string, against: boolean): Promise<SkillState> {
  const shown = displayPath(dir, cwd);
  const manifestFile = displayPath(join(dir, "manifest.yaml"), cwd);
  const state: SkillState = {
    dir,
    shown,
    manifestFile,
    name: dir.split(/[\\/]/).pop() ?? shown,
    declared: [],
    manifestLines: {},
    notes: [],
  };
  const loaded = await loadSkill(dir, { displayDir: shown });
  if (!loaded.ok) {
    const first = loaded.errors[0]!;
    state.error = {
      code: "SKILL_INVALID",
      message: `${first.file}:${first.line}:${first.column} ${first.code}: ${first.message}`,
      file: first.file,
      hint: "fix it (`skills validate` lists every problem), then check again",
    };
    return state;
  }
  state.name = loaded.value.name;
  // An instruction skill (SKILL.md only) runs no code and depends on no tool: nothing to check.
  if (loaded.value.kind === "instruction") return state;
  state.skill = loaded.value;
  state.declared = Object.entries(loaded.value.manifest.tools ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  state.manifestLines = await manifestLines(
    dir,
    state.declared.map(([key]) => key),
  );
  if (state.declared.length === 0) return state;
  const lockShown = displayPath(join(dir, LOCK_FILE), cwd);
  // compat compares hashes with the servers' own: a hand edit shows up as a change anyway
  const work = await readLockFile(dir, lockShown, false);
  if (work.status === "missing") {
    state.error = {
      code: "LOCK_MISSING",
      message: `${lockShown} does not exist: there is nothing to compare the servers with`,
      file: lockShown,
      hint: `run \`skills lock ${shown}\` and commit tools.lock.json with the skill`,
    };
    return state;
  }
  if (work.status === "invalid") {
    const first = work.errors[0]!;
    state.error = {
      code: "LOCK_INVALID",
      message: `${first.file}:${first.line}:${first.column} ${first.message}`,
      file: first.file,
      hint: first.hint ?? "run `skills lock` to write it again",
    };
    return state;
  }
  for (const warning of work.warnings)
    state.notes.push(`${warning.file}:${warning.line}:${warning.column} ${warning.message}`);
  if (against) state.after = work.lock;
  else state.before = work.lock;
  return state;
}

/** What the skill's lock at `ref` (`old`: its text, undefined when it has none there) gives it to compare from. */
function compareFrom(state: SkillState, old: TextAt, cwd: string, ref: string): void {
  const lockShown = displayPath(join(state.dir, LOCK_FILE), cwd);
  if (typeof old === "object") {
    const size = (old.tooLarge / 1024 / 1024).toFixed(1);
    state.error = {
      code: "LOCK_INVALID",
      message: `the lock at ${ref} is ${size} MiB, over the ${MAX_LOCK_AT_REF_BYTES / 1024 / 1024} MiB compat reads: not read`,
      file: lockShown,
      hint: "compare against another ref, or with the servers (--against live)",
    };
    return;
  }
  if (old === undefined) {
    state.before = null;
    state.notes.push(`${lockShown} does not exist at ${ref}: every dependency is new there`);
    return;
  }
  const parsed = lockFromText(old, `${ref}:${lockShown}`);
  if (parsed.status !== "ok") {
    const first = parsed.status === "invalid" ? parsed.errors[0] : undefined;
    state.error = {
      code: "LOCK_INVALID",
      message: first
        ? `${first.file}:${first.line}:${first.column} ${first.message}`
        : `the lock at ${ref} cannot be read`,
      file: lockShown,
      hint: `the lock committed at ${ref} is broken: compare against another ref, or with the servers (--against live)`,
    };
    return;
  }
  state.before = parsed.lock;
}

/** The line of each `tools:` key in manifest.yaml (annotations point there); a plain scan, the YAML was parsed once. */
async function manifestLines(dir: string, keys: string[]): Promise<Record<string, number>> {
  const lines: Record<string, number> = {};
  const text = await readFile(join(dir, "manifest.yaml"), "utf8").catch(() => "");
  const rows = text.split(/\r\n|\r|\n/);
  for (const key of keys) {
    const at = rows.findIndex((row) => {
      const trimmed = row.trimStart();
      return [key, `"${key}"`, `'${key}'`].some(
        (written) => trimmed.startsWith(written) && /^\s*:/.test(trimmed.slice(written.length)),
      );
    });
    lines[key] = at >= 0 ? at + 1 : 1;
  }
  return lines;
}
