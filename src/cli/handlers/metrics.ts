/** `skills metrics`: what the run log says about skills and tools, as a table, JSON, Prometheus text or HTML. */
import { metrics } from "../../commands/metrics.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit, print } from "../context.js";
import { parseMetricsFormat, parseSinceOption } from "../parse/metrics.js";
import { lastString } from "../parse/values.js";
import { renderMetrics } from "../render/metrics.js";

export const handler: CommandHandler = async (ctx, _args, options) => {
  const format = parseMetricsFormat(options.format);
  const since = parseSinceOption(options.since, Date.now());
  const skill = lastString(options.skill);
  const html = lastString(options.html);
  const result = await metrics({
    cwd: ctx.cwd,
    format,
    ...(since !== undefined ? { since } : {}),
    ...(skill !== undefined ? { skill } : {}),
    ...(html !== undefined ? { html } : {}),
  });
  ctx.exitCode = EXIT.OK;
  if (result.exposition && !ctx.json) {
    // The exposition text goes to stdout as it is (for a scrape or promtool); warnings to stderr.
    ctx.stdout.write(result.exposition.text);
    for (const warning of result.warnings) ctx.stderr.write(`warning ${warning}\n`);
    return;
  }
  if (format === "json" && !ctx.json) {
    print(ctx, JSON.stringify(result, null, 2));
    return;
  }
  emit(ctx, result, renderMetrics);
};
