/**
 * `skills metrics --html FILE`: one self-contained page (inline CSS and SVG, no script, nothing fetched) that shows
 * where time and failures go: headline figures, duration over time, success per skill, tool calls, token savings,
 * then the tables behind them.
 */
import type { MetricsSummary, SkillMetrics } from "../aggregate.js";
import { COLORS, barChart, compact, escapeHtml, formatMs, timeChart } from "./svg.js";

export interface HtmlReportOptions {
  /** When the report was made (ISO). */
  generatedAt: string;
  title?: string;
  /** The filters, as the user gave them (`--since 7d`, `--skill x`). */
  filters?: string[];
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:${COLORS.text};background:#f6f7fb}
main{max-width:1120px;margin:0 auto;padding:28px 24px 48px}
header h1{font-size:24px;margin:0 0 4px}header p{margin:0;color:${COLORS.muted}}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin:22px 0}
.card{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 2px rgba(16,24,40,.06),0 0 0 1px #eceef3}
.card .v{font-size:26px;font-weight:650;letter-spacing:-.5px}.card .k{color:${COLORS.muted};font-size:13px}
.card .s{font-size:12px;color:${COLORS.muted}}.good{color:${COLORS.ok}}.bad{color:${COLORS.fail}}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}@media(max-width:900px){.grid{grid-template-columns:1fr}}
section{background:#fff;border-radius:10px;padding:16px 18px;margin:16px 0;box-shadow:0 1px 2px rgba(16,24,40,.06),0 0 0 1px #eceef3}
section h2{font-size:16px;margin:0 0 2px}section .sub{margin:0 0 10px;color:${COLORS.muted};font-size:13px}
.chart{display:block}.chart .label{font-size:13px;fill:${COLORS.text}}.chart .note{font-size:12px;fill:${COLORS.muted}}
.chart .axis{font-size:11px;fill:${COLORS.muted}}.empty{color:${COLORS.muted};font-style:italic}
table{width:100%;border-collapse:collapse;font-size:13px}th,td{padding:6px 8px;text-align:right;border-bottom:1px solid #eef0f4;white-space:nowrap}
th:first-child,td:first-child{text-align:left}td:last-child{white-space:normal;text-align:left}th:last-child{text-align:left}.scroll{overflow-x:auto}th{color:${COLORS.muted};font-weight:600}
.legend span{display:inline-block;margin-right:14px;font-size:12px;color:${COLORS.muted}}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
footer{color:${COLORS.muted};font-size:12px;margin-top:24px}
`;

export function renderHtmlReport(summary: MetricsSummary, options: HtmlReportOptions): string {
  const title = options.title ?? "Skills run metrics";
  const { totals } = summary;
  const window =
    summary.window.from && summary.window.to
      ? `${day(summary.window.from)} – ${day(summary.window.to)}`
      : "no runs recorded";
  const filters = options.filters?.length ? ` · ${options.filters.join(" ")}` : "";
  const body = [
    `<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(`${window} · ${totals.runs} runs${filters}`)}</p></header>`,
    cards(summary),
    section(
      "Duration over time",
      "Program run time per period, median and 95th percentile; bars show how many runs there were and how many failed.",
      durationChart(summary),
    ),
    `<div class="grid">`,
    section(
      "Success rate per skill",
      "Share of runs that returned a result. Red is where failures go.",
      legend([
        ["ok", COLORS.ok],
        ["failed", COLORS.fail],
      ]) + successChart(summary.skills),
    ),
    section(
      "Tool calls",
      "Calls per MCP tool, with the failed ones in red.",
      legend([
        ["ok", COLORS.ok],
        ["failed", COLORS.fail],
      ]) + toolChart(summary),
    ),
    `</div>`,
    section(
      "Token savings",
      "Tokens of tool results the programs read (in) against tokens of what they returned (out): the difference never reached a model.",
      legend([
        ["tokens in", COLORS.in],
        ["tokens out", COLORS.out],
      ]) + tokenChart(summary.skills),
    ),
    section("Skills", "", skillTable(summary.skills)),
    section("Tools", "", toolTable(summary)),
    `<footer>Made by <code>skills metrics --html</code> on ${escapeHtml(options.generatedAt)} from the run log. Sizes, counts and durations only: the log holds no arguments, results or personal data.</footer>`,
  ].join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><main>
${body}
</main></body></html>
`;
}

