/** A real MCP server (the SDK's McpServer) reached over InMemoryTransport through the real client pool. */

import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { McpConfig } from "../../../../src/mcp/config.js";
import { type ClientPool, createClientPool } from "../../../../src/mcp/pool.js";

export const DEMO_SECRET = "tok-9f8e7d6c5b4a3210";

export function buildDemoServer(): McpServer {
  const server = new McpServer({ name: "demo-server", version: "1.2.3" });
  server.registerTool(
    "echo",
    { description: "Echo the text back", inputSchema: { text: z.string(), at: z.string().optional() } },
    async ({ text }) => ({ content: [{ type: "text", text: JSON.stringify({ echoed: text }) }] }),
  );
  server.registerTool("whoami", { description: "Who the server thinks you are", inputSchema: {} }, async () => ({
    content: [{ type: "text", text: `user jane.doe@example.com, token ${DEMO_SECRET}, key AKIAIOSFODNN7EXAMPLE` }],
  }));
  server.registerTool("fail", { description: "Always fails", inputSchema: { why: z.string() } }, async ({ why }) => ({
    isError: true,
    content: [{ type: "text", text: `failed: ${why}` }],
  }));
  server.registerTool(
    "slow",
    { description: "Answers after a delay", inputSchema: { ms: z.number(), tag: z.string() } },
    async ({ ms, tag }) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { content: [{ type: "text", text: tag }] };
    },
  );
  return server;
}

export function demoConfig(): McpConfig {
  return {
    file: "/virtual/.mcp.json",
    dir: "/virtual",
    servers: {
      demo: {
        type: "stdio",
        name: "demo",
        command: "demo",
        args: [],
        env: { DEMO_TOKEN: DEMO_SECRET },
        cwd: "/virtual",
      },
    },
  };
}

export function demoPool(): ClientPool {
  return createClientPool(demoConfig(), {
    createTransport: () => {
      const [client, server] = InMemoryTransport.createLinkedPair();
      void buildDemoServer().connect(server);
      return client;
    },
  });
}
