/**
 * What `skills serve` tells the operator on stderr: where it serves, servers coming and going, the final tally. Server
 * names, warnings and a failing server's reason come from .mcp.json and from the servers themselves, so they are
 * printed with their terminal control characters escaped: a server cannot rewrite the operator's screen.
 */
import type { ServeHandle, ServeSummary } from "../../commands/serve/serve.js";
import type { ServerEvent } from "../../commands/serve/liveTools.js";
import { terminalSafe as safe } from "../../core/text/terminal.js";
import type { Style } from "../style.js";

export function renderServeStart(handle: ServeHandle, style: Style): string {
  const where =
    handle.transport === "http" ? `listening on ${style.bold(safe(handle.url ?? ""))}` : "serving MCP on stdin/stdout";
  const servers = handle.health().servers.map((server) => safe(server.name));
  const lines = [`skills serve: ${where}${servers.length > 0 ? ` (servers: ${servers.join(", ")})` : ""}`];
  for (const warning of handle.warnings) lines.push(style.yellow(`skills serve: warning: ${safe(warning)}`));
  return lines.join("\n");
}

export function renderServerEvent(event: ServerEvent, style: Style): string {
  const server = safe(event.server);
  if (event.kind === "down") {
    const reason = safe((event.reason ?? "").split("\n")[0] ?? "");
    return style.yellow(`skills serve: server ${server} is down (${reason}); starting it again`);
  }
  return `skills serve: server ${server} is ${event.kind === "restarted" ? "back up" : "up"}`;
}

/** A bug in a handler: the call got an INTERNAL error, the operator gets the message. */
export function renderInternalError(error: unknown, style: Style): string {
  // A client that broke the protocol's limits is said as such; anything else is a bug of the server.
  if (error instanceof Error && error.name === "ClientError") return style.red(`skills serve: ${safe(error.message)}`);
  return style.red(`skills serve: internal error: ${safe(error instanceof Error ? error.message : String(error))}`);
}

export function renderServeSummary(summary: ServeSummary): string {
  const calls = Object.entries(summary.calls)
    .map(([tool, count]) => `${tool} ${count}`)
    .join(", ");
  return `skills serve: stopped${calls ? ` after ${calls}` : ""}`;
}
