/**
 * `skills metrics`: reads every file of the run log, keeps the records in the window (`--since`, `--skill`), and
 * summarises them per skill and per tool; optionally as Prometheus/OpenMetrics text and as an HTML report.
 */
import { relative, resolve } from "node:path";
import type { RunRecord } from "../contracts/runRecord.js";
import {
  createSummariser,
  type MetricsFilter,
  type MetricsSummary,
  skillLabel,
} from "../core/metrics/aggregate.js";
import { parseSince } from "../core/metrics/stats.js";
import { SkillsError } from "../errors.js";
import { writeFileAtomic } from "../store/atomicWrite.js";
import { loadProjectConfig, type ProjectConfig } from "../store/config.js";
import { readRunLog } from "../store/runLog/read.js";

export const METRICS_FORMATS = ["table", "json", "prometheus", "openmetrics"] as const;
export type MetricsFormat = (typeof METRICS_FORMATS)[number];

export interface MetricsOptions {
  cwd: string;
  /** `7d`, `24h`, `30m`, `2w`, or a date (`2025-01-31`). */
  since?: string;
  skill?: string;
  format?: MetricsFormat;
  /** Write the HTML report here (relative to cwd). */
  html?: string;
  /** For tests and benchmarks: the time `--since` counts back from. */
  now?: number;
}

export interface MetricsResult {
  ok: true;
  format: MetricsFormat;
  log: { path: string; files: string[]; records: number; skipped: number };
  summary: MetricsSummary;
  /** Prometheus or OpenMetrics text (formats prometheus, openmetrics). */
  exposition?: { text: string; contentType: string };
  /** The HTML report written, relative to cwd. */
  html?: string;
  warnings: string[];
}

export function parseMetricsFormat(value: string | undefined): MetricsFormat {
  if (value === undefined) return "table";
  if ((METRICS_FORMATS as readonly string[]).includes(value)) return value as MetricsFormat;
  throw new SkillsError("INVALID_ARGUMENT", `unknown --format "${value}"`, {
    hint: `use one of: ${METRICS_FORMATS.join(", ")}`,
  });
}

export async function metrics(options: MetricsOptions): Promise<MetricsResult> {
  const format = options.format ?? "table";
  const now = options.now ?? Date.now();
  const since = sinceOption(options.since, now);
  const config = await loadProjectConfig(options.cwd);
  const filter = { ...(since !== undefined ? { since } : {}), ...(options.skill ? { skill: options.skill } : {}) };
  const summariser = createSummariser(filter);
  // prom-client is loaded only for these formats.
  const exposition =
    format === "prometheus" || format === "openmetrics"
      ? (await import("../core/metrics/prometheus.js")).createExposition(format)
      : undefined;
  const names = new Set<string>();
  let records = 0;
  // Records are folded in as they are read and never kept: 100,000 of them make no garbage to collect later.
  const read = await readRunLog(config.runLog.path, (record) => {
    records += 1;
    summariser.add(record);
    if (record.kind === "search") return;
    names.add(skillLabel(record));
    if (exposition && inWindow(record, filter)) exposition.add(record);
  });
  const warnings = logWarnings(config, read.skipped, options.cwd);
  const summary = summariser.finish();
  if (options.skill && summary.totals.runs === 0) warnings.push(noSuchSkill(options.skill, names));
  const result: MetricsResult = {
    ok: true,
    format,
    log: {
      path: shown(config.runLog.path, options.cwd),
      files: read.files.map((file) => shown(file, options.cwd)),
      records,
      skipped: read.skipped.count,
    },
    summary,
    warnings,
  };
  if (exposition) result.exposition = await exposition.render();
  if (options.html !== undefined) {
    const { renderHtmlReport } = await import("../core/metrics/html/report.js");
    const path = resolve(options.cwd, options.html);
    const filters = [
      ...(options.since ? [`--since ${options.since}`] : []),
      ...(options.skill ? [`--skill ${options.skill}`] : []),
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

export function sinceOption(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined;
  const since = parseSince(text, now);
  if (since === undefined) {
    throw new SkillsError("INVALID_ARGUMENT", `--since "${text}" is neither a duration nor a date`, {
      hint: "use a duration back from now (30m, 24h, 7d, 2w) or a date (2025-01-31, 2025-01-31T12:00:00Z)",
    });
  }
  return since;
}

/** The one warning about lines that are not records, and one when logging is off. */
export function logWarnings(
  config: ProjectConfig,
  skipped: { count: number; first?: { file: string; line: number } },
  cwd: string,
): string[] {
  const warnings: string[] = [];
  if (skipped.count > 0) {
    const where = skipped.first ? ` (first at ${shown(skipped.first.file, cwd)}:${skipped.first.line})` : "";
    warnings.push(
      `skipped ${skipped.count} line${skipped.count === 1 ? "" : "s"} of the run log that ${skipped.count === 1 ? "is" : "are"} not a run record — cut short by a full disk or written by something else${where}`,
    );
  }
  if (!config.logRuns) warnings.push("logRuns is false in skills.config.json: new runs are not being recorded");
  return warnings;
}

function inWindow(record: RunRecord, filter: MetricsFilter): boolean {
  if (filter.since !== undefined && Date.parse(record.time) < filter.since) return false;
  return filter.skill === undefined || skillLabel(record) === filter.skill;
}

function noSuchSkill(skill: string, names: Set<string>): string {
  const known = [...names].sort().slice(0, 12);
  return `no runs of "${skill}" in this window${known.length ? `; the log has: ${known.join(", ")}` : ""}`;
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") ? rel : path;
}
