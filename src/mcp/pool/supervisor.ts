/**
 * Keeps a pool's servers connected for a long-lived process (`skills serve`): every server is started at once, and
 * one that fails to start or goes away is started again after a delay that doubles on each failure in a row (a
 * server that crashes at every start does not spin the CPU). A server that stays up a while earns a quick retry again.
 */
import type { ClientPool } from "../pool.js";

export type ServerState = "starting" | "up" | "down";

export interface ServerHealth {
  name: string;
  state: ServerState;
  /** Times it was started again after a failure or a crash. */
  restarts: number;
  /** Why it is down (or why it last went down). */
  lastError?: string;
  /** When it is tried again, while down (epoch ms). */
  retryAt?: number;
}

export interface SupervisorOptions {
  /** Delay before the first retry; doubles on each failure in a row (default 250 ms). */
  initialDelayMs?: number;
  /** The longest delay between retries (default 30 s). */
  maxDelayMs?: number;
  /** A server up this long counts as stable: its next failure is retried after initialDelayMs again (default 30 s). */
  stableMs?: number;
  /** Told each time a server is connected (again): its tool list may have changed. */
  onConnected?: (server: string, restarted: boolean) => void;
  /** Told each time a server fails to start or goes away. */
  onDown?: (server: string, reason: string) => void;
}

export interface Supervisor {
  /** Settles when every server's first start has succeeded or failed. */
  readonly ready: Promise<void>;
  health(): ServerHealth[];
  /** Stops retrying (the pool itself is closed by its owner). */
  stop(): void;
}

interface Entry extends ServerHealth {
  failuresInRow: number;
  upSince?: number;
  timer?: NodeJS.Timeout;
  started: boolean;
}

export function superviseServers(pool: ClientPool, servers: string[], options: SupervisorOptions = {}): Supervisor {
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 30_000;
  const stable = options.stableMs ?? 30_000;
  const entries = new Map<string, Entry>(
    servers.map((name) => [name, { name, state: "starting", restarts: 0, failuresInRow: 0, started: false }]),
  );
  let stopped = false;

  const connect = async (entry: Entry): Promise<void> => {
    entry.timer = undefined;
    entry.retryAt = undefined;
    const restarted = entry.started;
    if (restarted) entry.restarts += 1;
    entry.started = true;
    entry.state = "starting";
    try {
      await pool.connect(entry.name);
    } catch (error) {
      down(entry, error instanceof Error ? error.message : String(error));
      return;
    }
    if (stopped) return;
    entry.state = "up";
    entry.upSince = Date.now();
    options.onConnected?.(entry.name, restarted);
  };

  const down = (entry: Entry, reason: string): void => {
    if (stopped) return;
    const wasStable = entry.upSince !== undefined && Date.now() - entry.upSince >= stable;
    entry.failuresInRow = wasStable ? 1 : entry.failuresInRow + 1;
    entry.upSince = undefined;
    entry.state = "down";
    entry.lastError = reason;
    options.onDown?.(entry.name, reason);
    const delay = Math.min(max, initial * 2 ** (entry.failuresInRow - 1));
    entry.retryAt = Date.now() + delay;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void connect(entry), delay);
    // The retry must not keep a process alive that is otherwise done.
    entry.timer.unref();
  };

  const unsubscribe = pool.onServerClosed((name) => {
    const entry = entries.get(name);
    if (entry && entry.state === "up") down(entry, "the server process exited");
  });

  const ready = Promise.all([...entries.values()].map((entry) => connect(entry))).then(() => undefined);

  return {
    ready,
    health: () =>
      [...entries.values()].map(({ name, state, restarts, lastError, retryAt }) => ({
        name,
        state,
        restarts,
        ...(lastError !== undefined ? { lastError } : {}),
        ...(retryAt !== undefined ? { retryAt } : {}),
      })),
    stop() {
      stopped = true;
      unsubscribe();
      for (const entry of entries.values()) if (entry.timer) clearTimeout(entry.timer);
    },
  };
}
