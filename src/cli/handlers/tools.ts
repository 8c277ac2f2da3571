/** `skills tools search <query> | list | show <server/tool>`: find the tools of the configured MCP servers. */
import { toolsList, toolsSearch, toolsShow } from "../../commands/tools.js";
import { EXIT, SkillsError } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit, printErr } from "../context.js";
import { parseDetail, parseLimit } from "../parse/tools.js";
import { commaList, lastString } from "../parse/values.js";
import { renderServerWarnings, renderToolsList, renderToolsSearch, renderToolsShow } from "../render/tools.js";

const ACTIONS = ["search", "list", "show"];

export const handler: CommandHandler = async (ctx, [rawAction, rawArgs], options) => {
  const action = rawAction === undefined ? undefined : String(rawAction);
  const args = ((rawArgs as unknown[] | undefined) ?? []).map(String);
  const servers = commaList(options.server);
  const configPath = lastString(options.config);
  // Starting servers can take seconds: say so on a terminal (never in --json or when piped).
  const progress = !ctx.json && Boolean((ctx.stderr as { isTTY?: boolean }).isTTY);
  const common = {
    ...(progress
      ? { onServerStart: (server: string) => printErr(ctx, ctx.errStyle.dim(`starting MCP server ${server}…`)) }
      : {}),
    cwd: ctx.cwd,
    env: ctx.env,
    ...(configPath ? { configPath } : {}),
    ...(servers ? { servers } : {}),
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
    const result = await toolsList({
      ...common,
      detail: parseDetail(lastString(options.detail), "summary"),
      stats: Boolean(options.stats),
    });
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
      {
        hint: `use one of: ${ACTIONS.join(", ")} (skills tools --help)`,
      },
    );
  }
};
