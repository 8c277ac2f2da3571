/** Test helpers: a real MCP server (the SDK's McpServer) reached through InMemoryTransport, as a ToolBackend. */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { z } from "zod";
import type { CallToolResult, JsonObject, ToolBackend, ToolInfo } from "../../../src/mcp/types.js";

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

/** Processes whose command line mentions the worker bootstraps (leftovers of runs). */
export function sandboxProcesses(): string[] {
  const out = execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return out
    .split("\n")
    .filter((line) => /runtime\/(python\/worker\.py|node\/worker\.mjs)/.test(line) && !line.includes(" ps "));
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
