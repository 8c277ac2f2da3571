/** Test helpers: a real MCP server (the SDK's McpServer) reached through InMemoryTransport, as a ToolBackend. */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { z } from "zod";
import { workerUidBlock } from "../../../src/sandbox/worker.js";
import type { CallToolResult, ToolBackend, ToolInfo } from "../../../src/contracts/tools.js";
import type { JsonObject } from "../../../src/contracts/json.js";

export interface TestBackend extends ToolBackend {
  tools: ToolInfo[];
  calls: { tool: string; args: JsonObject }[];
}

export async function createTestBackend(): Promise<TestBackend> {
  const server = new McpServer({ name: "demo", version: "1.2.3" });
  server.registerTool(
    "echo",
    { description: "Echo text back", inputSchema: { text: z.string(), delayMs: z.number().int().min(0).optional() } },
    async ({ text, delayMs }) => {
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { content: [{ type: "text", text }] };
    },
  );
  server.registerTool(
    "add",
    {
      description: "Add two numbers",
      inputSchema: { a: z.number(), b: z.number() },
      outputSchema: { sum: z.number() },
    },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }], structuredContent: { sum: a + b } }),
  );
  server.registerTool(
    "items",
    { description: "Many items", inputSchema: { count: z.number().int().min(0) } },
    async ({ count }) => ({
      content: [
        { type: "text", text: JSON.stringify(Array.from({ length: count }, (_, i) => ({ id: i, size: i * 10 }))) },
      ],
    }),
  );
  server.registerTool("fail", { description: "Always fails", inputSchema: {} }, async () => ({
    content: [{ type: "text", text: "disk on fire" }],
    isError: true,
  }));
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: "test", version: "0.0.0" });
  await client.connect(clientTransport);
  const listed = await client.listTools();
  const tools: ToolInfo[] = listed.tools.map((tool) => ({
    server: "demo",
    serverInfo: { name: "demo", version: "1.2.3" },
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema as JsonObject,
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema as JsonObject } : {}),
  }));
  const calls: TestBackend["calls"] = [];
  return {
    tools,
    calls,
    async listTools() {
      return tools;
    },
    async callTool(_server, tool, args) {
      calls.push({ tool, args });
      return (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/**
 * Live processes running as one of the uids this test process gives its sandboxed workers (leftovers of runs).
 * Zombies are not counted: bwrap's monitor exits as soon as the program does, so its namespace init is briefly
 * re-parented to PID 1 and shows as <defunct> until PID 1 reaps it; it holds no memory and runs nothing.
 */
export function sandboxProcesses(): string[] {
  const first = workerUidBlock();
  const out = execFileSync("ps", ["-eo", "uid=,pid=,ppid=,stat=,args="], { encoding: "utf8" });
  return out.split("\n").filter((line) => {
    const [uid, , , stat] = line.trim().split(/\s+/);
    return Number(uid) >= first && Number(uid) < first + 1000 && !stat?.startsWith("Z");
  });
}

/** Waits (up to 3 s) until no process of this test's runs is alive; returns what is still there. */
export async function settledSandboxProcesses(): Promise<string[]> {
  let left = sandboxProcesses();
  for (let i = 0; i < 60 && left.length > 0; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = sandboxProcesses();
  }
  return left;
}

/** Run cgroups this process created that still exist. */
export function leftoverCgroups(): string[] {
  const out: string[] = [];
  for (const controller of ["memory", "pids", "cpuacct"]) {
    const dir = `/sys/fs/cgroup/${controller}/skills-sandbox`;
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) if (name.startsWith(`run-${process.pid}-`)) out.push(`${controller}/${name}`);
  }
  return out;
}
