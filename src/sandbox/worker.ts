/**
 * One sandboxed worker process: spawned (prlimit -> setpriv -> bwrap -> interpreter), put in its own cgroup, its
 * stdout/stderr captured with caps, its bridge opened. Single-use: after one program it is disposed (killed,
 * cgroup and folders removed).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  accessSync,
  chmodSync,
  chownSync,
  constants,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from "node:fs";
import { rm } from "node:fs/promises";
import type { Socket } from "node:net";
import { join } from "node:path";
import { SkillsError } from "../errors.js";
import { BridgeConnection } from "./bridgeConnection.js";
import { RunCgroup } from "./cgroup.js";
import { type Command, type WorkerLanguage, buildCommand } from "./command.js";
import { canDisableUserns, findExecutable, isRoot } from "./isolation.js";
import type { RlimitProfile } from "./limits.js";
import { MAX_MESSAGE_BYTES } from "./protocol.js";
import { hostUid, stagingBase } from "./cacheDir.js";
import { linkTree } from "./linkTree.js";
import { ensureRuntimeBytecode, stagedRuntime } from "./runtimeFiles.js";
import { stageSkill } from "./skillStage.js";
import { removeAtTeardown } from "./teardown.js";
import type { Isolation, KilledBy } from "../contracts/run.js";

export interface WorkerSpec {
  language: WorkerLanguage;
  isolation: Isolation;
  profile: RlimitProfile;
  python: string;
  /** Stage this skill folder at /skill (cold runs); pooled workers get an empty folder filled at hand-off. */
  skillDir?: string;
  /** Stage this SDK tree at /sdk (cold runs and sessions; pooled workers: the one the last run used, if any). */
  sdkDir?: string;
  maxMessageBytes?: number;
  /** Pre-spawned for a pool: gets a skill folder of its own, filled at hand-off. */
  pooled?: boolean;
  /** A worker that has not said "ready" by then is killed (default START_TIMEOUT_MS). */
  startTimeoutMs?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Captured output, kept up to a cap (changed at hand-off); the rest is counted and dropped. The worker writes a
 * per-worker random marker after the program's last output, so the host knows the logs are complete without
 * waiting for the process to exit; the marker is never part of the logs. A program that prints the marker early
 * only cuts its own logs short.
 */
/** How many bytes at the end of `data` are a proper prefix of `marker` (0 when none). */
export function markerPrefixAtEnd(data: Buffer, marker: Buffer): number {
  for (let length = Math.min(data.length, marker.length - 1); length > 0; length--) {
    if (data.subarray(data.length - length).equals(marker.subarray(0, length))) return length;
  }
  return 0;
}

export class OutputCapture {
  private chunks: Buffer[] = [];
  private kept = 0;
  private held: Buffer = Buffer.alloc(0);
  private markerSeen = false;
  dropped = 0;
  readonly complete: Promise<void>;
  private resolveComplete!: () => void;

  constructor(
    public limit: number,
    private readonly marker: Buffer,
  ) {
    this.complete = new Promise((resolve) => {
      this.resolveComplete = resolve;
    });
  }

  private keep(chunk: Buffer): void {
    const room = this.limit - this.kept;
    if (room > 0) {
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.chunks.push(part);
      this.kept += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(room, 0));
  }

  push(chunk: Buffer): void {
    // Output after the marker (e.g. the worker's own traceback when it cannot answer) is still kept.
    if (this.markerSeen) {
      this.keep(chunk);
      return;
    }
    const data = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const at = data.indexOf(this.marker);
    if (at >= 0) {
      this.keep(data.subarray(0, at));
      if (at + this.marker.length < data.length) this.keep(data.subarray(at + this.marker.length));
      this.held = Buffer.alloc(0);
      this.markerSeen = true;
      this.resolveComplete();
      return;
    }
    // Hold back the end of the data only when it could be the start of the marker split across reads.
    const hold = markerPrefixAtEnd(data, this.marker);
    this.keep(data.subarray(0, data.length - hold));
    this.held = Buffer.from(data.subarray(data.length - hold));
  }

  /** The stream ended (process gone): whatever was held back is output too. */
  end(): void {
    if (!this.markerSeen && this.held.length > 0) this.keep(this.held);
    this.held = Buffer.alloc(0);
    this.resolveComplete();
  }

  /** What was kept. A marker still arriving (the start held back) is the toolkit's, never the program's output. */
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

let sandboxTmp: string | undefined;
// Random start: two copies of this module in one process should not hand out the same uids.
let uidCounter = Math.floor(Math.random() * 1000);

/**
 * Removes the run folders of host processes that are gone without cleaning up (killed with SIGKILL): their names
 * carry the pid. Only this user's folders, only when that pid no longer exists.
 */
function sweepStaleRunFolders(base: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(base);
  } catch {
    return;
  }
  const uid = hostUid();
  for (const name of names) {
    const pid = Number(/^skills-sandbox-(\d+)-/.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") continue;
    }
    const path = join(base, name);
    try {
      const stat = lstatSync(path);
      if (stat.isDirectory() && stat.uid === uid) rmSync(path, { recursive: true, force: true });
    } catch {
      // gone meanwhile
    }
  }
}

