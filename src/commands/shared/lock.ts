/**
 * Locking skills: what each tool dependency looks like now, pinned in the skill's tools.lock.json (server, versions,
 * the raw tools/list entry, its hashes). The catalog cache answers when it is current, so locking costs no server
 * start. `skills lock` reports it; `skills new`, `skills test --record` and `save_skill` of `skills serve` lock the
 * skills they touch with it.
 */
import { join } from "node:path";
import type { LockedTool, ToolsLock } from "../../contracts/compat.js";
import { buildLock, LOCK_FILE, lockDrift, type LockDrift, lockTool } from "../../core/compat/lockfile.js";
import { displayPath } from "../../core/paths.js";
import { closestMatches } from "../../core/validate/suggest.js";
import { type LiveCatalog, openLiveCatalog } from "../../mcp/liveCatalog.js";
import { loadSkill } from "../../store/loadSkill.js";
import { readLockFile, writeLockFile } from "../../store/lockFile.js";
import { selectSkills } from "./selectSkills.js";

export interface LockOptions {
  cwd: string;
  /** Skill folders, folders of skills or skill names; default: the configured roots. */
  paths?: string[];
  /** Write nothing; report missing and stale locks. */
  check?: boolean;
  configPath?: string;
  /** Ask the servers even when the catalog cache is current. */
  refresh?: boolean;
  /**
   * The tools to lock from, when the caller has them already (`skills serve` keeps its servers connected): no cache
   * is read and no server started. The caller keeps it open.
   */
  catalog?: LiveCatalog;
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

/** Locks (or with `check`, checks the locks of) the selected skills; one result per skill, in folder order. */
export async function lockSkillFolders(options: LockOptions): Promise<SkillLockResult[]> {
  const { dirs, config } = await selectSkills(options.cwd, options.paths ?? []);
  const loaded = await Promise.all(dirs.map((dir) => loadSkill(dir, { displayDir: displayPath(dir, options.cwd) })));
  const servers = new Set<string>();
  for (const result of loaded) {
    if (!result.ok) continue;
    for (const key of Object.keys(result.value.manifest.tools ?? {})) servers.add(key.slice(0, key.indexOf("/")));
  }
  const live =
    options.catalog ??
    (await openLiveCatalog({
      cwd: options.cwd,
      cacheDir: config.cacheDir,
      servers: [...servers],
      ...(options.configPath ? { configPath: options.configPath } : {}),
      ...(options.refresh ? { refresh: true } : {}),
      ...(options.onStatus ? { onStatus: options.onStatus } : {}),
    }));
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
    if (live !== options.catalog) await live.close();
  }
  return skills;
}

async function lockOne(
  name: string,
  dir: string,
  keys: string[],
  live: LiveCatalog,
  base: { dir: string; file: string; tools: string[] },
  check: boolean,
): Promise<SkillLockResult> {
  // Writing compares the new text with the file's; only --check (or a skill without tools) needs the lock read.
  const current = check || keys.length === 0 ? await readLockFile(dir, base.file) : undefined;
  if (keys.length === 0 && current?.status === "missing") return { ...base, name, status: "no-tools", errors: [] };
  const { entries, problems } = lockEntries(keys.sort(), live);
  if (problems.length > 0) {
    return { ...base, name, tools: keys, status: "error", errors: problems };
  }
  const lock: ToolsLock = buildLock(entries);
  const tools = Object.keys(lock.tools);
  if (check && current) {
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

export interface LockProblem {
  tool: string;
  code: string;
  message: string;
  hint?: string;
}

/** The lock entries of `keys` from the live catalog, and a problem for each key that cannot be locked. */
export function lockEntries(
  keys: string[],
  live: LiveCatalog,
): { entries: [string, LockedTool][]; problems: LockProblem[] } {
  const entries: [string, LockedTool][] = [];
  const problems: LockProblem[] = [];
  for (const key of keys) {
    const slash = key.indexOf("/");
    const server = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const found = live.servers.get(server);
    if (!found || found.error) {
      problems.push({
        tool: key,
        code: found?.error?.code ?? "SERVER_NOT_FOUND",
        message: found?.error?.message ?? `no server "${server}"`,
        ...(found?.error?.hint ? { hint: found.error.hint } : {}),
      });
      continue;
    }
    const tool = found.tools.find((t) => t.name === name);
    if (!tool) {
      const names = found.tools.map((t) => t.name);
      const close = closestMatches(name, names);
      problems.push({
        tool: key,
        code: "TOOL_NOT_FOUND",
        message: `server "${server}" has no tool "${name}"`,
        hint:
          close.length > 0
            ? `did you mean "${server}/${close[0]}"?`
            : `tools of ${server}: ${names.slice(0, 12).join(", ")}${names.length > 12 ? ", …" : ""}`,
      });
      continue;
    }
    entries.push([key, lockTool(tool, found.protocolVersion ?? "unknown")]);
  }
  return { entries, problems };
}
