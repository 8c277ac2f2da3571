/**
 * One memory + pids (+ cpuacct) cgroup per run, where the host lets us create one. cgroup v1 (one hierarchy per
 * controller, as on these machines) and v2 (one unified hierarchy) are both supported. Every function here is
 * best-effort: a missing controller means the limit is not applied, never a failed run.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { rmdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { IsolationReport } from "../contracts/run.js";

const ROOT = "/sys/fs/cgroup";
const PARENT = "skills-sandbox";

type Layout = { version: 1; memory?: string; pids?: string; cpu?: string } | { version: 2; base: string } | null;

let layout: Layout | undefined;

function tryMkdir(path: string): boolean {
  try {
    mkdirSync(path, { recursive: true });
    return true;
  } catch {
    return false;
  }
}

function v2Base(): string | null {
  try {
    const line = readFileSync("/proc/self/cgroup", "utf8")
      .split("\n")
      .find((l) => l.startsWith("0::"));
    if (!line) return null;
    return join(ROOT, line.slice(3).trim());
  } catch {
    return null;
  }
}

/** Removes empty run cgroups left by host processes that are gone (e.g. killed before they could clean up). */
function sweepStale(parent: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^(?:run|bundler)-(\d+)-/.exec(name);
    if (!match || Number(match[1]) === process.pid) continue;
    try {
      process.kill(Number(match[1]), 0);
      continue;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") continue;
    }
    try {
      rmdirSync(join(parent, name));
    } catch {
      // still has processes: left alone
    }
  }
}

function detectLayout(): Layout {
  if (existsSync(join(ROOT, "cgroup.controllers"))) {
    const parent = v2Base();
    if (!parent) return null;
    const base = join(parent, PARENT);
    if (!tryMkdir(base)) return null;
    sweepStale(base);
    try {
      writeFileSync(join(parent, "cgroup.subtree_control"), "+memory +pids");
      writeFileSync(join(base, "cgroup.subtree_control"), "+memory +pids");
    } catch {
      // delegation may already be in place, or not allowed: checked below
    }
    return { version: 2, base };
  }
  const found: { version: 1; memory?: string; pids?: string; cpu?: string } = { version: 1 };
  for (const [key, controller] of [
    ["memory", "memory"],
    ["pids", "pids"],
    ["cpu", "cpuacct"],
  ] as const) {
    const dir = join(ROOT, controller, PARENT);
    if (existsSync(join(ROOT, controller)) && tryMkdir(dir)) {
      found[key] = dir;
      sweepStale(dir);
    }
  }
  return found.memory || found.pids ? found : null;
}

function getLayout(): Layout {
  if (layout === undefined) layout = detectLayout();
  return layout;
}

export function detectCgroup(): IsolationReport["cgroup"] {
  const l = getLayout();
  if (!l) return { version: null, memory: false, pids: false };
  if (l.version === 1) return { version: 1, memory: !!l.memory, pids: !!l.pids, path: l.memory ?? l.pids };
  let controllers = "";
  try {
    controllers = readFileSync(join(l.base, "cgroup.subtree_control"), "utf8");
  } catch {
    // unreadable: report no controllers
  }
  return { version: 2, memory: controllers.includes("memory"), pids: controllers.includes("pids"), path: l.base };
}

function write(path: string, value: string): boolean {
  try {
    writeFileSync(path, value);
    return true;
  } catch {
    return false;
  }
}

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

let counter = 0;
const instance = Math.random().toString(36).slice(2, 8);

/** The cgroup(s) of one run. */
export class RunCgroup {
  private constructor(
    private readonly dirs: string[],
    private readonly version: 1 | 2,
  ) {}

  /** Creates the run's cgroup (`kind` "bundler": a bundler child's), or returns null when this host gives none. */
  static create(kind: "run" | "bundler" = "run"): RunCgroup | null {
    const l = getLayout();
    if (!l) return null;
    counter += 1;
    // The random part keeps two copies of this module in one process (e.g. src and dist) from sharing names.
    const name = `${kind}-${process.pid}-${instance}-${counter}`;
    const parents = l.version === 2 ? [l.base] : [l.memory, l.pids, l.cpu].filter((d): d is string => !!d);
    const dirs = parents.map((p) => join(p, name)).filter(tryMkdir);
    return dirs.length > 0 ? new RunCgroup(dirs, l.version) : null;
  }

  private file(controller: "memory" | "pids" | "cpuacct", name: string): string | undefined {
    const dir = this.version === 2 ? this.dirs[0] : this.dirs.find((d) => d.includes(`/${controller}/`));
    return dir ? join(dir, name) : undefined;
  }

