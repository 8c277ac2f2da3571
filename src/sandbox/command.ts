/**
 * The argv a worker starts with: [node only] prlimit (CPU, file size, open files, processes; python workers set
 * their own) -> bwrap spawned as the run's uid (namespaces, no nested user namespaces, read-only system binds,
 * /runtime, /sdk and /skill read-only from the run's own staged folders, tmpfs /workspace and /tmp, no network) ->
 * the interpreter running the worker bootstrap. Without bwrap: prlimit -> setpriv (drop root, pdeathsig) -> the
 * interpreter ("process" isolation).
 */
import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import type { RlimitProfile } from "./limits.js";
import type { Isolation } from "../contracts/run.js";

export type WorkerLanguage = "python" | "node";

export interface CommandSpec {
  language: WorkerLanguage;
  isolation: Isolation;
  profile: RlimitProfile;
  python: string;
  node: string;
  /** Outside uid/gid to run as (when the host is root). */
  uid: number | null;
  setpriv: string | null;
  prlimit: string | null;
  bwrap: string | null;
  /** bwrap can forbid nested user namespaces (--disable-userns, bubblewrap 0.8+). */
  disableUserns?: boolean;
  /**
   * Host folders: the workspace (process isolation only), and the staged copies bound read-only: the skill folder,
   * the run's own SDK tree (the folder holding `servers/`) and the runtime. None of them is in the checkout.
   */
  host: { workspace: string; skill: string; sdk: string; runtime: string };
}

/** How the program sees its folders (inside the sandbox, or the host paths under process isolation). */
export interface SandboxPaths {
  workspace: string;
  skill: string;
  /** The SDK tree: `<sdk>/servers/...`. */
  sdk: string;
  runtime: string;
}

export interface Command {
  /** Set when spawn() itself drops root to this uid/gid (libuv also clears the supplementary groups). */
  uid?: number;
  gid?: number;
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  paths: SandboxPaths;
}

const SYSTEM_DIRS = ["/usr"];
const ETC_FILES = ["/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group"];

/** Folder to bind so an interpreter outside /usr (pyenv, nvm, ...) works: its prefix (…/bin/x -> …). */
export function interpreterPrefix(path: string): string | null {
  const real = realpathSync(path);
  if (SYSTEM_DIRS.some((d) => real.startsWith(`${d}/`))) return null;
  return dirname(dirname(real));
}

/**
 * What every bwrap the toolkit starts begins with: new namespaces (no network), no environment, no capabilities,
 * nobody inside, the system read-only. Runs (below) and one-shot helpers (helperCommand.ts) add their own folders.
 * `disableUserns`: this bwrap can forbid nested user namespaces (isolation.ts probes it).
 */
export function bwrapSystemArgs(disableUserns: boolean): string[] {
  const args = ["--unshare-all", "--die-with-parent", "--new-session", "--clearenv", "--cap-drop", "ALL"];
  // A nested user namespace would give the program a root of its own (mount, tmpfs, ...): forbidden where bwrap can.
  if (disableUserns) args.push("--unshare-user", "--disable-userns");
  args.push("--uid", "65534", "--gid", "65534", "--hostname", "sandbox");
  for (const dir of SYSTEM_DIRS) args.push("--ro-bind", dir, dir);
  for (const link of ["lib", "lib64", "bin", "sbin"]) {
    if (existsSync(`/${link}`)) args.push("--symlink", `usr/${link}`, `/${link}`);
  }
  for (const file of ETC_FILES) if (existsSync(file)) args.push("--ro-bind", file, file);
  return args;
}

