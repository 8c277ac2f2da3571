/**
 * MCP over stdio with the server in its own process group. The SDK's StdioClientTransport kills only the direct
 * child, so a server started through a wrapper (a shell script, npx, uv) would leave its real process behind;
 * here close() ends the whole group: stdin closed, then SIGTERM, then SIGKILL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { killGroup, registerGroup, unregisterGroup } from "./processRegistry.js";

export interface ProcessStdioOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Called with each chunk of the server's stderr. */
  onStderr?: (text: string) => void;
  /** How long close() waits after closing stdin, and again after SIGTERM. */
  graceMs?: number;
}

export class ProcessStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly buffer = new ReadBuffer();
  private exited: Promise<void> | undefined;
  /** Exit code or signal once the process has exited. */
  exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(private readonly options: ProcessStdioOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    if (this.child) throw new Error("transport already started");
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command, this.options.args, {
        cwd: this.options.cwd,
        env: { ...getDefaultEnvironment(), ...this.options.env },
        stdio: ["pipe", "pipe", "pipe"],
        detached: true,
        windowsHide: true,
      });
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
      child.once("spawn", () => {
        if (child.pid !== undefined) registerGroup(child.pid);
        resolve();
      });
      child.stdout?.on("data", (chunk: Buffer) => {
        this.buffer.append(chunk);
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.buffer.readMessage();
          } catch (error) {
            this.onerror?.(error instanceof Error ? error : new Error(String(error)));
            continue;
          }
          if (message === null) break;
          this.onmessage?.(message);
        }
      });
      child.stderr?.on("data", (chunk: Buffer) => this.options.onStderr?.(chunk.toString("utf8")));
      child.stdin?.on("error", (error) => this.onerror?.(error));
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || this.exitStatus) {
        reject(new Error("not connected"));
        return;
      }
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once("drain", resolve);
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
