/**
 * Runs esbuild for the host in child processes it can kill (runtime/bundler/child.mjs): esbuild reads what a
 * program imports, and a hostile import or input (a device, deep nesting that overflows esbuild's stack) must cost
 * the host a bounded amount. Each child does one bundle at a time, under:
 *   - the run's timeout (counted from the request, not the child's start): past it the child's whole process group
 *     is killed;
 *   - a memory cap of BUNDLER_MEMORY_BYTES for the child and its esbuild process: a memory cgroup where the host can
 *     make one, else their resident memory polled every 50 ms; plus RLIMIT_AS on each process as a backstop;
 *   - the plugin in the child (files inside the allowed roots only, JS/TS/JSON loaders, a size cap on sources).
 * Idle children are kept (one) for the next bundle and never keep the host process alive.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RunCgroup, descendants } from "./cgroup.js";
import { findExecutable } from "./isolation.js";
import { RUNTIME_DIR } from "./runtimeFiles.js";
import { killAtTeardown } from "./teardown.js";

/** Resident memory the bundler (node + esbuild) may use for one bundle. */
export const BUNDLER_MEMORY_BYTES = 1024 * 1024 * 1024;
/** Address space per bundler process (RLIMIT_AS): a hard backstop where neither a cgroup nor polling catch it. */
export const BUNDLER_ADDRESS_SPACE_BYTES = 4 * 1024 * 1024 * 1024;
/** Source a program may bundle in all (its files and the SDK's). */
export const MAX_BUNDLE_INPUT_BYTES = 16 * 1024 * 1024;
/** The bundled module travels to the worker in one message. */
export const MAX_BUNDLE_OUTPUT_BYTES = 16 * 1024 * 1024;
/** How long a bundler child may take to start. */
const START_TIMEOUT_MS = 20_000;
const MAX_CHILDREN = 4;
const POLL_MS = 50;

const CHILD_SCRIPT = join(RUNTIME_DIR, "bundler", "child.mjs");

export interface BundlerRequest {
  kind: "bundle" | "transpile";
  code: string;
  loader: "ts" | "js";
  filename: string;
  /** Folders whose files may be imported (the skill folder, or an empty folder for a program without one). */
  roots: string[];
  sdkDir: string;
}

export interface BundlerMessage {
  text: string;
  location: { file: string; line: number; column: number } | null;
}

export type BundlerOutcome =
  | { ok: true; code: string; inputs: { path: string; size: number; mtimeMs: number }[]; map?: string }
  | { ok: false; errors: BundlerMessage[] }
  | { ok: false; stopped: "timeout" | "memory" | "crashed"; detail: string };

interface Reply {
  id: number;
  ok: boolean;
  code?: string;
  /** The bundle's source map (JSON), its sources named as the user knows them. */
  map?: string;
  inputs?: { path: string; size: number; mtimeMs: number }[];
  errors?: BundlerMessage[];
}

let nextId = 0;

