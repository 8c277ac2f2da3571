/** Small statistics for the metrics and insights: percentiles, Wilson intervals, parsing `--since`. */

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest-rank percentiles of values (sorted here); zeros for no values. */
export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p95: 0, p99: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Wilson score interval for a proportion (failures out of n) at 95% confidence: unlike failures/n it stays honest for
 * small n (1 failure in 2 runs is "somewhere between 9% and 91%", not "50%").
 */
export function wilson(successes: number, n: number, z = 1.96): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * `--since`: a duration back from now (`30m`, `24h`, `7d`, `2w`) or a date/time (`2025-01-31`, ISO 8601). Returns the
 * start time in ms, or undefined when the text is neither.
 */
export function parseSince(text: string, now: number): number | undefined {
  const trimmed = text.trim();
  const match = /^(\d+(?:\.\d+)?)\s*([mhdw])$/i.exec(trimmed);
  if (match) return now - Number(match[1]) * (UNITS[(match[2] as string).toLowerCase()] as number);
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const time = Date.parse(trimmed);
  return Number.isNaN(time) ? undefined : time;
}
