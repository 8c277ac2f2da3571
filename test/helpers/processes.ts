/** Process listing from /proc, to prove that nothing a test started (sandboxes, MCP servers) outlives it. */
import { readdirSync, readFileSync } from "node:fs";

interface ProcessInfo {
  pid: number;
  ppid: number;
  state: string;
}

function info(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: the fields after it start at the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, state: fields[0] as string, ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Every process below `pid` now (children, their children, ...). */
export function descendants(pid: number): number[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => info(Number(name)))
    .filter((entry): entry is ProcessInfo => entry !== undefined);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const child of all) {
      if (child.ppid === parent && !found.includes(child.pid)) {
        found.push(child.pid);
        queue.push(child.pid);
      }
    }
  }
  return found;
}

/** Running (a zombie waiting to be reaped is gone for our purpose). */
export function isAlive(pid: number): boolean {
  const entry = info(pid);
  return entry !== undefined && entry.state !== "Z";
}

/** The command line of a process, for messages. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "(gone)";
  }
}

/** Waits until none of `pids` is alive (up to `ms`); returns those still alive with their command lines. */
export async function survivors(pids: number[], ms = 5000): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0 || Date.now() > deadline) return alive.map((pid) => `${pid} ${commandLine(pid)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