function tmpRoot(): string {
  if (!sandboxTmp) {
    const base = stagingBase();
    sweepStaleRunFolders(base);
    sandboxTmp = mkdtempSync(join(base, `skills-sandbox-${process.pid}-`));
    // The run's uid must traverse (not list) the folders that lead to its workspace and skill folder.
    chmodSync(sandboxTmp, 0o711);
    // Removed at exit and on Ctrl-C / SIGTERM / SIGHUP too (after the sandboxes in it are killed).
    removeAtTeardown(sandboxTmp);
  }
  return sandboxTmp;
}

/** How long an interpreter may take to start and load the runtime (generous: a loaded machine is slow). */
export const START_TIMEOUT_MS = 20_000;

/** The block of outside uids this host process gives its workers: [first, first + 1000). */
export function workerUidBlock(): number {
  return 200_000 + (process.pid % 800) * 1000;
}

/** A uid of its own for each worker, so RLIMIT_NPROC counts only that run's processes. */
function allocateUid(): number | null {
  if (!isRoot()) return null;
  uidCounter = (uidCounter + 1) % 1000;
  return workerUidBlock() + uidCounter;
}

const tools = {
  setpriv: findExecutable("setpriv"),
  prlimit: findExecutable("prlimit"),
  bwrap: findExecutable("bwrap"),
};

function assertExecutable(path: string, language: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new SkillsError("SANDBOX_FAILED", `the ${language} interpreter ${path} does not exist or is not executable`, {
      hint: language === "python" ? 'set "python" in skills.config.json to an installed interpreter' : undefined,
    });
  }
}

export class SandboxWorker {
  readonly child: ChildProcess;
  readonly bridge: BridgeConnection;
  readonly command: Command;
  readonly cgroup: RunCgroup | null;
  /** Written by the worker after the program's last output (see OutputCapture). */
  readonly logMarker = `\u0000skills-end-${randomBytes(12).toString("hex")}\u0000`;
  readonly stdout = new OutputCapture(1024 * 1024, Buffer.from(this.logMarker));
  readonly stderr = new OutputCapture(1024 * 1024, Buffer.from(this.logMarker));
  readonly exited: Promise<ExitInfo>;
  readonly ready: Promise<void>;
  readonly dir: string;
  /** The staged skill folder and SDK tree (bound at /skill and /sdk). */
  readonly hostSkill: string;
  readonly hostSdk: string;
  private staged: { skill: boolean; sdk: string | null } = { skill: false, sdk: null };
  readonly spawnedAt = performance.now();
  killedBy: KilledBy = null;
  exit: ExitInfo | null = null;
  private disposed = false;
  private readyHandler: (() => void) | null = null;

