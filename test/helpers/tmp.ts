/**
 * Where a test run keeps its temporary files. test/globalSetup.ts points TMPDIR at a folder of its own on a RAM file
 * system (/dev/shm) when there is one with room and TMPDIR is not set: tests make and remove thousands of files (git
 * repositories, skill projects, staged runs), and the kernel's share of that is large on a disk (these machines mount
 * theirs with `discard`: a TRIM at every delete). Measured on the git- and sandbox-heavy files (review, release,
 * skillVersions, logDiff, sandboxRun, testRecordReplay; twice each way): 13.8-15.1 s of system time on disk, 9.2-9.5 s
 * in RAM, and 29.7-31.6 s of CPU against 25.5-26.0 s.
 *
 * The folder goes at the end of the run, when the run is stopped (Ctrl-C), and, should anything of it be left, at the
 * start of the next run: what is left in RAM stays there.
 *
 * A few tests need the disk's temporary folder instead (`diskTmpdir`): a copy that hard-links this repository's
 * files (a link cannot cross file systems), and a program a sandbox runs by its host path (a sandbox mounts a /dev
 * of its own, which hides /dev/shm).
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAlive } from "./processes.js";

/** The temporary folder of the machine, as the test run found it (set by the global setup when it moved TMPDIR). */
export const DISK_TMP_ENV = "SKILLS_TEST_DISK_TMP";

/** The RAM file system and the room a run needs on it (a run's files take a few hundred MB at their peak). */
const RAM = "/dev/shm";
const ROOM = 4 * 1024 ** 3;

export function diskTmpdir(): string {
  return process.env[DISK_TMP_ENV] ?? tmpdir();
}

/**
 * A new folder on the RAM file system for the run's temporary files, open to every user like /tmp (1777: tests run
 * the CLI as a normal user too); undefined when there is none with room, or it is mounted noexec. Its name carries
 * the run's process id; the folders of runs that are gone are removed first.
 */
export function ramTmpdir(): string | undefined {
  try {
    removeStale();
    const fs = statfsSync(RAM);
    if (fs.bavail * fs.bsize < ROOM || noexec()) return undefined;
    const dir = mkdtempSync(join(RAM, `${PREFIX}${process.pid}-`));
    chmodSync(dir, 0o1777);
    return dir;
  } catch {
    return undefined;
  }
}

const PREFIX = "skills-test-tmp-";
/** A folder's name: the prefix, the pid of the run that made it, mkdtemp's letters. */
const NAME = new RegExp(`^${PREFIX}(\\d+)-`);

/** Whether the RAM file system is mounted noexec (a container's often is): tests run scripts from TMPDIR. */
function noexec(): boolean {
  let mounts: string;
  try {
    mounts = readFileSync("/proc/self/mounts", "utf8");
  } catch {
    return false;
  }
  const options = mounts
    .split("\n")
    .map((line) => line.split(" "))
    .filter((fields) => fields[1] === RAM)
    .at(-1)?.[3];
  return options?.split(",").includes("noexec") ?? false;
}

/**
 * A run stopped by Ctrl-C leaves its folder: vitest exits without its teardown, and the workers it leaves behind may
 * still be writing as the exit handler removes the folder. RAM is not given back until the folder goes.
 */
function removeStale(): void {
  for (const name of readdirSync(RAM)) {
    const pid = Number(NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    removeRunFolder(join(RAM, name)); // another user's stays: theirs to remove
  }
}

/**
 * Removes a folder of the test run's, trying again when it fills as it goes (workers left by a stopped run may still
 * be writing); one that cannot be removed stays, silently.
 */
export function removeRunFolder(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  } catch {
    // left as it is
  }
}
