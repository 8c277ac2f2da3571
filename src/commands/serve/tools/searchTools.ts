/**
 * search_tools: the discovery of `skills tools search` over the warm catalog, one signature language at a time. Each
 * search goes into the run log (the query with its values taken out, and how many tools it found), so `skills
 * insights` can report what agents keep searching for and not finding.
 */
import { searchTools } from "../../../core/discovery/index.js";
import type { Detail } from "../../../core/discovery/index.js";
import { type SignatureLanguage, servedToolView } from "../../../core/serve/toolView.js";
import type { ServedTool } from "../../../mcp/server/types.js";
import { recordSearch } from "../../shared/runLog.js";
import { SEARCH_TOOLS } from "../definitions.js";
import type { ServeState } from "../state.js";

export function searchToolsTool(state: ServeState): ServedTool {
  // A log that cannot be written is said once, as openExecution says it once for runs.
  let warned = false;
  return {
    ...SEARCH_TOOLS,
    async call(args, context) {
      await state.live.ready;
      const detail = args.detail as Detail;
      const language = args.language as SignatureLanguage;
      const query = args.query as string;
      const catalog = state.live.tools;
      const hits = searchTools(state.live.searchIndex(), query, { limit: args.limit as number });
      const results = hits.map((hit) => servedToolView(hit.tool, detail, language, catalog));
      const unavailable = state.live.unavailable();
      const logged = recordSearch(state.config, context.client.name, query, results.length);
      const warnings = warned ? [] : logged;
      if (warnings.length > 0) warned = true;
      const structured = {
        results,
        ...(unavailable.length > 0 ? { unavailable } : {}),
        ...(warnings.length > 0 ? { warnings } : {}),
      };
      if (results.length > 0) return { structured };
      const why =
        catalog.length === 0
          ? "No tools: no MCP server is configured or reachable."
          : "No tool matches; try other words, or detail: name with a broader query.";
      return { structured, text: `${why}\n${JSON.stringify(structured)}` };
    },
  };
}
