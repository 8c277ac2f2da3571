/**
 * Every server process group we started and have not reaped yet. Exit and signal handlers are installed once,
 * while at least one group is alive, so that Ctrl-C or a crash of our process never leaves servers behind: on a
 * signal the groups get SIGTERM and half a second to end, then SIGKILL; at exit, SIGKILL.
 */
import { existsSync, readFileSync } from "node:fs";

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

/** How long the servers get to end after SIGTERM when our process dies of a signal; then SIGKILL. */
const SIGNAL_GRACE_MS = 500;

const onSignal = Object.assign(
  (signal: NodeJS.Signals): void => {
    killAll("SIGTERM");
    // We only add to the default behaviour: when nobody but cleanups handles the signal, die of it as we would have.
    const ownerListens = process
      .listeners(signal)
      .some((listener) => !(listener as { [CLEANUP_LISTENER]?: boolean })[CLEANUP_LISTENER]);
    if (ownerListens) return;
    // A server that ignores SIGTERM would outlive us: the servers get a short grace, waited for here (the command
    // must not go on meanwhile: we are about to die of the signal), then every group gets SIGKILL, stragglers too.
    waitForLeaders(SIGNAL_GRACE_MS);
    killAll("SIGKILL");
    uninstall();
    process.kill(process.pid, signal);
  },
  { [CLEANUP_LISTENER]: true },
);

/** Blocks until every group's leader has ended (a zombie: nobody reaps it while we block) or `ms` have passed. */
function waitForLeaders(ms: number): void {
  const deadline = Date.now() + ms;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while ([...liveGroups].some(running) && Date.now() < deadline) Atomics.wait(cell, 0, 0, 5);
}

/** Whether the process still runs; without /proc, whether it can be signalled (then a zombie counts as running). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && existsSync("/proc/self/stat")) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

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
  uninstallWhenIdle();
}

/** The handlers go once no group is alive and none is being spawned. */
function uninstallWhenIdle(): void {
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
    uninstallWhenIdle();
  }
}

/** For tests: the process groups still registered. */
export function liveProcessGroups(): number[] {
  return [...liveGroups];
}
