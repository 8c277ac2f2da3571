/**
 * Servers spawned before anything asked for them: `skills run` starts its skill's servers while the CLI is still
 * loading the code that will use them, so the server's own start-up (a few hundred ms for a node server) overlaps
 * ours. A client pool that then needs a server with exactly the same command, arguments, environment and folder takes
 * the running process instead of spawning another; what it wrote to stderr meanwhile is handed over. Processes nobody
 * took are ended by closeEarlyTransports (and, like every server, by the exit handlers if the CLI goes down first).
 *
 * A start plan (src/cli/startPlan.ts) may have spawned some of them before the lead even loaded: the lead takes them
 * over first (adoptStarted), and they wait here like the others. One the lead's own choice does not ask for (the plan
 * was stale) is ended as soon as the lead has chosen (endUnaskedAdopted).
 */
import type { ChildProcess } from "node:child_process";
import { type ProcessStdioOptions, ProcessStdioTransport } from "./stdioTransport.js";

export type EarlySpec = Omit<ProcessStdioOptions, "onStderr" | "adopt">;

/** A server a start plan spawned: its spec, the process, and what lets go of it in the registry that holds it. */
export interface StartedServer {
  spec: EarlySpec;
  child: ChildProcess;
  release(): void;
}

/** stderr written before a pool took the process (bounded), then the pool's listener. */
interface Stderr {
  kept: string[];
  chars: number;
  listener: ((text: string) => void) | undefined;
}

interface Waiting {
  transport: ProcessStdioTransport;
  stderr: Stderr;
  /** Taken over from a start plan and not asked for by startEarlyTransport yet. */
  unasked: boolean;
}

const MAX_KEPT_STDERR = 64 * 1024;
const waiting = new Map<string, Waiting>();
/** Closes under way of processes nobody asked for (endUnaskedAdopted); closeEarlyTransports waits for them too. */
const closing = new Set<Promise<void>>();

const keyOf = (spec: EarlySpec): string =>
  JSON.stringify([spec.command, spec.args, Object.entries(spec.env).sort(), spec.cwd, spec.graceMs ?? null]);

/** Spawns the server now (once per spec); a failure to spawn is left for the pool to meet and report. */
export function startEarlyTransport(spec: EarlySpec): void {
  const key = keyOf(spec);
  const entry = waiting.get(key);
  if (entry) entry.unasked = false;
  else wait(key, spec, undefined);
}

/**
 * Takes over the servers a start plan spawned (synchronously: what they do from now on has listeners). Each waits
 * for a startEarlyTransport with its spec; endUnaskedAdopted ends those none came for.
 */
export function adoptStarted(started: readonly StartedServer[]): void {
  for (const { spec, child, release } of started) {
    const key = keyOf(spec);
    // A plan names each server once; a second process for the same spec is ended as one nobody asked for.
    if (waiting.has(key)) endQuietly(new ProcessStdioTransport({ ...spec, adopt: { child, release } }));
    else wait(key, spec, { child, release }).unasked = true;
  }
}

/** Ends the servers taken over from a start plan that the lead's own choice did not ask for. */
export function endUnaskedAdopted(): void {
  for (const [key, entry] of waiting) {
    if (!entry.unasked) continue;
    waiting.delete(key);
    endQuietly(entry.transport);
  }
}

/** How long a process nobody asked for gets after its stdin closes, and after SIGTERM: it was never sent a thing. */
const UNASKED_GRACE_MS = 100;

function endQuietly(transport: ProcessStdioTransport): void {
  const done: Promise<void> = transport
    .start()
    .then(() => transport.close(UNASKED_GRACE_MS))
    .catch(() => undefined)
    .finally(() => closing.delete(done));
  closing.add(done);
}

function wait(key: string, spec: EarlySpec, adopt: ProcessStdioOptions["adopt"]): Waiting {
  const stderr: Stderr = { kept: [], chars: 0, listener: undefined };
  const transport = new ProcessStdioTransport({
    ...spec,
    ...(adopt ? { adopt } : {}),
    onStderr: (text) => {
      if (stderr.listener) stderr.listener(text);
      else if (stderr.chars < MAX_KEPT_STDERR) {
        stderr.kept.push(text);
        stderr.chars += text.length;
      }
    },
  });
  const entry: Waiting = { transport, stderr, unasked: false };
  waiting.set(key, entry);
  transport.start().catch(() => undefined);
  return entry;
}

/** The process started early for this spec, if there is one; from now on its stderr goes to `onStderr`. */
export function takeEarlyTransport(
  spec: EarlySpec,
  onStderr: (text: string) => void,
): ProcessStdioTransport | undefined {
  const key = keyOf(spec);
  const entry = waiting.get(key);
  if (!entry) return undefined;
  waiting.delete(key);
  for (const text of entry.stderr.kept.splice(0)) onStderr(text);
  entry.stderr.listener = onStderr;
  return entry.transport;
}

/** Ends the early processes no pool took, and waits for those being ended already. */
export async function closeEarlyTransports(): Promise<void> {
  const left = [...waiting.values()];
  waiting.clear();
  await Promise.all([...left.map((entry) => entry.transport.close().catch(() => undefined)), ...closing]);
}
