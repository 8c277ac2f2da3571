/** `skills insights`: ranked recommendations from the run log and the skill library. */
import { EXIT } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit } from "../context.js";
import { renderInsights } from "../render/insights.js";
import { lastString } from "./options.js";

interface InsightsCliOptions {
  since?: unknown;
  minRuns?: unknown;
}

export const registerInsights: RegisterCommand = (cli, ctx, run) => {
  cli
    .command("insights", "What to fix first: failing skills and tools, slower versions, tool chains worth a skill")
    .option("--since <when>", "Only runs since: 30m, 24h, 7d, 2w, or a date (2025-01-31)", { type: [String] })
    .option("--min-runs <n>", "Runs a skill or tool needs before its failure rate is judged (default 10)", {
      type: [String],
    })
    .option(
      "--json",
      "Print { ok, insights: [{ kind, subject, title, recommendation, command, confidence, evidence }] }",
    )
    .example("skills insights --since 7d")
    .action(
      run(async (options: InsightsCliOptions) => {
        // Loaded on use: other commands do not pay for the analyses.
        const { insights, parseMinRuns } = await import("../../commands/insights.js");
        const result = await insights({
          cwd: ctx.cwd,
          since: lastString(options.since),
          minRuns: parseMinRuns(lastString(options.minRuns)),
        });
        emit(ctx, result, renderInsights);
        ctx.exitCode = EXIT.OK;
      }),
    );
};
