/**
 * The title to show for a tool. MCP puts it at the top level (`title`) or, in servers written for older versions of
 * the protocol, in `annotations.title`. The catalog keeps each where the server sent it (so token counts are true);
 * views, search and the generated docstrings read both.
 */
import type { ToolInfo } from "../contracts/tools.js";

export function toolTitle(tool: Pick<ToolInfo, "title" | "annotations">): string | undefined {
  if (typeof tool.title === "string" && tool.title.trim() !== "") return tool.title;
  const annotated = tool.annotations?.title;
  return typeof annotated === "string" && annotated.trim() !== "" ? annotated : undefined;
}
