/**
 * What the bwrap probe found, kept for later processes: the probe starts three processes (bwrap --version, --help,
 * a trial sandbox), tens of milliseconds that every cold run would pay again. The answer is valid only for the
 * machine state it was measured in, so it is keyed by everything that decides it: the uid, the boot (a reboot may
 * change the kernel or its settings), the user-namespace sysctls, and the identity of the bwrap and setpriv
 * executables. It lives in this user's own runtime cache (cacheDir.ts). `skills doctor` always probes afresh.
 */
import { createHash } from "node:crypto";
import { readFileSync, realpathSync, statSync, writeFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { hostUid, ownedCacheDir } from "./cacheDir.js";

export interface BwrapFacts {
  bwrap: { path: string; version: string } | null;
  /** bwrap can create the sandbox the runs get. */
  userns: boolean;
  /** ...and forbid nested user namespaces in it. */
  disableUserns: boolean;
  reasons: string[];
}

const FORMAT = 1;
const SYSCTLS = [
  "/proc/sys/kernel/random/boot_id",
  "/proc/sys/user/max_user_namespaces",
  "/proc/sys/kernel/unprivileged_userns_clone",
  "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
];

function readOr(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return "-";
  }
}

function identity(path: string | null): unknown {
  if (!path) return null;
  try {
    const real = realpathSync(path);
    const stat = statSync(real);
    return [real, stat.ino, stat.size, stat.mtimeMs, stat.mode, stat.uid];
  } catch {
    return "missing";
  }
}

/** The file that holds the facts for the machine as it is now (null when there is no runtime cache to keep it). */
export function factsFile(bwrap: string | null, setpriv: string | null): string | null {
  const key = createHash("sha256")
    .update(JSON.stringify([FORMAT, hostUid(), SYSCTLS.map(readOr), identity(bwrap), identity(setpriv)]))
    .digest("hex")
    .slice(0, 24);
  try {
    return join(ownedCacheDir("skills-runtime"), `isolation-${key}.json`);
  } catch {
    return null;
  }
}

export function readFacts(file: string): BwrapFacts | undefined {
  try {
    const facts = JSON.parse(readFileSync(file, "utf8")) as BwrapFacts;
    if (typeof facts.userns !== "boolean" || !Array.isArray(facts.reasons)) return undefined;
    return facts;
  } catch {
    return undefined;
  }
}

export function writeFacts(file: string, facts: BwrapFacts): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(facts), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    rmSync(temp, { force: true });
  }
}

/** Forgets the facts (a run found them wrong: bwrap failed where the probe said it works). */
export function forgetFacts(file: string | null): void {
  if (file) rmSync(file, { force: true });
}
