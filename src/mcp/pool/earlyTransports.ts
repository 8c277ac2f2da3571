/**
 * Servers spawned before anything asked for them: `skills run` starts its skill's servers while the CLI is still
 * loading the code that will use them, so the server's own start-up (a few hundred ms for a node server) overlaps
 * ours. A client pool that then needs a server with exactly the same command, arguments, environment and folder takes
 * the running process instead of spawning another; what it wrote to stderr meanwhile is handed over. Processes nobody
 * took are ended by closeEarlyTransports (and, like every server, by the exit handlers if the CLI goes down first).
 */
import { type ProcessStdioOptions, ProcessStdioTransport } from "./stdioTransport.js";

export type EarlySpec = Omit<ProcessStdioOptions, "onStderr">;

/** stderr written before a pool took the process (bounded), then the pool's listener. */
interface Stderr {
  kept: string[];
  chars: number;
  listener: ((text: string) => void) | undefined;
}

interface Waiting {
  transport: ProcessStdioTransport;
  stderr: Stderr;
}

const MAX_KEPT_STDERR = 64 * 1024;
const waiting = new Map<string, Waiting>();

const keyOf = (spec: EarlySpec): string =>
  JSON.stringify([spec.command, spec.args, Object.entries(spec.env).sort(), spec.cwd, spec.graceMs ?? null]);

/** Spawns the server now (once per spec); a failure to spawn is left for the pool to meet and report. */
export function startEarlyTransport(spec: EarlySpec): void {
  const key = keyOf(spec);
  if (waiting.has(key)) return;
  const stderr: Stderr = { kept: [], chars: 0, listener: undefined };
  const transport = new ProcessStdioTransport({
    ...spec,
    onStderr: (text) => {
      if (stderr.listener) stderr.listener(text);
      else if (stderr.chars < MAX_KEPT_STDERR) {
        stderr.kept.push(text);
        stderr.chars += text.length;
      }
    },
  });
  waiting.set(key, { transport, stderr });
  transport.start().catch(() => undefined);
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

/** Ends the early processes no pool took. */
export async function closeEarlyTransports(): Promise<void> {
  const left = [...waiting.values()];
  waiting.clear();
  await Promise.all(left.map((entry) => entry.transport.close().catch(() => undefined)));
}
