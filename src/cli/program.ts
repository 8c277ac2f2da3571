/**
 * Starts a command's program: every command has one (dist/bundle/programs/<command>.cjs, made by scripts/build.mjs),
 * the CLI with that command's code in one CommonJS file. node compiles it here with V8's code cache: the bytecode of
 * the functions the last start of the same program ran, so a start compiles almost nothing.
 *
 * A cache is code, so it is read only from a folder nobody but this user (and root) can have written to
 * (src/store/codeCacheFolder.ts: by default `skills-code-cache-<uid>` of the temp folder, mode 0700; `skills doctor`
 * says when it is refused, and why). The file itself must be a regular file of this user with one link, opened without
 * following a link. It is named after the program's build (its first line), the program file's size, change time and
 * inode (an edited program never meets an old cache), the node version and the V8 flags; it carries a CRC of what V8
 * gets (V8 itself checks only versions, flags and the source's length, and crashes on a damaged cache).
 *
 * Without a cache, or with one V8 rejects, a start writes one once the command is done (a temp file renamed over: a
 * start never reads half a file), unless it only printed help or refused its arguments. SKILLS_CODE_CACHE=off starts
 * without one.
 */
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  type Stats,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire, Module } from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import type { StartChoice } from "../contracts/startPlan.js";
import type { StartedServer } from "../mcp/pool/earlyTransports.js";
import { checkCodeCacheFolder, defaultCodeCacheDir, uid } from "../store/codeCacheFolder.js";
import { currentPlan, type PlanStart, planArgv, planText, startPlanned } from "./startPlan.js";

/** What became of the code cache: read and used, read and rejected, none to read, or not used at all. */
export type CodeCacheState = "accepted" | "rejected" | "missing" | "off";

export interface LoadedProgram {
  exports: Record<string, unknown>;
  /** What fstat said of the file that was compiled. */
  stats: Stats;
  cache: CodeCacheState;
  /** Writes the cache when there was none or it was rejected; never throws (a start without one still works). */
  saveCache(): void;
}

/**
 * node:zlib (for its CRC-32) takes ~1 ms to load: loaded when the first cache is read, after a start plan's servers
 * are spawned (startProgram), not with this file.
 */
const crc32 = (data: Buffer): number =>
  (createRequire(process.execPath)("node:zlib") as typeof import("node:zlib")).crc32(data);

/** A program's first line: its build, and the lead it cannot run without (`needs run.lead.cjs`), if any. */
const HEADER = /^\/\/ skills program ([0-9a-f]{16,64})(?: needs ([a-z][a-z-]*\.lead\.cjs))?\n/;
/** A cache file: MAGIC, the CRC-32 of the rest (4 bytes, little-endian), then V8's cached data. */
const MAGIC = Buffer.from("skillsV8");
const PREFIX = MAGIC.length + 4;
/** Each program keeps its KEPT_CACHES newest caches (other installs and builds may use them). */
const KEPT_CACHES = 4;
/** A temp file this old was left by a start that died while writing it. */
const STALE_TEMP_MS = 10 * 60_000;

/**
 * Loads the program at `file` (CommonJS, no import() calls: V8 cannot run those from cached code on node 20) and
 * returns its exports. `cacheDir`: where its code cache goes; null for none. The default is the user's folder in
 * the temp folder, or none when SKILLS_CODE_CACHE is "off".
 */
export function loadProgram(file: string, options: { cacheDir?: string | null } = {}): LoadedProgram {
  const fd = openSync(file, "r");
  let source: string;
  let stat: Stats;
  try {
    stat = fstatSync(fd);
    source = readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
  const build = HEADER.exec(source)?.[1];
  const requested = options.cacheDir !== undefined ? options.cacheDir : defaultCodeCacheDir();
  const dir = build !== undefined && requested !== null ? trustedFolder(requested) : null;
  const name = basename(file).replace(/\.cjs$/, "");
  const cacheFile =
    dir === null
      ? null
      : join(dir, `${name}-${build}-${hex(`${stat.size}:${stat.ctimeMs}:${stat.ino}`)}-${runtimeKey()}.v8`);
  const stored = cacheFile === null ? undefined : readCache(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(stored?.data ? { cachedData: stored.data } : {}),
  });
  const cache: CodeCacheState =
    cacheFile === null
      ? "off"
      : stored === undefined
        ? "missing"
        : stored.data === undefined || script.cachedDataRejected
          ? "rejected"
          : "accepted";
  const module = { exports: {} as Record<string, unknown> };
  const require = createRequire(file);
  script.runInThisContext()(module.exports, require, module, file, dirname(file));
  // A program that requires this file by its path (a program takes modules from its lead) gets these exports, not a
  // second copy of the modules. require() keys a module by its real path (by the path as given with
  // --preserve-symlinks): `file` may reach it through a link (an install whose dist/ is one), and a miss would load a
  // second instance of every module the two share.
  for (const key of new Set([file, realpathSync(file)])) {
    require.cache[key] = Object.assign(new Module(key), { filename: key, loaded: true, exports: module.exports });
  }
  return {
    exports: module.exports,
    stats: stat,
    cache,
    saveCache() {
      // The folder is checked again: a command may have run for long.
      if (cacheFile === null || cache === "accepted" || trustedFolder(dirname(cacheFile)) === null) return;
      let data: Buffer;
      try {
        data = script.createCachedData();
      } catch {
        return;
      }
      const header = Buffer.alloc(PREFIX);
      MAGIC.copy(header);
      header.writeUInt32LE(crc32(data), MAGIC.length);
      if (writeOwnFile(cacheFile, Buffer.concat([header, data]))) {
        prune(dirname(cacheFile), `${name}-`, ".v8", cacheFile, KEPT_CACHES);
      }
    },
  };
}

