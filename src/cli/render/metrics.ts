/** Human output of `skills metrics`: per skill and per tool tables, token savings, and where the log is. */
import type { MetricsResult } from "../../commands/metrics.js";
import type { Percentiles } from "../../core/metrics/stats.js";
import type { CliContext } from "../context.js";
import { terminalSafe } from "../../core/text/terminal.js";

export function renderMetrics(result: MetricsResult, ctx: CliContext): string {
  const { style } = ctx;
  const { summary } = result;
  // Without a summary (the exposition formats) there is only the exposition text to show.
  if (!summary) return result.exposition?.text.trimEnd() ?? "";
  const lines: string[] = [];
  const { totals } = summary;
  if (totals.runs === 0) {
    lines.push(
      result.log.files.length === 0
        ? `no run log yet at ${terminalSafe(result.log.path)}: run a skill (\`skills run\`, \`skills exec\`, \`skills test\`) and look again`
        : "no runs in this window",
    );
  } else {
    const window =
      summary.window.from && summary.window.to ? `${day(summary.window.from)} – ${day(summary.window.to)}` : "";
    lines.push(
      `${style.bold(`${totals.runs} runs`)}  ${percent(totals.successRate)} ok  p50 ${ms(totals.durationMs.p50)}  p95 ${ms(totals.durationMs.p95)}  p99 ${ms(totals.durationMs.p99)}  ${style.dim(window)}`,
    );
    lines.push("");
    lines.push(
      ...table(
        [
          "SKILL",
          "RUNS",
          "OK",
          "P50",
          "P95",
          "P99",
          "COLD P50",
          "WARM P50",
          "CALLS",
          "TOKENS IN",
          "OUT",
          "SAVED",
          "PII",
        ],
        summary.skills.map((s) => [
          s.skill,
          String(s.runs),
          percent(s.successRate),
          ms(s.durationMs.p50),
          ms(s.durationMs.p95),
          ms(s.durationMs.p99),
          s.cold.runs ? ms(s.cold.durationMs.p50) : "-",
          s.warm.runs ? ms(s.warm.durationMs.p50) : "-",
          String(s.toolCalls),
          String(s.tokens.in),
          String(s.tokens.out),
          s.tokens.in ? percent(s.tokens.savedRatio) : "-",
          piiText(s.pii),
        ]),
        style.bold,
      ),
    );
    if (summary.tools.length > 0) {
      lines.push("");
      lines.push(
        ...table(
          ["TOOL", "CALLS", "FAILED", "OK", "P50", "P95", "P99", "BYTES IN", "BYTES OUT"],
          summary.tools.map((t) => [
            t.tool,
            String(t.calls),
            String(t.failed),
            percent(t.successRate),
            ...pcts(t.callMs),
            String(t.bytesIn),
            String(t.bytesOut),
          ]),
          style.bold,
        ),
      );
    }
    if (totals.tokens.in > 0) {
      lines.push("");
      lines.push(
        `tokens: ${totals.tokens.in} in (tool results the programs read), ${totals.tokens.out} out (their results): ${totals.tokens.saved} kept out of the model's context (${percent(totals.tokens.savedRatio)})`,
      );
    }
  }
  if (result.html) lines.push("", `${style.green("wrote")} ${terminalSafe(result.html)}`);
  lines.push(
    style.dim(
      `run log: ${terminalSafe(result.log.path)} (${result.log.files.length} file${result.log.files.length === 1 ? "" : "s"}, ${result.log.records} records)`,
    ),
  );
  for (const warning of result.warnings) lines.push(`${style.yellow("warning")} ${terminalSafe(warning)}`);
  return lines.join("\n");
}

function table(header: string[], rows: string[][], bold: (text: string) => string): string[] {
  // A cell stays on its line: newlines and tabs in names from the log would break the table.
  const cleanRows = rows.map((row) => row.map((cell) => terminalSafe(cell).replace(/[\n\t]/g, " ")));
  const widths = header.map((h, i) => Math.max(h.length, ...cleanRows.map((r) => (r[i] ?? "").length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [bold(format(header)), ...cleanRows.map(format)];
}

function pcts(p: Percentiles): string[] {
  return [ms(p.p50), ms(p.p95), ms(p.p99)];
}

function ms(value: number): string {
  if (value >= 10_000) return `${(value / 1000).toFixed(1)}s`;
  if (value >= 100) return `${Math.round(value)}ms`;
  return `${value.toFixed(1)}ms`;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio === 1 || ratio === 0 ? 0 : 1)}%`;
}

function piiText(pii: Record<string, number>): string {
  const entries = Object.entries(pii);
  return entries.length ? entries.map(([type, n]) => `${n} ${type}`).join(", ") : "-";
}

function day(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}
