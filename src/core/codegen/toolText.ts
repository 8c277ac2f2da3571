/**
 * Tools as the generator reads them. Catalogs are validated, but cassettes and locks are files people edit: a tool
 * without serverInfo or with a non-string description must still generate, not crash.
 */
import type { ToolInfo } from "../../contracts/tools.js";
import { toolTitle } from "../toolTitle.js";

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** A copy with the fields the generator prints made safe: strings where strings are expected. */
export function normalizeTool(tool: ToolInfo): ToolInfo {
  const server = String(tool.server);
  const info = tool.serverInfo as Partial<ToolInfo["serverInfo"]> | undefined;
  const normalized: ToolInfo = {
    ...tool,
    server,
    name: String(tool.name),
    serverInfo: { name: text(info?.name) ?? server, version: text(info?.version) ?? "unknown version" },
  };
  // A title the server put in annotations heads the docstring too.
  const title = text(toolTitle(tool));
  const description = text(tool.description);
  if (title === undefined) delete normalized.title;
  else normalized.title = title;
  if (description === undefined) delete normalized.description;
  else normalized.description = description;
  return normalized;
}

/** Title and description, as the first paragraphs of a docstring or JSDoc. */
export function toolSummary(tool: ToolInfo): string | undefined {
  return [tool.title, tool.description].filter((part) => part?.trim()).join("\n\n") || undefined;
}

/** `secure-filesystem-server 0.2.0`: which server implementation the code was generated from. */
export function serverOrigin(tool: ToolInfo): string {
  return `${tool.serverInfo.name} ${tool.serverInfo.version}`;
}
