/**
 * `skills lock [skills..] [--check]`: pins what each tool dependency looks like now in the skill's tools.lock.json
 * (server, versions, the raw tools/list entry, its hashes). The catalog cache answers when it is current, so
 * locking costs no server start. `--check` writes nothing and fails when a lock is missing or stale.
 */
import { join } from "node:path";
import type { ToolsLock } from "../contracts/compat.js";
import { buildLock, LOCK_FILE, lockDrift, type LockDrift } from "../core/compat/lockfile.js";
import { type ErrorKind, ERROR_CODES, type ErrorCode } from "../errors.js";
import { loadSkill } from "../store/loadSkill.js";
import { readLockFile, writeLockFile } from "../store/lockFile.js";
import { lockEntries, openLiveCatalog, type LiveCatalog } from "./compat/live.js";
import { selectSkills } from "./compat/skills.js";
import { displayPath } from "./run.js";

export interface LockOptions {
  cwd: string;
  /** Skill folders, folders of skills or skill names; default: the configured roots. */
  paths?: string[];
  /** Write nothing; report missing and stale locks. */
  check?: boolean;
  configPath?: string;
  /** Ask the servers even when the catalog cache is current. */
  refresh?: boolean;
  onStatus?: (message: string) => void;
}

export type SkillLockStatus = "written" | "unchanged" | "stale" | "missing" | "no-tools" | "error";

export interface SkillLockResult {
  name: string;
  /** Skill folder, relative to the working directory. */
  dir: string;
  /** The lock file, relative to the working directory. */
  file: string;
  status: SkillLockStatus;
  /** `server/tool` keys locked (or that would be). */
  tools: string[];
  /** With --check: how the lock on disk differs. */
  drift?: LockDrift;
  errors: {
    tool?: string;
    code: string;
    message: string;
    hint?: string;
    file?: string;
    line?: number;
    column?: number;
  }[];
}

export interface LockResult {
  ok: boolean;
  check: boolean;
  skills: SkillLockResult[];
  summary: Record<SkillLockStatus, number>;
}

export async function lockSkills(options: LockOptions): Promise<LockResult> {
  const { dirs, config } = await selectSkills(options.cwd, options.paths ?? []);
  const loaded = await Promise.all(dirs.map((dir) => loadSkill(dir, { displayDir: displayPath(dir, options.cwd) })));
  const servers = new Set<string>();
  for (const result of loaded) {
    if (!result.ok) continue;
    for (const key of Object.keys(result.value.manifest.tools ?? {})) servers.add(key.slice(0, key.indexOf("/")));
  }
  const live = await openLiveCatalog({
    cwd: options.cwd,
    cacheDir: config.cacheDir,
    servers: [...servers],
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.refresh ? { refresh: true } : {}),
    ...(options.onStatus ? { onStatus: options.onStatus } : {}),
  });
  const skills: SkillLockResult[] = [];
  try {
    for (const [index, dir] of dirs.entries()) {
      const result = loaded[index]!;
      const shownDir = displayPath(dir, options.cwd);
      const base = { dir: shownDir, file: displayPath(join(dir, LOCK_FILE), options.cwd), tools: [] as string[] };
      if (!result.ok) {
        const first = result.errors[0]!;
        skills.push({
          ...base,
          name: dir.split(/[\\/]/).pop() ?? shownDir,
          status: "error",
          errors: [
            {
              code: "SKILL_INVALID",
              message: `${first.code}: ${first.message}`,
              file: first.file,
              line: first.line,
              column: first.column,
              hint: "fix it (`skills validate` lists every problem), then lock again",
            },
          ],
        });
        continue;
      }
      skills.push(
        await lockOne(
          result.value.name,
          dir,
          Object.keys(result.value.manifest.tools ?? {}),
          live,
          base,
          options.check ?? false,
        ),
      );
    }
  } finally {
    await live.close();
  }
  const summary: Record<SkillLockStatus, number> = {
    written: 0,
    unchanged: 0,
    stale: 0,
    missing: 0,
    "no-tools": 0,
    error: 0,
  };
  for (const skill of skills) summary[skill.status]++;
  return { ok: summary.error + summary.stale + summary.missing === 0, check: options.check ?? false, skills, summary };
}

async function lockOne(
  name: string,
  dir: string,
  keys: string[],
  live: LiveCatalog,
  base: { dir: string; file: string; tools: string[] },
  check: boolean,
): Promise<SkillLockResult> {
  const current = await readLockFile(dir, base.file);
  if (keys.length === 0 && current.status === "missing") return { ...base, name, status: "no-tools", errors: [] };
  const { entries, problems } = lockEntries(keys.sort(), live);
  if (problems.length > 0) {
    return { ...base, name, tools: keys, status: "error", errors: problems };
  }
  const lock: ToolsLock = buildLock(entries);
  const tools = Object.keys(lock.tools);
  if (check) {
    if (current.status === "missing") return { ...base, name, tools, status: "missing", errors: [] };
    if (current.status === "invalid") {
      return {
        ...base,
        name,
        tools,
        status: "stale",
        errors: current.errors.map((p) => ({
          code: p.code,
          message: p.message,
          file: p.file,
          line: p.line,
          column: p.column,
          ...(p.hint ? { hint: p.hint } : {}),
        })),
      };
    }
    const drift = lockDrift(current.lock, lock);
    const stale = drift.missing.length + drift.extra.length + drift.changed.length > 0;
    return { ...base, name, tools, status: stale ? "stale" : "unchanged", ...(stale ? { drift } : {}), errors: [] };
  }
  try {
    const written = await writeLockFile(dir, lock);
    return { ...base, name, tools, status: written ? "written" : "unchanged", errors: [] };
  } catch (error) {
    return {
      ...base,
      name,
      tools,
      status: "error",
      errors: [
        {
          code: "OUTPUT_WRITE_FAILED",
          message: `cannot write ${base.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          hint: "check that the skill folder is writable",
        },
      ],
    };
  }
}

/** The kind of the worst error in a result (for the exit code): input problems are 2, the rest 1. */
export function lockErrorKind(result: LockResult): ErrorKind | undefined {
  let kind: ErrorKind | undefined;
  for (const skill of result.skills) {
    for (const error of skill.errors) {
      const k = (ERROR_CODES as Record<string, ErrorKind>)[error.code as ErrorCode] ?? "check";
      if (k === "input" || k === "usage") return "input";
      kind ??= k;
    }
  }
  return kind;
}
