/**
 * Starts a command's program: every command has one (dist/bundle/programs/<command>.cjs, made by scripts/build.mjs),
 * the CLI with that command's code in one CommonJS file. node compiles it here with V8's code cache: the bytecode of
 * the functions the last start of the same build ran, so a start compiles almost nothing.
 *
 * The cache is a file per build (the program's first line names it), node version and V8 flags, in a folder of the
 * temp folder that only this user can write (`skills-code-cache-<uid>`, mode 0700). A cache is code: one that anybody
 * else could have written is never read, so a folder that is a link, someone else's, or writable by others is not
 * used. V8 checks what it reads (its version, its flags, the source's length) and rejects what does not fit; the
 * first start after a rejection, or with no cache, writes a new one once the command is done (a temp file renamed
 * over, so a start never reads half a file). SKILLS_CODE_CACHE=off starts without one.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";

/** What became of the code cache: read and used, read and rejected by V8, none to read, or not used at all. */
export type CodeCacheState = "accepted" | "rejected" | "missing" | "off";

export interface LoadedProgram {
  exports: Record<string, unknown>;
  cache: CodeCacheState;
  /** Writes the cache when there was none or V8 rejected it; never throws (a start without one still works). */
  saveCache(): void;
}

const HEADER = /^\/\/ skills program ([0-9a-f]{16,64})\n/;

/**
 * Loads the program at `file` (CommonJS, no import() calls: V8 cannot run those from cached code on node 20) and
 * returns its exports. `cacheDir`: where its code cache goes; null for none. The default is the user's folder in
 * the temp folder, or none when SKILLS_CODE_CACHE is "off".
 */
export function loadProgram(file: string, options: { cacheDir?: string | null } = {}): LoadedProgram {
  const source = readFileSync(file, "utf8");
  const build = HEADER.exec(source)?.[1];
  const dir = options.cacheDir !== undefined ? options.cacheDir : defaultCacheDir();
  const cacheFile =
    build !== undefined && dir !== null && ownedPrivateFolder(dir)
      ? join(dir, `${basename(file).replace(/\.cjs$/, "")}-${build}-${runtimeKey()}.v8`)
      : null;
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // no cache yet: this start writes one
    }
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const cache: CodeCacheState =
    cacheFile === null
      ? "off"
      : cachedData === undefined
        ? "missing"
        : script.cachedDataRejected
          ? "rejected"
          : "accepted";
  const module = { exports: {} as Record<string, unknown> };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    cache,
    saveCache() {
      if (cacheFile === null || cache === "accepted") return;
      const temp = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, script.createCachedData(), { mode: 0o600, flag: "wx" });
        renameSync(temp, cacheFile);
        pruneOlderBuilds(cacheFile);
      } catch {
        try {
          unlinkSync(temp);
        } catch {
          // never written
        }
      }
    },
  };
}

/** Runs `skills <argv>` from the program at `file`, then keeps its code cache for the next start. */
export async function startProgram(file: string, argv: string[]): Promise<void> {
  const program = loadProgram(file);
  await (program.exports.main as (argv: string[]) => Promise<number>)(argv);
  program.saveCache();
}

function defaultCacheDir(): string | null {
  if (process.env.SKILLS_CODE_CACHE?.trim() === "off") return null;
  const uid = typeof process.getuid === "function" ? process.getuid() : 0;
  const dir = join(tmpdir(), `skills-code-cache-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch {
    // there already (checked below), or the temp folder cannot take it: no cache
  }
  return dir;
}

/** Each build leaves its own cache: of one program's, the KEPT_CACHES newest stay (other installs may use them). */
const KEPT_CACHES = 4;

function pruneOlderBuilds(cacheFile: string): void {
  const dir = dirname(cacheFile);
  const program = `${basename(cacheFile).split("-")[0]}-`;
  const caches = readdirSync(dir)
    .filter((name) => name.startsWith(program) && name.endsWith(".v8"))
    .map((name) => ({ path: join(dir, name), mtime: lstatSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of caches.slice(KEPT_CACHES)) if (old.path !== cacheFile) unlinkSync(old.path);
}

/** A real folder (not a link) of this user that nobody else can write to. */
function ownedPrivateFolder(dir: string): boolean {
  try {
    const stat = lstatSync(dir);
    const uid = typeof process.getuid === "function" ? process.getuid() : stat.uid;
    return stat.isDirectory() && stat.uid === uid && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** The node that compiles it and the flags it was started with: a cache from another is useless here. */
function runtimeKey(): string {
  const flags = `${process.execArgv.join(" ")}\0${process.env.NODE_OPTIONS ?? ""}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < flags.length; i += 1) hash = Math.imul(hash ^ flags.charCodeAt(i), 0x01000193) >>> 0;
  return `${process.version}-${process.arch}-${hash.toString(16)}`;
}
