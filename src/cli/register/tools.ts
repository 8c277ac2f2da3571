/** `skills tools search <query> | list | show <server/tool>`: find the tools of the configured MCP servers. */
import { parseDetail, parseLimit, toolsList, toolsSearch, toolsShow } from "../../commands/tools.js";
import { EXIT, SkillsError } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit, printErr } from "../context.js";
import { renderServerWarnings, renderToolsList, renderToolsSearch, renderToolsShow } from "../render/tools.js";
import { allStrings, lastString } from "./options.js";

interface ToolsCliOptions {
  detail?: unknown;
  limit?: unknown;
  server?: unknown;
  stats?: boolean;
  refresh?: boolean;
  config?: unknown;
}

const ACTIONS = ["search", "list", "show"];

export const registerTools: RegisterCommand = (cli, ctx, run) => {
  cli
    .command("tools [action] [...args]", "Find MCP tools: search <query> | list | show <server/tool>")
    .usage(
      "tools search <query> [options]\n  $ skills tools list [options]\n  $ skills tools show <server/tool> [options]",
    )
    .option("--detail <level>", "name | summary | full (schemas and generated signatures)")
    .option("--limit <n>", "At most this many results (search; default 10)")
    .option("--server <name>", "Only tools of this server (repeatable, or comma-separated)", { type: [String] })
    .option("--stats", "Count the tokens of the answer and of the full catalog (o200k_base)")
    .option("--refresh", "Ask the servers again instead of using the catalog cache")
    .option("--config <file>", "Use this .mcp.json instead of the nearest one", { type: [String] })
    .option("--json", "Print the result as JSON")
    .example('skills tools search "read a file" --detail summary')
    .example("skills tools list --server memory --detail name")
    .example("skills tools show filesystem/read_text_file")
    .action(
      run(async (action: string | undefined, args: string[], options: ToolsCliOptions) => {
        const servers = allStrings(options.server)
          ?.flatMap((value) => value.split(","))
          .map((value) => value.trim())
          .filter((value) => value.length > 0);
        // Starting servers can take seconds: say so on a terminal (never in --json or when piped).
        const progress = !ctx.json && Boolean((ctx.stderr as { isTTY?: boolean }).isTTY);
        const common = {
          ...(progress
            ? { onServerStart: (server: string) => printErr(ctx, ctx.errStyle.dim(`starting MCP server ${server}…`)) }
            : {}),
          cwd: ctx.cwd,
          env: ctx.env,
          ...(lastString(options.config) ? { configPath: lastString(options.config)! } : {}),
          ...(servers && servers.length > 0 ? { servers } : {}),
          ...(options.refresh ? { refresh: true } : {}),
        };
        const warn = (servers: Parameters<typeof renderServerWarnings>[0]) => {
          if (ctx.json) return;
          for (const line of renderServerWarnings(servers, ctx.errStyle)) printErr(ctx, line);
        };
        if (action === "search") {
          if (args.length === 0) {
            throw new SkillsError("USAGE", "tools search needs a query", { hint: 'skills tools search "read a file"' });
          }
          const result = await toolsSearch({
            ...common,
            query: args.join(" "),
            detail: parseDetail(lastString(options.detail), "summary"),
            limit: parseLimit(lastString(options.limit)),
            stats: Boolean(options.stats),
          });
          emit(ctx, result, renderToolsSearch);
          warn(result.servers);
          ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
        } else if (action === "list") {
          const result = await toolsList({ ...common, detail: parseDetail(lastString(options.detail), "summary") });
          emit(ctx, result, renderToolsList);
          warn(result.servers);
          ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
        } else if (action === "show") {
          if (args.length !== 1) {
            throw new SkillsError("USAGE", "tools show needs one tool, as server/tool", {
              hint: "skills tools show filesystem/read_text_file",
            });
          }
          const result = await toolsShow({ ...common, tool: args[0]! });
          emit(ctx, result, renderToolsShow);
          ctx.exitCode = EXIT.OK;
        } else {
          throw new SkillsError(
            "USAGE",
            action === undefined ? "tools needs an action" : `unknown tools action "${action}"`,
            { hint: `use one of: ${ACTIONS.join(", ")} (skills tools --help)` },
          );
        }
      }),
    );
};
