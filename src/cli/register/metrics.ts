/** `skills metrics`: what the run log says about skills and tools, as a table, JSON, Prometheus text or HTML. */
import { EXIT } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit, print } from "../context.js";
import { renderMetrics } from "../render/metrics.js";
import { lastString } from "./options.js";

interface MetricsCliOptions {
  since?: unknown;
  skill?: unknown;
  format?: unknown;
  html?: unknown;
}

export const registerMetrics: RegisterCommand = (cli, ctx, run) => {
  cli
    .command("metrics", "Summarise the run log per skill and per tool: runs, success, p50/p95/p99, tokens, PII")
    .option("--since <when>", "Only runs since: 30m, 24h, 7d, 2w, or a date (2025-01-31)", { type: [String] })
    .option("--skill <name>", "Only this skill ((exec) and (repl) for programs that are not skills)", {
      type: [String],
    })
    .option("--format <format>", "table | json | prometheus | openmetrics (default: table)", { type: [String] })
    .option("--html <file>", "Also write a self-contained HTML report with charts", { type: [String] })
    .option("--json", "Print the summary as JSON (same as --format json)")
    .example("skills metrics --since 7d --html report.html")
    .action(
      run(async (options: MetricsCliOptions) => {
        // Loaded on use: other commands do not pay for the metrics code.
        const { metrics, parseMetricsFormat } = await import("../../commands/metrics.js");
        const format = parseMetricsFormat(lastString(options.format));
        const result = await metrics({
          cwd: ctx.cwd,
          since: lastString(options.since),
          skill: lastString(options.skill),
          format,
          html: lastString(options.html),
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
      }),
    );
};
