/**
 * What a piece of work looked at on disk and in the environment, so that a later start can tell, without doing the
 * work again, whether it would find the same: `skills run`'s lead chooses the servers to start from the project's
 * files (src/commands/shared/earlyServers.ts), and a later start of the same command line starts them at once when
 * every file the choice looked at is as it was and every variable it read has the same value (src/cli/startPlan.ts).
 *
 * A path is known by what stat says of it (kind, device, inode, size, mode, and modification time to the fraction of
 * a microsecond the float holds): an edit, a replaced file or a new link changes it, and a path that was missing must
 * still be missing. Not the change time: every run changes it, as the sandbox links the skill's files into its stage
 * (src/sandbox/linkTree.ts). A content change that keeps the size and puts the old time back (`touch -r`) goes
 * unseen: the lead still chooses anew and ends what it did not choose. A look the signatures cannot stand for (a folder listed) makes the work unrepeatable. The
 * helpers that read the files the choice depends on (findSkills.ts, config.ts, ../mcp/config.ts, readTextFile.ts,
 * pathExists.ts) report each look here; outside `observe` that costs a comparison.
 */
import { type Stats, statSync } from "node:fs";

export interface Observations {
  /** Each path looked at, with its signature when it was first looked at. */
  files: Map<string, string>;
  /** Each environment variable read, with its value (null: not set). */
  env: Map<string, string | null>;
  /** Why the work cannot be judged by these alone, when it cannot. */
  unrepeatable?: string;
}

let current: Observations | undefined;

/** Runs `work`, recording what it looks at meanwhile (other work running at the same time only adds to it). */
export async function observe<T>(work: () => Promise<T>): Promise<{ value: T; seen: Observations }> {
  const outer = current;
  const seen: Observations = outer ?? { files: new Map(), env: new Map() };
  current = seen;
  try {
    return { value: await work(), seen };
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
export function signatureOf(stats: Stats | undefined): string {
  if (stats === undefined) return "-";
  const kind = stats.isFile() ? "f" : stats.isDirectory() ? "d" : "o";
  return `${kind}:${stats.dev}:${stats.ino}:${stats.size}:${stats.mode}:${stats.mtimeMs}`;
}

/** The signature of a stat or open that failed. */
export function failureSignature(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR" ? "-" : `!${code ?? "error"}`;
}

/** Records what a look at `path` found (signatureOf, failureSignature), when work is being observed. */
export function noteSignature(path: string, signature: string): void {
  if (current === undefined) return;
  const before = current.files.get(path);
  if (before === undefined) current.files.set(path, signature);
  // Read twice and found different: which one the work went by cannot be told.
  else if (before !== signature) current.unrepeatable ??= `${path} changed while it was read`;
}

/** Records `path` as it is now, when work is being observed: before the work reads it, so a later edit shows. */
export function notePath(path: string): void {
  if (current !== undefined) noteSignature(path, fileSignature(path));
}

/** Marks the work as one its observations cannot stand for. */
export function noteUnrepeatable(reason: string): void {
  if (current !== undefined) current.unrepeatable ??= reason;
}

/** `env` with every variable the observed work reads from it recorded (enumerating it makes the work unrepeatable). */
export function observedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const seen = current;
  if (seen === undefined) return env;
  const note = (name: string | symbol): void => {
    if (typeof name === "string" && !seen.env.has(name)) seen.env.set(name, env[name] ?? null);
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