/** Resident memory of a process and its descendants (where no memory cgroup can hold them). */
export function residentBytes(pid: number): number {
  let total = 0;
  for (const p of descendants(pid)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

class BundlerChild {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly cgroup: RunCgroup | null;
  dead = false;
  private stderr = "";
  private current: ((outcome: BundlerOutcome) => void) | null = null;
  private stopped: "timeout" | "memory" | null = null;

  constructor() {
    const node = [process.execPath, "--max-old-space-size=256", CHILD_SCRIPT];
    const prlimit = findExecutable("prlimit");
    const argv = prlimit ? [prlimit, `--as=${BUNDLER_ADDRESS_SPACE_BYTES}`, "--core=0", "--", ...node] : node;
    this.child = spawn(argv[0]!, argv.slice(1), {
      // Its own process group, so a kill reaches esbuild too; a clean environment (no secrets, no CA bundle cost).
      detached: true,
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" },
    });
    this.cgroup = RunCgroup.create("bundler");
    this.cgroup?.setLimits(BUNDLER_MEMORY_BYTES, 64);
    if (this.child.pid !== undefined) void this.cgroup?.add(this.child.pid);
    this.child.stderr?.on("data", (chunk: Buffer) => {
      // esbuild's own crash report is megabytes of goroutine stacks: its first lines say what happened.
      if (this.stderr.length < 4096) this.stderr += chunk.toString("utf8").slice(0, 4096 - this.stderr.length);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new Error(`the bundler did not start within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      this.child.once("message", () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.once("exit", () => {
        clearTimeout(timer);
        reject(new Error(`the bundler exited before it was ready: ${this.stderr.trim() || "no message"}`));
      });
    });
    this.ready.catch(() => undefined);
    this.child.on("message", (message: Reply | { ready: true }) => {
      if ("id" in message && this.current) this.finish(toOutcome(message));
    });
    this.child.once("exit", (code, signal) => {
      this.dead = true;
      const stopped = this.stopped;
      const oom = this.cgroup?.oomKilled() ?? false;
      void this.cgroup?.remove();
      if (!this.current) return;
      if (stopped === "timeout") this.finish({ ok: false, stopped: "timeout", detail: "" });
      else if (stopped === "memory" || oom || /out of memory|stack overflow|stack exceeds/.test(this.stderr)) {
        this.finish({ ok: false, stopped: "memory", detail: firstLine(this.stderr) });
      } else {
        this.finish({
          ok: false,
          stopped: "crashed",
          detail: firstLine(this.stderr) || `exit ${code ?? signal ?? "?"}`,
        });
      }
    });
    this.idle();
  }

  /** An idle child must not keep the host process alive (nor its IPC channel, nor its stderr pipe). */
  private idle(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
    (this.child.stderr as { unref?: () => void } | null)?.unref?.();
  }

  private busy(): void {
    this.child.ref();
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
    (this.child.stderr as { ref?: () => void } | null)?.ref?.();
  }

  private finish(outcome: BundlerOutcome): void {
    const settle = this.current;
    this.current = null;
    settle?.(outcome);
  }

  run(request: BundlerRequest, timeoutMs: number): Promise<BundlerOutcome> {
    return new Promise<BundlerOutcome>((resolve) => {
      this.busy();
      const timer = setTimeout(() => this.stop("timeout"), timeoutMs);
      const poll = this.cgroup
        ? undefined
        : setInterval(() => {
            if (this.child.pid !== undefined && residentBytes(this.child.pid) > BUNDLER_MEMORY_BYTES) {
              this.stop("memory");
            }
          }, POLL_MS);
      this.current = (outcome) => {
        clearTimeout(timer);
        if (poll) clearInterval(poll);
        if (!this.dead) this.idle();
        resolve(outcome);
      };
      nextId += 1;
      this.child.send({
        id: nextId,
        ...request,
        maxInputBytes: MAX_BUNDLE_INPUT_BYTES,
        maxOutputBytes: MAX_BUNDLE_OUTPUT_BYTES,
      });
    });
  }

  private stop(reason: "timeout" | "memory"): void {
    this.stopped ??= reason;
    this.kill();
  }

  kill(): void {
    const pid = this.child.pid;
    if (pid !== undefined && !this.dead) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    this.cgroup?.killAll();
  }
}

/** The first non-empty line of a tool's stderr, trimmed: what an error message quotes of it. */
export function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((line) => line.trim())
      .find(Boolean) ?? ""
  );
}

function toOutcome(reply: Reply): BundlerOutcome {
  if (reply.ok && typeof reply.code === "string") {
    return {
      ok: true,
      code: reply.code,
      inputs: reply.inputs ?? [],
      ...(typeof reply.map === "string" ? { map: reply.map } : {}),
    };
  }
  return { ok: false, errors: reply.errors?.length ? reply.errors : [{ text: "bundling failed", location: null }] };
}

const idle: BundlerChild[] = [];
const live = new Set<BundlerChild>();
const waiting: (() => void)[] = [];

let teardownSet = false;

function spawnChild(): BundlerChild {
  if (!teardownSet) {
    teardownSet = true;
    killAtTeardown(stopBundlers);
  }
  const child = new BundlerChild();
  live.add(child);
  child.child.once("exit", () => {
    live.delete(child);
    const at = idle.indexOf(child);
    if (at >= 0) idle.splice(at, 1);
  });
  return child;
}

/** Starts a bundler child ahead of the first bundle (its start overlaps the SDK generation). */
export function warmBundler(): void {
  if (idle.length === 0 && live.size < MAX_CHILDREN) idle.push(spawnChild());
}

async function acquire(): Promise<BundlerChild> {
  for (;;) {
    const child = idle.shift();
    if (child && !child.dead) return child;
    if (!child && live.size < MAX_CHILDREN) return spawnChild();
    if (!child) await new Promise<void>((resolve) => waiting.push(resolve));
  }
}

function release(child: BundlerChild): void {
  if (!child.dead) {
    if (idle.length === 0) idle.push(child);
    else child.kill();
  }
  waiting.shift()?.();
}

/** Runs one request in a bundler child within `timeoutMs` (from when the request is sent). */
export async function runBundler(request: BundlerRequest, timeoutMs: number): Promise<BundlerOutcome> {
  const child = await acquire();
  try {
    await child.ready;
  } catch (error) {
    release(child);
    return { ok: false, stopped: "crashed", detail: (error as Error).message };
  }
  try {
    return await child.run(request, timeoutMs);
  } finally {
    release(child);
  }
}

/** Kills every bundler child now (exit, Ctrl-C). */
export function stopBundlers(): void {
  for (const child of live) child.kill();
}