/**
 * A lead's exports (src/cli/lead.ts): `lead` starts its early work for argv (taking over what a start plan started),
 * `end` ends what the command left, `plan` is its choice for the next start of the same command line, if any
 * (startPlan.ts).
 */
interface Lead {
  lead(argv: string[], started: readonly StartedServer[]): Promise<void>;
  end(): Promise<void>;
  plan(): StartChoice | undefined;
}

/**
 * Runs `skills <argv>` from the program at `file`, then keeps its code cache for the next start. A program with a lead
 * (`<name>.lead.cjs` beside it, src/cli/lead.ts) runs the lead first and loads the rest once the lead's early work has
 * started; a lead whose work fails only means the command starts that work itself. A program that takes modules from
 * its lead (run's does: its first line says `needs run.lead.cjs`) cannot run without it: when the lead file is missing
 * or does not load, nothing runs and this returns false, and bin/skills.js starts the command from the split bundle.
 * Whatever the lead started and the command did not take (a command that failed before it got there) is ended when
 * the command ends.
 */
export async function startProgram(file: string, argv: string[]): Promise<boolean> {
  const leadFile = file.replace(/\.cjs$/, ".lead.cjs");
  let lead: LoadedProgram | undefined;
  let plan: PlanFile | undefined;
  if (existsSync(leadFile)) {
    plan = readPlan(file, leadFile, argv);
    const started = plan === undefined ? undefined : startFromPlan(plan, leadFile);
    try {
      lead = loadProgram(leadFile);
      await (lead.exports as Partial<Lead>).lead?.(argv, started?.servers ?? []);
    } catch {
      // the program still runs; it starts what the lead would have
    }
    started?.endUntaken();
  }
  if (lead === undefined && needsLead(file)) return false;
  const program = loadProgram(file);
  let code: number;
  try {
    code = await (program.exports.main as (argv: string[]) => Promise<number>)(argv);
  } finally {
    try {
      await (lead?.exports as Partial<Lead> | undefined)?.end?.();
    } catch {
      // what is still running ends with the process (src/mcp/pool/processRegistry.ts)
    }
  }
  if (plan !== undefined && lead !== undefined) savePlan(plan, lead, { file: leadFile, stats: lead.stats });
  // A start that printed help or refused its arguments ran little of the command: its cache would hold little.
  const helpOnly = argv.slice(2).some((arg) => arg === "--help" || arg === "-h");
  if (code !== 2 && !helpOnly) {
    lead?.saveCache();
    program.saveCache();
  }
  return true;
}

/**
 * A plan file's name after its program: `<program>-plan2-<key>.json`. The first plans (`<program>-plan-`) were keyed by
 * the exact command line and could hold an --input; they are removed when a plan is written.
 */
const PLAN_NAME = "plan2";
const OLD_PLAN_NAME = "plan";

/** Plans kept per program (one per command line and folder): the newest KEPT_PLANS. */
const KEPT_PLANS = 16;
const MAX_PLAN_BYTES = 256 * 1024;

/** A program's start plan for one command line and folder: its file, the names all its plans share, its text. */
interface PlanFile {
  file: string;
  prefix: string;
  /** The command line as the plan is keyed (planArgv), and the folder it runs in. */
  argv: string[];
  cwd: string;
  text: string | undefined;
}

/**
 * The start plan's file for argv in this folder and this install's lead, and its text when there is one to trust;
 * undefined when there is no cache folder to keep one in.
 */
function readPlan(file: string, leadFile: string, argv: string[]): PlanFile | undefined {
  const planned = planArgv(argv.slice(2));
  if (planned === undefined) return undefined;
  const requested = defaultCodeCacheDir();
  const dir = requested === null ? null : trustedFolder(requested);
  if (dir === null) return undefined;
  let cwd: string;
  try {
    cwd = process.cwd();
  } catch {
    // the current folder was removed: the command says so, if it needs one
    return undefined;
  }
  const prefix = `${basename(file).replace(/\.cjs$/, "")}-${PLAN_NAME}-`;
  const planFile = join(dir, `${prefix}${hex(JSON.stringify([planned, cwd, leadFile]))}.json`);
  const bytes = readOwnFile(planFile, MAX_PLAN_BYTES);
  return { file: planFile, prefix, argv: planned, cwd, text: bytes ? bytes.toString("utf8") : undefined };
}

