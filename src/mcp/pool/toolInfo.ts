/** Maps an MCP Tool (as the SDK parsed it) to the catalog's ToolInfo. */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { JsonObject } from "../../contracts/json.js";
import type { ServerInfo, ToolInfo } from "../../contracts/tools.js";

export function toToolInfo(server: string, serverInfo: ServerInfo, tool: Tool): ToolInfo {
  const info: ToolInfo = {
    server,
    serverInfo,
    name: tool.name,
    inputSchema: tool.inputSchema as JsonObject,
  };
  const title = tool.title ?? tool.annotations?.title;
  if (title) info.title = title;
  if (tool.description) info.description = tool.description;
  if (tool.outputSchema) info.outputSchema = tool.outputSchema as JsonObject;
  if (tool.annotations) info.annotations = tool.annotations as JsonObject;
  if (tool._meta) info._meta = tool._meta as JsonObject;
  return info;
}