function cards(summary: MetricsSummary): string {
  const { totals } = summary;
  const rateClass = totals.runs === 0 ? "" : totals.successRate >= 0.95 ? "good" : "bad";
  const items = [
    ["Runs", compact(totals.runs), `${totals.failed} failed`, ""],
    ["Success rate", totals.runs ? percent(totals.successRate) : "–", `${totals.ok} ok`, rateClass],
    ["Median run", formatMs(totals.durationMs.p50), `p95 ${formatMs(totals.durationMs.p95)}`, ""],
    ["Tool calls", compact(totals.toolCalls), `${summary.tools.length} tools`, ""],
    [
      "Tokens saved",
      compact(totals.tokens.saved),
      totals.tokens.in ? `${percent(totals.tokens.savedRatio)} of ${compact(totals.tokens.in)} in` : "no tool results",
      totals.tokens.saved > 0 ? "good" : "",
    ],
    ["PII values tokenized", compact(Object.values(totals.pii).reduce((a, b) => a + b, 0)), piiNote(totals.pii), ""],
  ];
  return `<div class="cards">${items
    .map(
      ([k, v, s, cls]) =>
        `<div class="card"><div class="k">${escapeHtml(k ?? "")}</div><div class="v ${cls}">${escapeHtml(v ?? "")}</div><div class="s">${escapeHtml(s ?? "")}</div></div>`,
    )
    .join("")}</div>`;
}

function durationChart(summary: MetricsSummary): string {
  const buckets = summary.timeline;
  return timeChart(
    buckets.map((b) => label(b.start, summary)),
    [
      { name: "p50", color: COLORS.p50, values: buckets.map((b) => b.durationMs.p50) },
      { name: "p95", color: COLORS.p95, values: buckets.map((b) => b.durationMs.p95) },
    ],
    { ok: buckets.map((b) => b.runs - b.failed), failed: buckets.map((b) => b.failed) },
    formatMs,
  );
}

function successChart(skills: SkillMetrics[]): string {
  const rows = [...skills]
    .sort((a, b) => a.successRate - b.successRate || b.runs - a.runs)
    .slice(0, 20)
    .map((s) => ({
      label: s.skill,
      parts: [
        { value: s.ok / s.runs, color: COLORS.ok, title: `${s.skill}: ${s.ok} of ${s.runs} ok` },
        { value: s.failed / s.runs, color: COLORS.fail, title: `${s.skill}: ${s.failed} of ${s.runs} failed` },
      ],
      note: `${percent(s.successRate)} of ${s.runs}`,
    }));
  return barChart(rows, { max: 1, width: 540, empty: "No runs in this window." });
}

function toolChart(summary: MetricsSummary): string {
  const rows = summary.tools.slice(0, 20).map((t) => ({
    label: t.tool,
    parts: [
      { value: t.calls - t.failed, color: COLORS.ok, title: `${t.tool}: ${t.calls - t.failed} ok` },
      { value: t.failed, color: COLORS.fail, title: `${t.tool}: ${t.failed} failed` },
    ],
    note: `${compact(t.calls)} calls${t.failed ? `, ${compact(t.failed)} failed` : ""}`,
  }));
  return barChart(rows, { width: 540, empty: "No tool calls in this window." });
}