function bwrapArgs(spec: CommandSpec, interpreter: string): string[] {
  const args = bwrapSystemArgs(spec.disableUserns ?? false);
  // /workspace and /tmp are size-capped tmpfs mounts: their pages are also charged to the run's memory cgroup, so
  // many files cannot fill the host disk (RLIMIT_FSIZE only caps one file). Mounted before the binds below, so an
  // interpreter installed under /tmp stays visible.
  const size = String(Math.max(16, spec.profile.memoryMb) * 1024 * 1024);
  args.push("--size", size, "--perms", "0700", "--tmpfs", "/workspace");
  args.push("--size", size, "--perms", "1777", "--tmpfs", "/tmp");
  const prefix = interpreterPrefix(interpreter);
  if (prefix) args.push("--ro-bind", prefix, prefix);
  args.push("--ro-bind", spec.host.runtime, "/runtime");
  args.push("--ro-bind", spec.host.sdk, "/sdk");
  args.push("--ro-bind", spec.host.skill, "/skill");
  args.push("--proc", "/proc", "--dev", "/dev", "--chdir", "/workspace");
  for (const [key, value] of Object.entries(sandboxEnv("/workspace"))) args.push("--setenv", key, value);
  return args;
}

function sandboxEnv(home: string): Record<string, string> {
  return { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: home, LANG: "C.UTF-8", TMPDIR: "/tmp", SKILLS_BRIDGE_FD: "3" };
}

export function buildCommand(spec: CommandSpec): Command {
  const sandboxed = spec.isolation === "bwrap" && spec.bwrap !== null;
  const runtime = sandboxed ? "/runtime" : spec.host.runtime;
  const interpreter = spec.language === "python" ? spec.python : spec.node;
  const interpreterArgs =
    spec.language === "python"
      ? ["-S", "-I", join(runtime, "python", "worker.py")]
      : [`--max-old-space-size=${Math.max(16, spec.profile.memoryMb)}`, join(runtime, "node", "worker.mjs")];
  const chain: string[] = [];
  // Python workers set their own rlimits (the resource module) before the program runs, so they skip an exec of
  // prlimit; node cannot, so prlimit sets them.
  if (spec.prlimit && spec.language !== "python") {
    const p = spec.profile;
    // SIGXCPU at the budget (a clear signal to report), SIGKILL one second later; no core files.
    chain.push(
      spec.prlimit,
      `--cpu=${p.cpuSeconds}:${p.cpuSeconds + 1}`,
      `--fsize=${p.fileBytes}`,
      `--nofile=${p.openFiles}`,
      "--core=0",
    );
    // RLIMIT_NPROC binds only for a non-root uid; the pids cgroup is the per-run cap either way.
    if (spec.uid !== null) chain.push(`--nproc=${p.processes}`);
    chain.push("--");
  }
  // Dropping root: under bwrap, spawn() itself switches uid/gid and clears the groups (one exec less); bwrap's
  // --die-with-parent ends the tree with the host. Without bwrap, setpriv adds --pdeathsig for the same guarantee.
  const spawnAs = sandboxed && spec.uid !== null ? spec.uid : null;
  if (spec.uid !== null && spec.setpriv && spawnAs === null) {
    chain.push(
      spec.setpriv,
      `--reuid=${spec.uid}`,
      `--regid=${spec.uid}`,
      "--clear-groups",
      "--pdeathsig=SIGKILL",
      "--",
    );
  }
  const paths: SandboxPaths = sandboxed
    ? { workspace: "/workspace", skill: "/skill", sdk: "/sdk", runtime }
    : { workspace: spec.host.workspace, skill: spec.host.skill, sdk: spec.host.sdk, runtime };
  if (sandboxed) chain.push(spec.bwrap!, ...bwrapArgs(spec, interpreter), "--", interpreter, ...interpreterArgs);
  else chain.push(interpreter, ...interpreterArgs);
  return {
    file: chain[0]!,
    args: chain.slice(1),
    env: sandboxEnv(paths.workspace),
    cwd: spec.host.workspace,
    ...(spawnAs !== null ? { uid: spawnAs, gid: spawnAs } : {}),
    paths,
  };
}

/** The host paths a command binds into the sandbox (the sources of its --ro-bind pairs), in order. */
export function boundPaths(command: Command): string[] {
  const out: string[] = [];
  command.args.forEach((arg, i) => {
    if (arg === "--ro-bind" && command.args[i + 1] !== undefined) out.push(command.args[i + 1]!);
  });
  return out;
}
