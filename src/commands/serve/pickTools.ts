/**
 * The served tools' lookup of `server/tool` keys in the warm catalog. A key of a server that is down right now says
 * so (and that it is being started again) instead of "no such tool".
 */
import type { ToolInfo } from "../../contracts/tools.js";
import { isSkillsError, SkillsError } from "../../errors.js";
import { selectTools } from "../shared/toolset.js";
import type { LiveTools } from "./liveTools.js";

export async function pickTools(
  live: LiveTools,
  keys: string[],
  ranges?: Record<string, string>,
): Promise<{ tools: ToolInfo[]; warnings: string[] }> {
  await live.ready;
  try {
    return await selectTools(live.tools, [...new Set(keys)], ranges);
  } catch (error) {
    if (!isSkillsError(error) || error.code !== "TOOL_NOT_FOUND") throw error;
    const servers = new Set(keys.map((key) => key.split("/")[0]));
    const down = live.unavailable().find((line) => servers.has(line.slice(0, line.indexOf(":"))));
    if (down) {
      throw new SkillsError("SERVER_START_FAILED", `the server of a tool it needs is down: ${down}`, {
        hint: "it is being started again; try again in a moment (search_tools lists the servers that are down)",
      });
    }
    if (![...servers].every((server) => server !== undefined && live.servers.includes(server))) {
      const unknown = [...servers].filter((server) => server === undefined || !live.servers.includes(server));
      throw new SkillsError("SERVER_NOT_FOUND", `no server "${unknown.join('", "')}" is configured`, {
        hint: live.servers.length > 0 ? `the servers are: ${live.servers.join(", ")}` : "no servers are configured",
      });
    }
    throw error;
  }
}
