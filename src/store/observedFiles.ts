/**
 * What a piece of work looked at on disk and in the environment, so that a later start can tell, without doing the
 * work again, whether it would find the same: `skills run`'s lead chooses the servers to start from the project's
 * files (src/commands/shared/earlyServers.ts), and a later start of the same command line starts them at once when
 * every file the choice looked at is as it was, each setting it read has the same value, and each variable .mcp.json
 * takes is still set or unset (src/cli/startPlan.ts).
 *
 * Each look is kept at the level the work went by, so that what it did not look at cannot stop a plan:
 *   - "e": something is there (pathExists: a root marker such as `.git`, whose own times change with every commit);
 *   - "f", "d", "o": a file, a folder, or something else is there (isFile, isDirectory: SKILL.md is a file);
 *   - "f:dev:ino:size:mode:mtime": what stat says of it (a file the work meant to read and did not: not a regular
 *     file, or too large);
 *   - that, then "#" and a hash of the text: a file the work read (both config files, the manifest). The content
 *     counts: `cp -p` and unpacking an archive can give a changed file its old size and time. Not the change time:
 *     every run changes it, as the sandbox links the skill's files into its stage (src/sandbox/linkTree.ts);
 *   - "-": nothing there, "!CODE": the look failed otherwise.
 * A look the signatures cannot stand for (a folder listed) makes the work unrepeatable. The helpers that read the
 * files the choice depends on (findSkills.ts, config.ts, ../mcp/config.ts, readTextFile.ts, pathExists.ts) report
 * each look here; outside `observe` that costs a comparison.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats, statSync } from "node:fs";
import { readFile } from "node:fs/promises";

export interface Observations {
  /** Each look: the path, and what it found (one per path and level, in the order made). */
  files: [string, string][];
  /** Each environment variable read for its value, with its value (null: not set). */
  env: Map<string, string | null>;
  /** Each environment variable read only for whether it is set (not empty): its value may be a secret. */
  present: Map<string, boolean>;
  /** Why the work cannot be judged by these alone, when it cannot. */
  unrepeatable?: string;
}

/** The looks being recorded, with what each path was found at each level. */
let current: (Observations & { found: Map<string, string> }) | undefined;

/** Runs `work`, recording what it looks at meanwhile (other work running at the same time only adds to it). */
export async function observe<T>(work: () => Promise<T>): Promise<{ value: T; seen: Observations }> {
  const outer = current;
  const seen = outer ?? { files: [], env: new Map(), present: new Map(), found: new Map() };
  current = seen;
  try {
    const value = await work();
    const { found: _, ...observations } = seen;
    return { value, seen: observations };
  } finally {
    current = outer;
  }
}

/** A path's signature as stat gives it: "-" when nothing is there, "!CODE" when stat failed otherwise. */
export function fileSignature(path: string): string {
  try {
    return signatureOf(statSync(path, { throwIfNoEntry: false }));
  } catch (error) {
    return failureSignature(error);
  }
}

/** The signature of stat's answer (undefined: nothing there). */
function signatureOf(stats: Stats | undefined): string {
  if (stats === undefined) return "-";
  return `${kindOf(stats)}:${stats.dev}:${stats.ino}:${stats.size}:${stats.mode}:${stats.mtimeMs}`;
}

/** The signature of a stat or open that failed. */
function failureSignature(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR" ? "-" : `!${code ?? "error"}`;
}

const kindOf = (stats: Stats): string => (stats.isFile() ? "f" : stats.isDirectory() ? "d" : "o");

/** Records that something is, or is not, at `path` (stats undefined: nothing there). */
export function noteExists(path: string, stats: Stats | undefined): void {
  if (current !== undefined) note(path, stats === undefined ? "-" : "e");
}

/** Records what kind of thing is at `path` (stats undefined: nothing there). */
export function noteKind(path: string, stats: Stats | undefined): void {
  if (current !== undefined) note(path, stats === undefined ? "-" : kindOf(stats));
}

/** Records a look at `path` that failed (a missing path is "-"). */
export function noteFailure(path: string, error: unknown): void {
  if (current !== undefined) note(path, failureSignature(error));
}

