/** In-memory MCP servers for unit tests of the pool and catalog: real SDK McpServer, no processes. */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { McpConfig, ServerConfig } from "../../../src/mcp/config.js";

export interface FakeServer {
  version: string;
  setup(server: McpServer): void;
  /** Throw from the transport factory instead of connecting. */
  fail?: string;
}

export interface InMemoryWorld {
  config: McpConfig;
  createTransport(config: ServerConfig): Transport;
  /** The McpServer instances, by name (the latest started one). */
  servers: Map<string, McpServer>;
  starts: Map<string, number>;
}

export function inMemoryWorld(fakes: Record<string, FakeServer>, dir = "/tmp/in-memory"): InMemoryWorld {
  const servers = new Map<string, McpServer>();
  const starts = new Map<string, number>();
  const config: McpConfig = {
    file: `${dir}/.mcp.json`,
    dir,
    servers: Object.fromEntries(
      Object.keys(fakes).map((name) => [
        name,
        { type: "stdio", name, command: `fake-${name}`, args: [], env: {}, cwd: dir } satisfies ServerConfig,
      ]),
    ),
  };
  return {
    config,
    servers,
    starts,
    createTransport(serverConfig) {
      const fake = fakes[serverConfig.name]!;
      starts.set(serverConfig.name, (starts.get(serverConfig.name) ?? 0) + 1);
      if (fake.fail) throw new Error(fake.fail);
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const server = new McpServer({ name: `${serverConfig.name}-server`, version: fake.version });
      fake.setup(server);
      servers.set(serverConfig.name, server);
      void server.connect(serverSide);
      return clientSide;
    },
  };
}

/** A small server: greet (text), fail (isError), typed (output schema), and a tool that adds tools. */
export function greeter(version = "1.0.0"): FakeServer {
  return {
    version,
    setup(server) {
      server.registerTool(
        "greet",
        { title: "Greet", description: "Say hello to someone. Friendly.", inputSchema: { name: z.string() } },
        async ({ name }) => ({ content: [{ type: "text", text: `hello ${name}` }] }),
      );
      server.registerTool("fail", { description: "Always fails", inputSchema: {} }, async () => {
        throw new Error("it broke");
      });
      server.registerTool(
        "typed",
        {
          description: "Returns a count",
          inputSchema: {},
          outputSchema: { count: z.number() },
          annotations: { readOnlyHint: true },
        },
        async () => ({
          content: [{ type: "text", text: "{}" }],
          structuredContent: { count: "not a number" } as never,
        }),
      );
      server.registerTool(
        "add_tool",
        { description: "Adds a tool", inputSchema: { name: z.string() } },
        async ({ name }) => {
          server.registerTool(name, { description: "added", inputSchema: {} }, async () => ({ content: [] }));
          return { content: [{ type: "text", text: "ok" }] };
        },
      );
    },
  };
}

/** A server that pages its tool list (two tools a page), or sends the same cursor forever when `endless`. */
export function paged(count: number, endless = false): FakeServer {
  return {
    version: "1.0.0",
    setup(server) {
      server.server.registerCapabilities({ tools: {} });
      server.server.setRequestHandler(ListToolsRequestSchema, async (request) => {
        const start = Number(request.params?.cursor ?? 0);
        const tools = Array.from({ length: Math.min(2, count - start) }, (_, i) => ({
          name: `tool_${start + i}`,
          inputSchema: { type: "object" as const },
        }));
        const next = endless ? "again" : start + 2 < count ? String(start + 2) : undefined;
        return { tools, ...(next ? { nextCursor: next } : {}) };
      });
    },
  };
}

/** A server that sends tools/list_changed while it answers tools/list: once, `before` the first answer (the list it
 * sends is already the new one, as the everything server does after initialize), or after every answer (the list it
 * sent is stale): 5 ms `after` it, or `at once` (while the client still writes that list to its cache). */
export function restless(when: "before" | "after" | "at once"): FakeServer {
  return {
    version: "1.0.0",
    setup(server) {
      server.server.registerCapabilities({ tools: { listChanged: true } });
      let listed = 0;
      server.server.setRequestHandler(ListToolsRequestSchema, async () => {
        // "before": a change announced once, right after the handshake (server-everything adds tools then), ahead of
        // the answer to the first list; the lists fetched after it are current
        if (when === "before") {
          if (listed++ === 0) await server.server.sendToolListChanged();
        }
        // "at once": the change lands while the client is still writing the list it just got to the cache
        else if (when === "at once") setImmediate(() => server.server.sendToolListChanged().catch(() => undefined));
        // the pool may have closed by then: a notification nobody can receive is not an error of the test
        else setTimeout(() => server.server.sendToolListChanged().catch(() => undefined), 5);
        return { tools: [{ name: "moving_target", inputSchema: { type: "object" as const } }] };
      });
    },
  };
}

/** A server that answers tools/list with exactly these entries (fields the SDK's McpServer would not send). */
export function rawTools(tools: Record<string, unknown>[], version = "1.0.0"): FakeServer {
  return {
    version,
    setup(server) {
      server.server.registerCapabilities({ tools: {} });
      server.server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: tools as never }));
    },
  };
}
