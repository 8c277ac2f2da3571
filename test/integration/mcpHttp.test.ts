// biome-ignore-all lint/suspicious/noTemplateCurlyInString: .mcp.json uses ${VAR} syntax
/** The pool over Streamable HTTP: a real SDK McpServer behind node:http, headers from .mcp.json, a dead endpoint. */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { SkillsError } from "../../src/errors.js";
import { parseMcpConfig } from "../../src/mcp/config.js";
import { createClientPool } from "../../src/mcp/pool.js";

let http: Server;
let url: string;
const seenAuth: (string | undefined)[] = [];

beforeAll(async () => {
  http = createServer(async (req, res) => {
    seenAuth.push(req.headers.authorization);
    if (req.headers.authorization !== "Bearer s3cret") {
      res.writeHead(401).end("unauthorized");
      return;
    }
    // Stateless: a fresh server and transport per request, as the SDK's examples do.
    const server = new McpServer({ name: "http-fixture", version: "3.1.4" });
    server.registerTool(
      "add",
      { description: "Adds two numbers", inputSchema: { a: z.number(), b: z.number() } },
      async ({ a, b }) => ({
        content: [{ type: "text", text: String(a + b) }],
      }),
    );
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

function config(servers: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  const result = parseMcpConfig(JSON.stringify({ mcpServers: servers }), "/tmp/http/.mcp.json", env);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

describe("http servers", () => {
  it("connects with the configured headers, lists and calls tools", async () => {
    const pool = createClientPool(
      config({ remote: { type: "http", url, headers: { Authorization: "Bearer ${TOKEN}" } } }, { TOKEN: "s3cret" }),
    );
    try {
      expect(await pool.serverInfo("remote")).toEqual({ name: "http-fixture", version: "3.1.4" });
      const tools = await pool.listTools();
      expect(tools.map((tool) => `${tool.server}/${tool.name}`)).toEqual(["remote/add"]);
      const result = await pool.callTool("remote", "add", { a: 20, b: 22 });
      expect(result.content).toEqual([{ type: "text", text: "42" }]);
      expect(pool.startedServers()).toEqual(["remote"]);
      expect(pool.processIds()).toEqual({});
      expect(seenAuth.every((header) => header === "Bearer s3cret")).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it("reports a rejected handshake as SERVER_START_FAILED naming the url", async () => {
    const pool = createClientPool(
      config({ remote: { type: "http", url, headers: { Authorization: "Bearer wrong" } } }),
    );
    try {
      const error = (await pool.connect("remote").catch((e: unknown) => e)) as SkillsError;
      expect(error).toBeInstanceOf(SkillsError);
      expect(error.code).toBe("SERVER_START_FAILED");
      expect(error.message).toContain(`server "remote" failed to start (${url})`);
      expect(error.message).toContain("Error POSTing to endpoint: unauthorized");
      expect(error.data.hint).toContain("check that");
    } finally {
      await pool.close();
    }
  });

  it("reports an endpoint where nothing listens", async () => {
    const pool = createClientPool(config({ down: { type: "http", url: "http://127.0.0.1:9/mcp" } }), {
      connectTimeoutMs: 2000,
    });
    try {
      const error = (await pool.connect("down").catch((e: unknown) => e)) as SkillsError;
      expect(error.code).toBe("SERVER_START_FAILED");
      expect(error.message).toContain("http://127.0.0.1:9/mcp");
    } finally {
      await pool.close();
    }
  });
});
