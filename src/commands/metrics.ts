/**
 * `skills metrics`: reads every file of the run log, keeps the records in the window (`--since`, `--skill`), and
 * summarises them per skill and per tool; optionally as Prometheus/OpenMetrics text and as an HTML report.
 */
import { resolve } from "node:path";
import { createSummariser, type MetricsSummary } from "../core/metrics/aggregate.js";
import { countRuns, labelsOf } from "../core/metrics/columns.js";
import { SkillsError } from "../errors.js";
import { writeFileAtomic } from "../store/atomicWrite.js";
import { loadProjectConfig } from "../store/config.js";
import { readLogColumns } from "../store/runLog/readColumns.js";
import { logWarnings, shown } from "./shared/runLogWarnings.js";

export const METRICS_FORMATS = ["table", "json", "prometheus", "openmetrics"] as const;
export type MetricsFormat = (typeof METRICS_FORMATS)[number];

export interface MetricsOptions {
  cwd: string;
  /** Only runs at or after this time (epoch ms; the CLI reads `--since 7d` or a date). */
  since?: number;
  skill?: string;
  format?: MetricsFormat;
  /** Write the HTML report here (relative to cwd). */
  html?: string;
  /** The report's time (default now). */
  now?: number;
}

export interface MetricsResult {
  ok: true;
  format: MetricsFormat;
  log: { path: string; files: string[]; records: number; skipped: number };
  /** Per skill and per tool (formats table and json, and for --html; the exposition formats carry the same figures). */
  summary?: MetricsSummary;
  /** Prometheus or OpenMetrics text (formats prometheus, openmetrics). */
  exposition?: { text: string; contentType: string };
  /** The HTML report written, relative to cwd. */
  html?: string;
  warnings: string[];
}

export async function metrics(options: MetricsOptions): Promise<MetricsResult> {
  const format = options.format ?? "table";
  const now = options.now ?? Date.now();
  const since = options.since;
  const config = await loadProjectConfig(options.cwd);
  const filter = { ...(since !== undefined ? { since } : {}), ...(options.skill ? { skill: options.skill } : {}) };
  // prom-client is loaded only for these formats, which need no summary (unless for the HTML report).
  const exposition =
    format === "prometheus" || format === "openmetrics"
      ? (await import("../core/metrics/prometheus.js")).createExposition(format)
      : undefined;
  const summariser = !exposition || options.html !== undefined ? createSummariser(filter) : undefined;
  // Rotated files come from their index (parsed once); the current file is parsed. Columns, not records, are kept.
  const read = await readLogColumns(config.runLog.path);
  const names = new Set<string>();
  let inWindow = 0;
  for (const columns of read.columns) {
    summariser?.add(columns);
    exposition?.add(columns, filter);
    for (const label of labelsOf(columns)) names.add(label);
    if (options.skill && !summariser) inWindow += countRuns(columns, filter);
  }
  const warnings = logWarnings(config, read.skipped, options.cwd);
  const summary = summariser?.finish();
  if (options.skill && (summary?.totals.runs ?? inWindow) === 0) warnings.push(noSuchSkill(options.skill, names));
  const result: MetricsResult = {
    ok: true,
    format,
    log: {
      path: shown(config.runLog.path, options.cwd),
      files: read.files.map((file) => shown(file, options.cwd)),
      records: read.records,
      skipped: read.skipped.count,
    },
    ...(summary ? { summary } : {}),
    warnings,
  };
  if (exposition) result.exposition = await exposition.render();
  if (options.html !== undefined && summary) {
    const { renderHtmlReport } = await import("../core/metrics/html/report.js");
    const path = resolve(options.cwd, options.html);
    const filters = [
      ...(since !== undefined ? [`since ${new Date(since).toISOString()}`] : []),
      ...(options.skill ? [`skill ${options.skill}`] : []),
    ];
    const html = renderHtmlReport(summary, { generatedAt: new Date(now).toISOString(), filters });
    try {
      await writeFileAtomic(path, html);
    } catch (error) {
      throw new SkillsError(
        "INVALID_ARGUMENT",
        `cannot write the HTML report ${options.html}: ${(error as Error).message}`,
        {
          file: options.html,
          hint: "pass a path in a writable folder (missing folders are created)",
        },
      );
    }
    result.html = shown(path, options.cwd);
  }
  return result;
}

function noSuchSkill(skill: string, names: Set<string>): string {
  const known = [...names].sort().slice(0, 12);
  return `no runs of "${skill}" in this window${known.length ? `; the log has: ${known.join(", ")}` : ""}`;
}
