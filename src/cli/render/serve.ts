/** What `skills serve` tells the operator on stderr: where it serves, servers coming and going, the final tally. */
import type { ServeHandle, ServeSummary } from "../../commands/serve/serve.js";
import type { ServerEvent } from "../../commands/serve/liveTools.js";
import type { Style } from "../style.js";

export function renderServeStart(handle: ServeHandle, style: Style): string {
  const where =
    handle.transport === "http" ? `listening on ${style.bold(handle.url ?? "")}` : "serving MCP on stdin/stdout";
  const servers = handle.health().servers.map((server) => server.name);
  const lines = [`skills serve: ${where}${servers.length > 0 ? ` (servers: ${servers.join(", ")})` : ""}`];
  for (const warning of handle.warnings) lines.push(style.yellow(`skills serve: warning: ${warning}`));
  return lines.join("\n");
}

export function renderServerEvent(event: ServerEvent, style: Style): string {
  if (event.kind === "down") {
    const reason = (event.reason ?? "").split("\n")[0];
    return style.yellow(`skills serve: server ${event.server} is down (${reason}); starting it again`);
  }
  return `skills serve: server ${event.server} is ${event.kind === "restarted" ? "back up" : "up"}`;
}

export function renderServeSummary(summary: ServeSummary): string {
  const calls = Object.entries(summary.calls)
    .map(([tool, count]) => `${tool} ${count}`)
    .join(", ");
  return `skills serve: stopped${calls ? ` after ${calls}` : ""}`;
}