/** Starts what the plan in `text` names, when it is one for argv here and nothing it went by has changed. */
function startFromPlan(plan: PlanFile, leadFile: string): PlanStart | undefined {
  const current = plan.text === undefined ? undefined : currentPlan(plan.text, plan.argv, plan.cwd, leadFile);
  return current === undefined ? undefined : startPlanned(current);
}

/** Keeps the lead's choice for the next start of the same command line: written when it changed, removed when none. */
function savePlan(plan: PlanFile, lead: LoadedProgram, made: { file: string; stats: Stats }): void {
  let text: string | undefined;
  try {
    const choice = (lead.exports as Partial<Lead>).plan?.();
    text = choice === undefined ? undefined : planText(choice, plan.argv, plan.cwd, made);
  } catch {
    text = undefined;
  }
  if (text === plan.text || trustedFolder(dirname(plan.file)) === null) return;
  if (text === undefined) {
    try {
      unlinkSync(plan.file);
    } catch {
      // gone already
    }
    return;
  }
  if (writeOwnFile(plan.file, Buffer.from(text))) {
    prune(dirname(plan.file), plan.prefix, ".json", plan.file, KEPT_PLANS);
    prune(dirname(plan.file), plan.prefix.replace(`-${PLAN_NAME}-`, `-${OLD_PLAN_NAME}-`), ".json", plan.file, 0);
  }
}

/** Whether the program's first line says it needs its lead (a file that cannot be read will fail to load anyway). */
function needsLead(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(160);
    const read = readSync(fd, head, 0, head.length, 0);
    return HEADER.exec(head.subarray(0, read).toString("utf8"))?.[2] !== undefined;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** The cache file's V8 data (undefined data: damaged or not ours), or undefined when there is none to read. */
function readCache(file: string): { data: Buffer | undefined } | undefined {
  const bytes = readOwnFile(file);
  if (bytes === undefined) return undefined;
  if (bytes === null) return { data: undefined };
  const data = bytes.subarray(PREFIX);
  const intact =
    bytes.length > PREFIX &&
    bytes.subarray(0, MAGIC.length).equals(MAGIC) &&
    bytes.readUInt32LE(MAGIC.length) === crc32(data);
  return { data: intact ? data : undefined };
}

/**
 * A file of the cache folder as it may be trusted: a regular file of this user with one link that nobody else can
 * write, opened without following a link, at most `maxBytes` long. undefined: there is none; null: there is one,
 * but not one to trust (or it could not be read).
 */
function readOwnFile(file: string, maxBytes = Number.POSITIVE_INFINITY): Buffer | undefined | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? undefined : null;
  }
  try {
    const stat = fstatSync(fd);
    const ours = stat.isFile() && stat.uid === uid() && stat.nlink === 1 && (stat.mode & 0o022) === 0;
    return ours && stat.size <= maxBytes ? readFileSync(fd) : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Writes a file of the cache folder (private, through a temp file renamed over it); false when it could not. */
function writeOwnFile(file: string, data: Buffer): boolean {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data, { mode: 0o600, flag: "wx" });
    renameSync(temp, file);
    return true;
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
    return false;
  }
}

/** The folder's real path when nobody but this user and root can change what is in it (codeCacheFolder.ts). */
function trustedFolder(dir: string): string | null {
  const check = checkCodeCacheFolder(dir);
  return check.ok ? check.real : null;
}

/**
 * Of the files `prefix`*`suffix` (one program's caches, or its plans), the newest `keep` stay; temp files of starts
 * that died writing go.
 */
function prune(dir: string, prefix: string, suffix: string, kept: string, keep: number): void {
  const now = Date.now();
  const files: { path: string; mtime: number }[] = [];
  try {
    for (const entry of readdirSync(dir)) {
      if (!entry.startsWith(prefix)) continue;
      const path = join(dir, entry);
      const mtime = lstatSync(path).mtimeMs;
      if (entry.endsWith(suffix)) files.push({ path, mtime });
      else if (entry.endsWith(".tmp") && now - mtime > STALE_TEMP_MS) unlinkSync(path);
    }
    files.sort((a, b) => b.mtime - a.mtime);
    for (const old of files.slice(keep)) if (old.path !== kept) unlinkSync(old.path);
  } catch {
    // another start pruned the same files meanwhile
  }
}

/** The node that compiles it and the flags it was started with: a cache from another is useless here. */
function runtimeKey(): string {
  return `${process.version}-${process.arch}-${hex(`${process.execArgv.join(" ")}\0${process.env.NODE_OPTIONS ?? ""}`)}`;
}

/** FNV-1a of a short string, as hex: part of a file name, not a defence (the folder's checks are). */
function hex(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
}
