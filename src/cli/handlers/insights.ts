/** `skills insights`: ranked recommendations from the run log and the skill library. */
import { insights } from "../../commands/insights.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { parseMinRuns, parseSinceOption } from "../parse/metrics.js";
import { renderInsights } from "../render/insights.js";

export const handler: CommandHandler = async (ctx, _args, options) => {
  const since = parseSinceOption(options.since, Date.now());
  const minRuns = parseMinRuns(options.minRuns);
  const result = await insights({
    cwd: ctx.cwd,
    ...(since !== undefined ? { since } : {}),
    ...(minRuns !== undefined ? { minRuns } : {}),
  });
  emit(ctx, result, renderInsights);
  ctx.exitCode = EXIT.OK;
};