  setLimits(memoryBytes: number, maxPids: number): void {
    if (this.version === 2) {
      const dir = this.dirs[0]!;
      write(join(dir, "memory.max"), String(memoryBytes));
      write(join(dir, "memory.swap.max"), "0");
      write(join(dir, "pids.max"), String(maxPids));
      return;
    }
    const memory = this.file("memory", "memory.limit_in_bytes");
    if (memory) {
      // Lowering below current usage fails with EBUSY; the kernel then reclaims at the next charge anyway.
      write(memory, String(memoryBytes));
      const swap = this.file("memory", "memory.memsw.limit_in_bytes");
      if (swap && existsSync(swap)) write(swap, String(memoryBytes));
    }
    const pids = this.file("pids", "pids.max");
    if (pids) write(pids, String(maxPids));
  }

  /**
   * Moves processes into the run's cgroups (their future children follow). Asynchronous on purpose: writing
   * cgroup.procs waits for an RCU grace period (milliseconds under load); on the thread pool the hierarchies are
   * joined in parallel while the interpreter starts.
   */
  async add(...pids: number[]): Promise<void> {
    await Promise.all(
      this.dirs.flatMap((dir) =>
        pids.map((pid) => writeFile(join(dir, "cgroup.procs"), String(pid)).catch(() => undefined)),
      ),
    );
  }

  /** Adds every descendant of pid not already in the run's cgroup (closes the race between spawn and add). */
  async addTree(pid: number): Promise<void> {
    const marker = `/${PARENT}/${basename(this.dirs[0]!)}`;
    const missing = descendants(pid).filter((p) => !read(`/proc/${p}/cgroup`).includes(marker));
    if (missing.length > 0) await this.add(...missing);
  }

  pids(): number[] {
    const file = this.version === 2 ? join(this.dirs[0]!, "cgroup.procs") : join(this.dirs[0]!, "cgroup.procs");
    return read(file).split("\n").filter(Boolean).map(Number);
  }

  /** CPU time used by the run's processes so far, in ms (null without a cpu controller). */
  cpuMs(): number | null {
    if (this.version === 2) {
      const match = /usage_usec (\d+)/.exec(read(join(this.dirs[0]!, "cpu.stat")));
      return match ? Number(match[1]) / 1000 : null;
    }
    const usage = this.file("cpuacct", "cpuacct.usage");
    const text = usage ? read(usage).trim() : "";
    return text ? Number(text) / 1e6 : null;
  }

  /** Peak memory of the run's processes in bytes (null where the kernel does not report it). */
  memoryPeakBytes(): number | null {
    const file =
      this.version === 2 ? join(this.dirs[0]!, "memory.peak") : this.file("memory", "memory.max_usage_in_bytes");
    const text = file ? read(file).trim() : "";
    return /^\d+$/.test(text) ? Number(text) : null;
  }

  /** True when the kernel OOM-killed something in the run. */
  oomKilled(): boolean {
    const events =
      this.version === 2
        ? read(join(this.dirs[0]!, "memory.events"))
        : read(this.file("memory", "memory.oom_control") ?? "");
    const match = /oom_kill (\d+)/.exec(events);
    return match ? Number(match[1]) > 0 : false;
  }

  /** True when a fork or clone failed because of pids.max. */
  pidsExhausted(): boolean {
    const match = /max (\d+)/.exec(read(this.file("pids", "pids.events") ?? ""));
    return match ? Number(match[1]) > 0 : false;
  }

  /** SIGKILLs every process in the run's cgroups. */
  killAll(): void {
    // Again while new processes show up (forked while the kill was on its way); one already sent SIGKILL cannot fork
    // again, so it is not sent another while the kernel ends it.
    const killed = new Set<number>();
    for (let round = 0; round < 5; round += 1) {
      const pids = this.dirs.flatMap((d) => read(join(d, "cgroup.procs")).split("\n").filter(Boolean).map(Number));
      const fresh = pids.filter((pid) => !killed.has(pid));
      if (fresh.length === 0) return;
      for (const pid of fresh) {
        killed.add(pid);
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  }

  /**
   * Removes the cgroups; retries while the last processes are being reaped. Off the event loop: the kernel can take
   * milliseconds to take a memory cgroup offline, and a host serving runs must not stall its other runs meanwhile.
   */
  async remove(): Promise<void> {
    // The hierarchies side by side: each rmdir waits for the kernel to take its cgroup offline.
    await Promise.all(this.dirs.map((dir) => this.removeDir(dir)));
  }

  private async removeDir(dir: string): Promise<void> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      try {
        await rmdir(dir);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
        this.killAll();
        // The last processes are usually reaped within a few ms: check again soon, then every 10 ms.
        await new Promise((resolve) => setTimeout(resolve, Math.min(10, 1 + attempt * 3)));
      }
    }
  }
}

/** pid and all its descendants, via /proc/<pid>/task/<tid>/children. */
export function descendants(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop()!;
    out.push(current);
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${current}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      for (const child of read(`/proc/${current}/task/${tid}/children`).split(" ").filter(Boolean)) {
        stack.push(Number(child));
      }
    }
  }
  return out;
}
