/** Human output of `skills insights`: numbered findings, most important first, each with what to do. */
import type { InsightsResult } from "../../commands/insights.js";
import type { CliContext } from "../context.js";
import { terminalSafe } from "../../core/text/terminal.js";

const LABELS: Record<string, string> = {
  "failing-skill": "failing skill",
  "failing-tool": "failing tool",
  "slower-version": "slower version",
  "repeated-sequence": "worth a skill",
  "near-duplicate": "near-duplicate",
  "compat-fails": "compat",
  "search-missed": "missed search",
};

export function renderInsights(result: InsightsResult, ctx: CliContext): string {
  const { style } = ctx;
  const lines: string[] = [];
  const { considered } = result;
  // Searches come from `skills serve`; a log without any says nothing about them.
  const searches = considered.searches > 0 ? `, ${considered.searches} searches` : "";
  if (result.insights.length === 0) {
    lines.push(
      considered.runs === 0 && considered.searches === 0
        ? "nothing to go on yet: the run log has no runs (run skills, then look again)"
        : `nothing to act on in ${considered.runs} runs${searches} and ${considered.skills} skills`,
    );
  }
  result.insights.forEach((insight, index) => {
    const confidence =
      insight.confidence === "high"
        ? style.red("high")
        : insight.confidence === "medium"
          ? style.yellow("medium")
          : "low";
    lines.push(
      `${style.bold(`${index + 1}.`)} ${style.bold(terminalSafe(insight.title))}`,
      `   ${style.dim(`${LABELS[insight.kind] ?? insight.kind} · confidence`)} ${confidence}`,
      `   ${terminalSafe(insight.recommendation)}`,
    );
    if (insight.command) lines.push(`   ${style.cyan(terminalSafe(insight.command))}`);
    lines.push("");
  });
  lines.push(
    style.dim(
      `from ${considered.runs} runs${searches}${considered.since ? ` since ${considered.since.slice(0, 16).replace("T", " ")}` : ""} and ${considered.skills} skills; failure rates judged from ${result.thresholds.minRuns} runs`,
    ),
  );
  for (const warning of result.warnings) lines.push(`${style.yellow("warning")} ${terminalSafe(warning)}`);
  return lines.join("\n");
}