  constructor(readonly spec: WorkerSpec) {
    assertExecutable(spec.language === "python" ? spec.python : process.execPath, spec.language);
    const uid = allocateUid();
    // Every worker gets a folder of its own (removed with it): the workspace (used under process isolation), and the
    // staged skill folder and SDK tree the sandbox binds. Staged, not bound in place: a checkout under a private
    // folder cannot be reached by the run's uid, and an in-place bind shows its host path in mountinfo.
    this.dir = mkdtempSync(join(tmpRoot(), "w-"));
    chmodSync(this.dir, 0o711);
    const workspace = join(this.dir, "workspace");
    mkdirSync(workspace, { mode: 0o700 });
    if (uid !== null) chownSync(workspace, uid, uid);
    this.hostSkill = join(this.dir, "skill");
    this.hostSdk = join(this.dir, "sdk");
    for (const dir of [this.hostSkill, this.hostSdk]) {
      mkdirSync(dir, { mode: 0o755 });
      chmodSync(dir, 0o755);
    }
    try {
      this.stage(spec.skillDir, spec.sdkDir);
    } catch (error) {
      rmSync(this.dir, { recursive: true, force: true });
      throw error;
    }
    const startTimeoutMs = spec.startTimeoutMs ?? START_TIMEOUT_MS;
    if (spec.language === "python") ensureRuntimeBytecode(spec.python, startTimeoutMs);
    this.command = buildCommand({
      language: spec.language,
      isolation: spec.isolation,
      profile: spec.profile,
      python: spec.python,
      node: process.execPath,
      uid: tools.setpriv ? uid : null,
      setpriv: tools.setpriv,
      prlimit: tools.prlimit,
      bwrap: tools.bwrap,
      disableUserns: canDisableUserns(),
      host: { workspace, skill: this.hostSkill, sdk: this.hostSdk, runtime: stagedRuntime() },
    });
    this.child = spawn(this.command.file, this.command.args, {
      cwd: this.command.cwd,
      env: this.command.env,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      detached: true,
      ...(this.command.uid !== undefined ? { uid: this.command.uid, gid: this.command.gid } : {}),
    });
    // Made while the interpreter starts (creating one takes a few ms per hierarchy). Until the process joins it runs
    // only the worker's own start-up; "ready" waits for it and all its descendants to be inside, so no program does.
    this.cgroup = RunCgroup.create();
    // Generous while starting; the run's own limits are set at hand-off.
    this.cgroup?.setLimits((spec.profile.memoryMb + 128) * 1024 * 1024, spec.profile.processes + 32);
    const joined = this.child.pid !== undefined ? this.cgroup?.add(this.child.pid) : undefined;
    this.child.stdout?.on("data", (chunk: Buffer) => this.stdout.push(chunk));
    this.child.stderr?.on("data", (chunk: Buffer) => this.stderr.push(chunk));
    this.child.stdout?.on("close", () => this.stdout.end());
    this.child.stderr?.on("close", () => this.stderr.end());
    this.bridge = new BridgeConnection(this.child.stdio[3] as Socket, spec.maxMessageBytes ?? MAX_MESSAGE_BYTES);
    this.exited = new Promise<ExitInfo>((resolve) => {
      this.child.once("error", (error) => {
        this.exit = { code: null, signal: null };
        this.stderr.push(Buffer.from(`cannot start the worker: ${error.message}\n`));
        resolve(this.exit);
      });
      this.child.once("close", (code, signal) => {
        this.exit = { code, signal };
        this.bridge.close();
        resolve(this.exit);
      });
    });
    let startTimedOut = false;
    const startTimer = setTimeout(() => {
      startTimedOut = true;
      this.kill(null);
    }, startTimeoutMs);
    startTimer.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyHandler = () => {
        clearTimeout(startTimer);
        resolve();
      };
      void this.exited.then(() =>
        reject(
          new SkillsError(
            "SANDBOX_FAILED",
            startTimedOut
              ? `the ${spec.language} worker did not start within ${startTimeoutMs} ms and was killed`
              : `the ${spec.language} worker exited before it was ready: ${this.stderr.text().trim().split("\n").slice(-3).join(" / ") || `exit ${this.exit?.code ?? this.exit?.signal}`}`,
            {
              stderr: this.stderr.text().slice(-2000),
              hint: "run `skills doctor` to see what isolation this machine supports",
            },
          ),
        ),
      );
    });
    this.ready.catch(() => undefined);
    this.bridge.attach({
      onNotification: (method) => {
        if (method === "ready") {
          // Ready for a program only once every process of the worker is inside the run's cgroup.
          const pid = this.child.pid;
          void Promise.resolve(joined)
            .then(() => (pid !== undefined ? this.cgroup?.addTree(pid) : undefined))
            .then(() => this.readyHandler?.());
        }
      },
      onRequest: async () => ({
        error: { code: -32601, message: "no program is running" },
        refused: "a request while no program is running",
      }),
      onViolation: (reason) => this.kill("bridge", reason),
    });
  }

  /**
   * Fills the worker's skill and SDK folders: at spawn for cold runs, at hand-off for pooled
   * workers. The sandbox sees them at once: they are bound as folders, their content is added afterwards.
   */
  stage(skillDir?: string, sdkDir?: string): void {
    if (skillDir !== undefined && !this.staged.skill) {
      stageSkill(skillDir, this.hostSkill);
      this.staged.skill = true;
    }
    if (sdkDir !== undefined && this.staged.sdk !== sdkDir) {
      // A pooled worker may have been given the SDK its language's last run used (so the next run of the same tools
      // links nothing); another run's tools replace it. No program has run in the worker yet, so nothing of the
      // first tree was imported.
      if (this.staged.sdk !== null) {
        for (const name of readdirSync(this.hostSdk))
          rmSync(join(this.hostSdk, name), { recursive: true, force: true });
      }
      this.staged.sdk = null;
      linkTree(sdkDir, this.hostSdk);
      this.staged.sdk = sdkDir;
    }
  }

  /** The SDK tree staged at /sdk so far (null: none yet). */
  get stagedSdk(): string | null {
    return this.staged.sdk;
  }

  get alive(): boolean {
    return this.exit === null && !this.disposed;
  }

  violation: string | null = null;

  /** Kills the whole tree: the process group, then everything left in the cgroup. */
  kill(reason: KilledBy, detail?: string): void {
    if (this.killedBy === null && this.exit === null) {
      this.killedBy = reason;
      if (detail) this.violation = detail;
    }
    const pid = this.child.pid;
    // Only while our process is alive: after it is reaped its group id could belong to someone else.
    if (pid !== undefined && this.exit === null) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // group already gone
      }
    }
    this.cgroup?.killAll();
  }

  /** Kill, wait for exit, remove the cgroup and the worker's folders. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.exit === null) this.kill(this.killedBy);
    // Bounded wait for the exit; the timer must not keep the host process alive once the worker is gone.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    this.bridge.close();
    // Both off the event loop and side by side (a staged skill can be many files); the host's teardown removes what
    // is left of the folder at exit.
    await Promise.all([this.cgroup?.remove(), rm(this.dir, { recursive: true, force: true })]);
  }
}
