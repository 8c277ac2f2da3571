/**
 * Support for the security battery: an in-memory MCP server that records every call it receives (so a refused call
 * provably never reached a tool), host-side traps (a TCP listener, an abstract UNIX socket, a signal counter), and a
 * /proc scan for anything the hostile programs left behind.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { CallToolResult, ToolBackend, ToolInfo } from "../../src/contracts/tools.js";
import type { JsonObject } from "../../src/contracts/json.js";

/** Marker the hostile programs put in their process names (comm / argv) so leftovers can be found. */
export const MARKER = "skhostile";

export interface RecordingBackend extends ToolBackend {
  tools: ToolInfo[];
  received: { tool: string; args: JsonObject }[];
}

/** A real MCP server (SDK McpServer) over the SDK's in-memory transport, with a log of what reached it. */
export async function startBatteryServer(): Promise<RecordingBackend> {
  const server = new McpServer({ name: "battery", version: "1.0.0" });
  const received: { tool: string; args: JsonObject }[] = [];
  server.registerTool(
    "echo",
    { description: "Echo text back", inputSchema: { text: z.string().max(100_000) } },
    async (args) => {
      received.push({ tool: "echo", args });
      return { content: [{ type: "text", text: JSON.stringify({ echoed: args.text }) }] };
    },
  );
  server.registerTool(
    "add",
    { description: "Add two numbers", inputSchema: { a: z.number(), b: z.number() } },
    async (args) => {
      received.push({ tool: "add", args });
      return { content: [{ type: "text", text: JSON.stringify({ sum: args.a + args.b }) }] };
    },
  );
  server.registerTool(
    "delete_everything",
    { description: "Never declared to any program", inputSchema: {} },
    async () => {
      received.push({ tool: "delete_everything", args: {} });
      return { content: [{ type: "text", text: "deleted" }] };
    },
  );
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "battery-test", version: "1.0.0" });
  await client.connect(clientSide);
  const serverInfo = { name: "battery", version: "1.0.0" };
  const listed = await client.listTools();
  const tools: ToolInfo[] = listed.tools.map((tool) => ({
    server: "battery",
    serverInfo,
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema as JsonObject,
  }));
  return {
    tools,
    received,
    async listTools() {
      return tools;
    },
    async callTool(_server, tool, args) {
      return (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** A TCP listener on 127.0.0.1 that counts connections. */
export async function startTrapServer(): Promise<{
  port: number;
  connections: () => number;
  close: () => Promise<void>;
}> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { port, connections: () => count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** An abstract UNIX socket (shared by every process in this network namespace) that counts connections. */
export async function startAbstractTrap(
  name: string,
): Promise<{ connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(`\0${name}`, resolve));
  return { connections: () => count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface HostProcess {
  pid: number;
  ppid: number;
  uid: number;
  comm: string;
  cmdline: string;
  cwd?: string;
}

export function listProcesses(): HostProcess[] {
  const out: HostProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
      const comm = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      let cwd: string | undefined;
      try {
        cwd = readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        cwd = undefined;
      }
      out.push({ pid: Number(entry), ppid, uid, comm, cmdline, cwd });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** Descendants of `root` (by parent pid). */
export function descendantsOf(root: number, processes = listProcesses()): HostProcess[] {
  const found: HostProcess[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const proc of processes) {
      if (proc.ppid === parent) {
        found.push(proc);
        queue.push(proc.pid);
      }
    }
  }
  return found;
}

export interface LeftoverScope {
  /** Folders the runs' workspaces live under: a process with its cwd or argv there is a leftover. */
  sandboxDirs?: string[];
  /** Outside uids the runs were given ([first, first + count)): any process still running as one is a leftover. */
  uids?: { first: number; count: number };
}

/** Processes a hostile program could have left: marked ones, ones in our sandbox folders, ones with our run uids. */
export function leftovers(scope: LeftoverScope = {}): HostProcess[] {
  const dirs = scope.sandboxDirs ?? [];
  const uids = scope.uids;
  return listProcesses().filter(
    (proc) =>
      proc.comm.includes(MARKER) ||
      proc.cmdline.includes(MARKER) ||
      dirs.some((dir) => proc.cmdline.includes(dir) || (proc.cwd ?? "").startsWith(dir)) ||
      (uids !== undefined && proc.uid >= uids.first && proc.uid < uids.first + uids.count),
  );
}

/** Waits until `check` returns an empty list (processes take a moment to be reaped), or returns what is left. */
export async function settle<T>(check: () => T[], ms = 5000): Promise<T[]> {
  const until = Date.now() + ms;
  let left = check();
  while (left.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = check();
  }
  return left;
}

/** Everything a run sends back to the host, as one string, for "never appears" assertions. */
export function everythingSaid(run: { result?: unknown; logs: string; stderr: string; error?: unknown }): string {
  return [JSON.stringify(run.result ?? null), run.logs, run.stderr, JSON.stringify(run.error ?? null)].join("\n");
}
