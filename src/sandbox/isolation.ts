/**
 * What isolation this machine gives: bwrap with user namespaces (probed by really starting one), setpriv, prlimit
 * and cgroups. Detected once per process; what the bwrap probe found is kept for later processes while the machine
 * stays as it was (isolationCache.ts). SKILLS_FORCE_ISOLATION=process forces the fallback.
 */
import { execFile } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { detectCgroup } from "./cgroup.js";
import { type BwrapFacts, factsFile, forgetFacts, readFacts, writeFacts } from "./isolationCache.js";
import type { IsolationReport } from "../contracts/run.js";

const run = promisify(execFile);
export const FORCE_ISOLATION_ENV = "SKILLS_FORCE_ISOLATION";
/** Outside uid/gid of sandboxed runs: nobody. */
export const SANDBOX_UID = 65534;

export function findExecutable(name: string, path = process.env.PATH ?? "/usr/bin:/bin"): string | null {
  for (const dir of [...path.split(delimiter), "/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export const isRoot = (): boolean => typeof process.getuid === "function" && process.getuid() === 0;

let disableUserns = false;

/** True once the probe has seen this bwrap forbid nested user namespaces (--disable-userns, bubblewrap 0.8+). */
export function canDisableUserns(): boolean {
  return disableUserns;
}

async function probeBwrap(bwrap: string, setpriv: string | null, noUserns: boolean): Promise<string | null> {
  const prefix =
    isRoot() && setpriv ? [setpriv, `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, "--clear-groups"] : [];
  const lib = existsSync("/lib64") ? ["--symlink", "usr/lib64", "/lib64"] : [];
  const argv = [
    ...prefix,
    bwrap,
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    "--cap-drop",
    "ALL",
    ...(noUserns ? ["--unshare-user", "--disable-userns"] : []),
    "--ro-bind",
    "/usr",
    "/usr",
    "--symlink",
    "usr/lib",
    "/lib",
    ...lib,
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "/usr/bin/true",
  ];
  try {
    await run(argv[0]!, argv.slice(1), { timeout: 10_000 });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    return stderr || (error as Error).message;
  }
}

let cached: Promise<IsolationReport> | undefined;
let cachedFile: string | null = null;

/**
 * The isolation report (cached in the process, and the bwrap probe's findings on disk; fresh=true probes again and
 * replaces both).
 */
export function detectIsolation(fresh = false): Promise<IsolationReport> {
  if (!cached || fresh) cached = probe(fresh);
  return cached;
}

/**
 * A sandbox failed to start although the kept probe said bwrap works here: the machine changed. The next
 * detectIsolation() probes again.
 */
export function forgetIsolation(): void {
  forgetFacts(cachedFile);
  cached = undefined;
}

async function probe(fresh: boolean): Promise<IsolationReport> {
  const bwrapPath = findExecutable("bwrap");
  const setpriv = findExecutable("setpriv");
  const prlimit = findExecutable("prlimit");
  const cgroup = detectCgroup();
  const file = factsFile(bwrapPath, setpriv);
  cachedFile = file;
  let facts = !fresh && file ? readFacts(file) : undefined;
  if (!facts) {
    facts = await probeFacts(bwrapPath, setpriv);
    if (file) writeFacts(file, facts);
  }
  disableUserns = facts.disableUserns;
  const { bwrap, userns } = facts;
  const reasons = [...facts.reasons];
  if (isRoot() && !setpriv) reasons.push("setpriv is missing, so runs cannot drop root (util-linux)");
  if (!prlimit)
    reasons.push("prlimit is missing: CPU, file size, open files and process limits are not set (util-linux)");
  if (!cgroup.memory) reasons.push("no memory cgroup can be created: memory is limited only by the interpreter flags");
  if (!cgroup.pids) reasons.push("no pids cgroup can be created: processes are limited only by RLIMIT_NPROC");
  let isolation: IsolationReport["isolation"] = userns && (!isRoot() || setpriv) ? "bwrap" : "process";
  const forced = process.env[FORCE_ISOLATION_ENV];
  if (forced === "process") {
    isolation = "process";
    reasons.push(`${FORCE_ISOLATION_ENV}=process forces process isolation`);
  }
  if (isolation === "bwrap") {
    reasons.unshift(
      `bwrap ${bwrap?.version} with user namespaces: own mount, pid, net, ipc, uts and user namespace per run${disableUserns ? " (no nested ones)" : ""}; nobody inside, a uid of its own outside`,
    );
  }
  return { isolation, bwrap, userns, setpriv: setpriv !== null, prlimit: prlimit !== null, cgroup, reasons };
}

/** What only starting bwrap tells: its version, whether it can sandbox here, and forbid nested user namespaces. */
async function probeFacts(bwrapPath: string | null, setpriv: string | null): Promise<BwrapFacts> {
  const reasons: string[] = [];
  let bwrap: IsolationReport["bwrap"] = null;
  let userns = false;
  let disableUserns = false;
  if (bwrapPath) {
    const [version, help] = await Promise.all([
      run(bwrapPath, ["--version"]).then(
        (out) => out.stdout.trim().replace(/^bubblewrap\s+/, ""),
        () => "unknown",
      ),
      run(bwrapPath, ["--help"]).then(
        (out) => out.stdout,
        () => "",
      ),
    ]);
    bwrap = { path: bwrapPath, version };
    // The probe starts the sandbox the runs get, --disable-userns included where this bwrap has it.
    const noUserns = help.includes("--disable-userns");
    let failure = await probeBwrap(bwrapPath, setpriv, noUserns);
    if (failure && noUserns && (await probeBwrap(bwrapPath, setpriv, false)) === null) {
      reasons.push(`bwrap cannot forbid nested user namespaces here (${failure}): programs may create their own`);
      failure = null;
      disableUserns = false;
    } else {
      disableUserns = noUserns && failure === null;
      if (!noUserns) {
        reasons.push(
          `bwrap ${version} cannot forbid nested user namespaces (--disable-userns needs bubblewrap 0.8 or later)`,
        );
      }
    }
    userns = failure === null;
    if (failure) reasons.push(`bwrap cannot create a sandbox here: ${failure}`);
  } else {
    reasons.push("bwrap (bubblewrap) is not installed: apt-get install bubblewrap");
  }
  return { bwrap, userns, disableUserns, reasons };
}
