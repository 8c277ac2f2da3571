/**
 * MCP over stdio with the server in its own process group. The SDK's StdioClientTransport kills only the direct
 * child, so a server started through a wrapper (a shell script, npx, uv) would leave its real process behind;
 * here close() ends the whole group: stdin closed, then SIGTERM, then SIGKILL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { killGroup, registerGroup, spawnRegistered, unregisterGroup } from "./processRegistry.js";
import { LineBuffer, defaultEnvironment } from "./lineBuffer.js";

export interface ProcessStdioOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Called with each chunk of the server's stderr. */
  onStderr?: (text: string) => void;
  /** How long close() waits after closing stdin, and again after SIGTERM. */
  graceMs?: number;
  /**
   * A process already spawned with these options (with pipes for all three streams, in its own group), to take over
   * instead of spawning one: a start plan's (src/cli/startPlan.ts). `release` is called once this transport has it
   * registered, so the registry that held it until then lets go of it.
   */
  adopt?: { child: ChildProcess; release(): void };
}

export class ProcessStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  /** True while the messages of this tick are held for one write (send). */
  private corked = false;
  private readonly buffer = new LineBuffer();
  private exited: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  /** Messages that arrived before the client listened (a server started early may log before the handshake). */
  private early: JSONRPCMessage[] = [];
  /** Exit code or signal once the process has exited. */
  exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(private readonly options: ProcessStdioOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Spawns the server. The pool calls it before it loads the MCP client, so the server starts while the client
   * loads; the client's own start() then finds it running (and gets what the server said meanwhile).
   */
  start(): Promise<void> {
    if (this.started) {
      return this.started.then(() => {
        const early = this.early;
        this.early = [];
        for (const message of early) this.onmessage?.(message);
      });
    }
    this.started = this.spawn();
    return this.started;
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      // Registered as it is spawned, not at the 'spawn' event: that comes on a later tick, and a lead
      // (src/cli/lead.ts) spawns a server and then loads the run's program synchronously; a Ctrl-C meanwhile would
      // find no handler, kill the CLI at once and leave the server running. A failed spawn has no pid.
      const adopted = this.options.adopt;
      const child =
        adopted?.child ??
        spawnRegistered(() =>
          spawn(this.options.command, this.options.args, {
            cwd: this.options.cwd,
            env: { ...defaultEnvironment(), ...this.options.env },
            stdio: ["pipe", "pipe", "pipe"],
            detached: true,
            windowsHide: true,
          }),
        );
      if (adopted) {
        // Its 'spawn' event may have gone already, with nobody listening: a process with a pid has spawned.
        if (child.pid !== undefined) registerGroup(child.pid);
        adopted.release();
        if (child.pid === undefined) {
          this.exitStatus = { code: null, signal: null };
          reject(new Error(`${this.options.command} did not start`));
          return;
        }
      }
      this.child = child;
      this.exited = new Promise((done) => {
        child.once("exit", () => {
          if (child.pid === undefined) return;
          // Stragglers of the group (grandchildren) go with their leader; they may hold stdout open otherwise.
          killGroup(child.pid, "SIGKILL");
          unregisterGroup(child.pid);
        });
        child.once("close", (code, signal) => {
          this.exitStatus = { code, signal };
          done();
          this.onclose?.();
        });
      });
      child.once("error", (error) => {
        if (child.pid === undefined) {
          this.exitStatus = { code: null, signal: null };
          reject(error);
        } else this.onerror?.(error);
      });
      if (adopted) resolve();
      else child.once("spawn", () => resolve());
      child.stdout?.on("data", (chunk: Buffer) => {
        try {
          this.buffer.append(chunk);
        } catch (error) {
          this.onerror?.(error as Error);
          return;
        }
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.buffer.readMessage();
          } catch (error) {
            this.onerror?.(error instanceof Error ? error : new Error(String(error)));
            continue;
          }
          if (message === null) break;
          if (this.onmessage) this.onmessage(message);
          else this.early.push(message);
        }
      });
      child.stderr?.on("data", (chunk: Buffer) => this.options.onStderr?.(chunk.toString("utf8")));
      child.stdin?.on("error", (error) => this.onerror?.(error));
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      // Closing (stdin ended) counts as gone: a write now would wait for a drain that never comes, and the client
      // awaits its `initialized` notification, so a server closed in its handshake would hold the client forever.
      if (!stdin || this.exitStatus || stdin.writableEnded || stdin.destroyed) {
        reject(new Error("not connected"));
        return;
      }
      // Messages sent in the same tick (a program's concurrent calls) leave in one write.
      if (!this.corked) {
        this.corked = true;
        stdin.cork();
        process.nextTick(() => {
          this.corked = false;
          stdin.uncork();
        });
      }
      if (stdin.write(`${JSON.stringify(message)}\n`)) {
        resolve();
        return;
      }
      const drained = () => {
        stdin.off("close", gone);
        resolve();
      };
      const gone = () => {
        stdin.off("drain", drained);
        reject(new Error("not connected"));
      };
      stdin.once("drain", drained);
      stdin.once("close", gone);
    });
  }

  /** Ends the server's process group: stdin closed, then SIGTERM, then SIGKILL, `graceMs` apart. */
  async close(graceMs?: number): Promise<void> {
    const child = this.child;
    if (!child || !this.exited || child.pid === undefined) return;
    const grace = graceMs ?? this.options.graceMs ?? 1000;
    // A ref'd timer, cleared when the race settles: while a server is being ended it may be all that keeps node's
    // event loop alive, and an unref'd one would let the process end mid-close.
    const exitedWithin = async (ms: number) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          this.exited!.then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
        ]);
      } finally {
        clearTimeout(timer);
      }
    };
    if (!this.exitStatus) {
      child.stdin?.end();
      if (!(await exitedWithin(grace))) {
        killGroup(child.pid, "SIGTERM");
        if (!(await exitedWithin(grace))) {
          killGroup(child.pid, "SIGKILL");
          await this.exited;
        }
      }
    }
    this.buffer.clear();
  }
}