/**
 * Records a file read: what stat said of it before the read, and the text read (undefined: not read). Outside
 * `observe` nothing is computed: validate reads thousands of files through readTextFileSync, and hashing each one's
 * text would be work for nobody.
 */
export function noteRead(path: string, stats: Stats, text: string | undefined): void {
  if (current !== undefined)
    note(path, text === undefined ? signatureOf(stats) : `${signatureOf(stats)}#${hashText(text)}`);
}

/** readFile(path, "utf8"), recorded when work is being observed. */
export async function readTextObserved(path: string): Promise<string> {
  if (current === undefined) return readFile(path, "utf8");
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    noteFailure(path, error);
    throw error;
  }
  try {
    const text = await readFile(path, "utf8");
    noteRead(path, stats, text);
    return text;
  } catch (error) {
    noteRead(path, stats, undefined);
    throw error;
  }
}

/** What the same look at `path` finds now, at the level of `found` (see above): equal when nothing it saw changed. */
export function lookAgain(path: string, found: string): string {
  let stats: Stats | undefined;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    return failureSignature(error);
  }
  const level = levelOf(found);
  if (level === "exists") return stats === undefined ? "-" : "e";
  if (level === "kind") return stats === undefined ? "-" : kindOf(stats);
  const signature = signatureOf(stats);
  const hashAt = found.indexOf("#");
  if (hashAt < 0 || signature !== found.slice(0, hashAt)) return signature;
  return `${signature}#${hashText(readSame(path, signature) ?? "")}`;
}

/** The text of the file at `path` when it still has `signature` (opened without blocking: it may be a FIFO now). */
function readSame(path: string, signature: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    return signatureOf(fstatSync(fd)) === signature ? readFileSync(fd, "utf8") : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A 53-bit hash of the text (cyrb53), in base 36: node's crypto takes ~1 ms to load, and this is no defence. */
function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The level a look was made at, from what it found (see above): "-" and "!CODE" count as a look at the kind. */
function levelOf(found: string): "exists" | "kind" | "stat" {
  return found === "e" ? "exists" : found.includes(":") ? "stat" : "kind";
}

/** Records what a look found (the callers check that work is being observed); one entry per path and level. */
function note(path: string, found: string): void {
  if (current === undefined) return;
  const key = `${levelOf(found)}\0${path}`;
  const before = current.found.get(key);
  if (before === undefined) {
    current.found.set(key, found);
    current.files.push([path, found]);
  }
  // Found different at the same level: which one the work went by cannot be told.
  else if (before !== found) current.unrepeatable ??= `${path} changed while it was read`;
}

/** Whether a variable counts as set where .mcp.json takes it (src/mcp/config/expand.ts): set and not empty. */
export const isSet = (value: string | undefined): boolean => value !== undefined && value !== "";

/** Marks the work as one its observations cannot stand for. */
export function noteUnrepeatable(reason: string): void {
  if (current !== undefined) current.unrepeatable ??= reason;
}

/**
 * `env` with every variable the observed work reads from it recorded (enumerating it makes the work unrepeatable):
 * with its value, or with `only: "presence"` only whether it is set and not empty, for work whose outcome depends on
 * no more than that (.mcp.json's `${VAR}`: the values go into the servers' command lines, which a plan leaves out).
 */
export function observedEnv(env: NodeJS.ProcessEnv, only?: "presence"): NodeJS.ProcessEnv {
  const seen = current;
  if (seen === undefined) return env;
  const note = (name: string | symbol): void => {
    if (typeof name !== "string") return;
    if (only === "presence") {
      if (!seen.present.has(name)) seen.present.set(name, isSet(env[name]));
    } else if (!seen.env.has(name)) seen.env.set(name, env[name] ?? null);
  };
  return new Proxy(env, {
    get(target, name) {
      note(name);
      return target[name as string];
    },
    has(target, name) {
      note(name);
      return name in target;
    },
    getOwnPropertyDescriptor(target, name) {
      note(name);
      return Reflect.getOwnPropertyDescriptor(target, name);
    },
    ownKeys(target) {
      seen.unrepeatable ??= "it listed the environment";
      return Reflect.ownKeys(target);
    },
  });
}
