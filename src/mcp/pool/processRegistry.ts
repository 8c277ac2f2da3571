/**
 * Every server process group we started and have not reaped yet. Exit and signal handlers are installed once,
 * while at least one group is alive, so that Ctrl-C or a crash of our process never leaves servers behind.
 */

const liveGroups = new Set<number>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** Marks a signal listener that only cleans up; the sandbox's teardown (src/sandbox/teardown.ts) uses it too. */
const CLEANUP_LISTENER = Symbol.for("skills.cleanupListener");
let installed = false;

function killAll(signal: NodeJS.Signals): void {
  for (const pgid of liveGroups) killGroup(pgid, signal);
}

/** Sends a signal to a whole process group; a group that is gone already is not an error. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function onExit(): void {
  killAll("SIGKILL");
}

const onSignal = Object.assign(
  (signal: NodeJS.Signals): void => {
    killAll("SIGTERM");
    // We only add to the default behaviour: when nobody but cleanups handles the signal, die of it as we would have.
    const ownerListens = process
      .listeners(signal)
      .some((listener) => !(listener as { [CLEANUP_LISTENER]?: boolean })[CLEANUP_LISTENER]);
    if (!ownerListens) {
      uninstall();
      process.kill(process.pid, signal);
    }
  },
  { [CLEANUP_LISTENER]: true },
);

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off("exit", onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Spawns under way (spawnRegistered): the handlers stay while one is. */
let spawning = 0;

export function registerGroup(pgid: number): void {
  liveGroups.add(pgid);
  install();
}

export function unregisterGroup(pgid: number): void {
  liveGroups.delete(pgid);
  if (liveGroups.size === 0 && spawning === 0) uninstall();
}

/**
 * Runs `start` (which spawns a process group leader) with the handlers installed first, and registers the group it
 * returns. A signal that comes between the fork and the registration (the new process may signal us at once, and a
 * lead loads the run's program synchronously right after its spawn) then waits for its handler, which finds the group,
 * instead of killing us by default and leaving the group behind.
 */
export function spawnRegistered<T extends { pid?: number | undefined }>(start: () => T): T {
  spawning += 1;
  install();
  try {
    const child = start();
    if (child.pid !== undefined) registerGroup(child.pid);
    return child;
  } finally {
    spawning -= 1;
    if (liveGroups.size === 0 && spawning === 0) uninstall();
  }
}

/** For tests: the process groups still registered. */
export function liveProcessGroups(): number[] {
  return [...liveGroups];
}