function tokenChart(skills: SkillMetrics[]): string {
  const used = skills.filter((s) => s.tokens.in + s.tokens.out > 0).slice(0, 20);
  const max = Math.max(1, ...used.map((s) => Math.max(s.tokens.in, s.tokens.out)));
  const rows = used.map((s) => ({
    label: s.skill,
    parts: [{ value: s.tokens.in, color: COLORS.in, title: `${s.skill}: ${s.tokens.in} tokens in` }],
    sub: { value: s.tokens.out, color: COLORS.out, title: `${s.skill}: ${s.tokens.out} tokens out` },
    note: `${compact(s.tokens.in)} → ${compact(s.tokens.out)}${s.tokens.in ? ` · ${percent(s.tokens.savedRatio)} saved` : ""}`,
  }));
  return barChart(rows, { max, width: 1040, noteWidth: 220, empty: "No tokens counted in this window." });
}

function skillTable(skills: SkillMetrics[]): string {
  if (skills.length === 0) return `<p class="empty">No runs in this window.</p>`;
  const head =
    "<tr><th>skill</th><th>runs</th><th>success</th><th>p50</th><th>p95</th><th>p99</th><th>cold p50</th><th>warm p50</th><th>tool calls</th><th>tokens in</th><th>tokens out</th><th>PII</th></tr>";
  const rows = skills.map((s) =>
    [
      s.skill,
      compact(s.runs),
      percent(s.successRate),
      formatMs(s.durationMs.p50),
      formatMs(s.durationMs.p95),
      formatMs(s.durationMs.p99),
      s.cold.runs ? formatMs(s.cold.durationMs.p50) : "–",
      s.warm.runs ? formatMs(s.warm.durationMs.p50) : "–",
      compact(s.toolCalls),
      compact(s.tokens.in),
      compact(s.tokens.out),
      piiNote(s.pii) || "–",
    ]
      .map((cell) => `<td>${escapeHtml(cell)}</td>`)
      .join(""),
  );
  return `<div class="scroll"><table>${head}${rows.map((r) => `<tr>${r}</tr>`).join("")}</table></div>`;
}

function toolTable(summary: MetricsSummary): string {
  if (summary.tools.length === 0) return `<p class="empty">No tool calls in this window.</p>`;
  const head =
    "<tr><th>tool</th><th>calls</th><th>success</th><th>p50</th><th>p95</th><th>bytes in</th><th>bytes out</th><th>used by</th></tr>";
  const rows = summary.tools.map((t) =>
    [
      t.tool,
      compact(t.calls),
      percent(t.successRate),
      formatMs(t.callMs.p50),
      formatMs(t.callMs.p95),
      compact(t.bytesIn),
      compact(t.bytesOut),
      t.skills.join(", "),
    ]
      .map((cell) => `<td>${escapeHtml(cell)}</td>`)
      .join(""),
  );
  return `<div class="scroll"><table>${head}${rows.map((r) => `<tr>${r}</tr>`).join("")}</table></div>`;
}

function section(title: string, sub: string, content: string): string {
  return `<section><h2>${escapeHtml(title)}</h2>${sub ? `<p class="sub">${escapeHtml(sub)}</p>` : ""}${content}</section>`;
}

function legend(items: [string, string][]): string {
  return `<div class="legend">${items.map(([name, color]) => `<span><i style="background:${color}"></i>${escapeHtml(name)}</span>`).join("")}</div>`;
}

function percent(ratio: number): string {
  const value = ratio * 100;
  return `${value >= 99.95 || value === 0 ? value.toFixed(0) : value.toFixed(1)}%`;
}

function piiNote(pii: Record<string, number>): string {
  return Object.entries(pii)
    .map(([type, n]) => `${compact(n)} ${type}`)
    .join(", ");
}

function day(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}

/** Bucket labels: the time of day within one day, else the date. */
function label(iso: string, summary: MetricsSummary): string {
  const sameDay = summary.window.from?.slice(0, 10) === summary.window.to?.slice(0, 10);
  return sameDay
    ? iso.slice(11, 16)
    : iso.slice(5, 10) + (iso.slice(11, 16) === "00:00" ? "" : ` ${iso.slice(11, 16)}`);
}
