/**
 * Maps an MCP Tool (as the SDK parsed it) to the catalog's ToolInfo: every field the server sent, as it sent it. A
 * title inside `annotations` stays there (views fall back to it, see toolTitle); it is not made a top-level title.
 */
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
  if (tool.title !== undefined) info.title = tool.title;
  if (tool.description !== undefined) info.description = tool.description;
  if (tool.icons !== undefined) info.icons = tool.icons as JsonObject[];
  if (tool.outputSchema) info.outputSchema = tool.outputSchema as JsonObject;
  if (tool.annotations) info.annotations = tool.annotations as JsonObject;
  if (tool.execution) info.execution = tool.execution as JsonObject;
  if (tool._meta) info._meta = tool._meta as JsonObject;
  return info;
}
