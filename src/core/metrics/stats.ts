/** Small statistics for the metrics and insights: percentiles, Wilson intervals, parsing `--since`. */

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

const RANKS = [0.5, 0.95, 0.99] as const;

/**
 * Nearest-rank percentiles of values; zeros for no values. Each rank is selected, not sorted for (quickselect: linear
 * on average, where a sort of the 100,000 durations of a large log costs several times more).
 */
export function percentiles(values: ArrayLike<number>): Percentiles {
  return percentilesInPlace(Float64Array.from(values));
}

/** percentiles() of values the caller gives up: their order is changed. */
export function percentilesInPlace(a: Float64Array): Percentiles {
  const n = a.length;
  if (n === 0) return { p50: 0, p95: 0, p99: 0 };
  const found: number[] = [];
  let from = 0;
  for (const q of RANKS) {
    const k = Math.min(n - 1, Math.ceil(q * n) - 1);
    // The ranks rise: what lies above the last one found holds the next.
    selectKth(a, from, n - 1, k);
    found.push(round(a[k] as number));
    from = k;
  }
  return { p50: found[0] as number, p95: found[1] as number, p99: found[2] as number };
}

/**
 * Puts the k-th smallest of a[left..right] at a[k], smaller or equal ones before it and greater or equal ones after
 * (Hoare's partition, which splits runs of equal values evenly: durations repeat a lot).
 */
export function selectKth(a: Float64Array, left: number, right: number, k: number): void {
  let lo = left;
  let hi = right;
  while (hi > lo) {
    const x = a[lo] as number;
    const y = a[(lo + hi) >>> 1] as number;
    const z = a[hi] as number;
    // The median of the first, middle and last value.
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
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
