// The workload two benches share: 10,000 catalogue items behind an in-memory MCP server and the Python program that
// pulls them and returns a 10-line summary. bench/sandbox.mjs times it; bench/pii.mjs times it with PII on and off,
// so both must run exactly the same items and program.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

export const ITEMS = Array.from({ length: 10_000 }, (_, i) => ({
  id: i,
  name: `item-${i}`,
  category: ["books", "games", "music", "tools", "garden", "toys", "food", "sports"][i % 8],
  price: Math.round(((i * 7919) % 10_000) + 99) / 100,
  stock: (i * 31) % 97,
  updated: new Date(1_700_000_000_000 + i * 60_000).toISOString(),
}));
export const ITEMS_TEXT = JSON.stringify(ITEMS);

export const SUMMARISE_PROGRAM = `from servers.bench import list_items
def run(input):
    items = list_items()
    by_category = {}
    for item in items:
        entry = by_category.setdefault(item["category"], [0, 0.0, 0])
        entry[0] += 1
        entry[1] += item["price"]
        entry[2] += item["stock"]
    lines = ["%d items, %d categories" % (len(items), len(by_category))]
    for name, (count, total, stock) in sorted(by_category.items(), key=lambda kv: -kv[1][1])[:8]:
        lines.append("%s: %d items, avg price %.2f, stock %d" % (name, count, total / count, stock))
    cheapest = min(items, key=lambda item: item["price"])
    lines.append("cheapest: %s at %.2f" % (cheapest["name"], cheapest["price"]))
    return "\\n".join(lines)
`;

/** An MCP server "bench" with `ping` (answers pong) and `list_items` (the 10,000 items), behind the SDK's in-memory
 * transport, as a ToolBackend with its ToolInfo list. */
export async function startBenchBackend() {
  const server = new McpServer({ name: "bench", version: "1.0.0" });
  server.registerTool("ping", { description: "Answer pong", inputSchema: { n: z.number() } }, async ({ n }) => ({
    content: [{ type: "text", text: JSON.stringify({ pong: n }) }],
  }));
  server.registerTool("list_items", { description: "All items of the catalogue", inputSchema: {} }, async () => ({
    content: [{ type: "text", text: ITEMS_TEXT }],
  }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "bench", version: "1.0.0" });
  await client.connect(clientSide);
  const serverInfo = { name: "bench", version: "1.0.0" };
  const tools = (await client.listTools()).tools.map((tool) => ({
    server: "bench",
    serverInfo,
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
  }));
  return {
    tools,
    itemsText: ITEMS_TEXT,
    listTools: async () => tools,
    callTool: async (_server, tool, args) => client.callTool({ name: tool, arguments: args }),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
