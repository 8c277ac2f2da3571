/** search_tools: the discovery of `skills tools search` over the warm catalog, one signature language at a time. */
import { searchTools } from "../../../core/discovery/index.js";
import type { Detail } from "../../../core/discovery/index.js";
import { type SignatureLanguage, servedToolView } from "../../../core/serve/toolView.js";
import type { ServedTool } from "../../../mcp/server/types.js";
import { SEARCH_TOOLS } from "../definitions.js";
import type { ServeState } from "../state.js";

export function searchToolsTool(state: ServeState): ServedTool {
  return {
    ...SEARCH_TOOLS,
    async call(args) {
      await state.live.ready;
      const detail = args.detail as Detail;
      const language = args.language as SignatureLanguage;
      const catalog = state.live.tools;
      const hits = searchTools(state.live.searchIndex(), args.query as string, { limit: args.limit as number });
      const results = hits.map((hit) => servedToolView(hit.tool, detail, language, catalog));
      const unavailable = state.live.unavailable();
      const structured = { results, ...(unavailable.length > 0 ? { unavailable } : {}) };
      if (results.length > 0) return { structured };
      const why =
        catalog.length === 0
          ? "No tools: no MCP server is configured or reachable."
          : "No tool matches; try other words, or detail: name with a broader query.";
      return { structured, text: `${why}\n${JSON.stringify(structured)}` };
    },
  };
}
