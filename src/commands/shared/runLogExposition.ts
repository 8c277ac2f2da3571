/**
 * The run log as Prometheus text, for `GET /metrics` of `skills serve --http`: the same reader (src/store/runLog) and
 * the same exposition (src/core/metrics/prometheus.ts) as `skills metrics --format prometheus`, over the whole log,
 * so a scrape and the command show the same figures.
 */
import type { PrometheusFormat, PrometheusText } from "../../core/metrics/prometheus.js";
import type { ProjectConfig } from "../../store/config.js";
import { readLogColumns } from "../../store/runLog/readColumns.js";

export async function runLogExposition(
  config: ProjectConfig,
  format: PrometheusFormat = "prometheus",
): Promise<PrometheusText> {
  // prom-client loads on the first scrape, not when the server starts.
  const { createExposition } = await import("../../core/metrics/prometheus.js");
  const exposition = createExposition(format);
  const read = await readLogColumns(config.runLog.path);
  for (const columns of read.columns) exposition.add(columns);
  return exposition.render();
}
