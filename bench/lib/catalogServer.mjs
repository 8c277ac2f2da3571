// A real MCP server with many generated tools, for bench/compat.mjs. BENCH_SERVER (a number) seeds the tools,
// BENCH_TOOLS says how many, BENCH_RELEASE (1 or 2): release 2 changes a few tools the way real releases do (an
// argument renamed, a result field removed, an enum value removed, a description rewritten).
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { benchTools } from "./catalogTools.mjs";

const id = Number(process.env.BENCH_SERVER ?? "0");
const count = Number(process.env.BENCH_TOOLS ?? "100");
const release = Number(process.env.BENCH_RELEASE ?? "1");
const server = new Server({ name: `bench-${id}`, version: `${release}.0.0` }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: benchTools(id, count, release) }));
await server.connect(new StdioServerTransport());
