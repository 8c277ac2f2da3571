/**
 * What must not outlive the host process: sandboxes (killed), bundler children (killed) and the run folders under
 * the temp folder (removed). On a normal exit and on SIGINT, SIGTERM and SIGHUP (Ctrl-C, a closed terminal, a
 * killed CI job). The signal handlers only add to the default behaviour: once every cleanup has run, the process
 * dies of the signal as it would have, unless a handler that is not a cleanup (the program's own) listens.
 *
 * Cleanup handlers mark themselves with the shared symbol below, so two of them (this one and the MCP server
 * registry's) do not each wait for the other to re-raise the signal.
 */
import { rmSync } from "node:fs";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** Marks a signal listener that only cleans up (src/mcp/pool/processRegistry.ts uses the same mark). */
export const CLEANUP_LISTENER = Symbol.for("skills.cleanupListener");

const killers = new Set<() => void>();
const folders = new Set<string>();
let installed = false;

function teardown(): void {
  for (const kill of killers) {
    try {
      kill();
    } catch {
      // keep going: the folders must go too
    }
  }
  for (const folder of folders) removeFolder(folder);
  folders.clear();
}

/**
 * Removes a folder that work still in flight may be writing to (an SDK tree being generated when Ctrl-C comes):
 * rmSync then fails with ENOTEMPTY, so it tries again a few times. It never throws: a throw here, in a signal
 * handler, would end the process with exit code 1 instead of the signal, and leave the other folders behind.
 */
function removeFolder(folder: string): void {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      rmSync(folder, { recursive: true, force: true });
      return;
    } catch {
      // something wrote into it meanwhile: again
    }
  }
}

/** True when a listener other than a cleanup handles the signal (then it decides whether the process ends). */
function ownerListens(signal: NodeJS.Signals): boolean {
  return process.listeners(signal).some((listener) => !(listener as { [CLEANUP_LISTENER]?: boolean })[CLEANUP_LISTENER]);
}

const onSignal = Object.assign(
  (signal: NodeJS.Signals): void => {
    teardown();
    if (ownerListens(signal)) return;
    for (const other of SIGNALS) process.off(other, onSignal);
    process.off("exit", teardown);
    installed = false;
    process.kill(process.pid, signal);
  },
  { [CLEANUP_LISTENER]: true },
);

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", teardown);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/** Runs `kill` (synchronous, best-effort) at exit or on a terminating signal. Returns the unregister function. */
export function killAtTeardown(kill: () => void): () => void {
  killers.add(kill);
  install();
  return () => killers.delete(kill);
}

/** Removes `folder` at exit or on a terminating signal (unless unregistered first). */
export function removeAtTeardown(folder: string): () => void {
  folders.add(folder);
  install();
  return () => folders.delete(folder);
}
