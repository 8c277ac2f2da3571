/**
 * The wall time of tool calls: the length of the union of their [start, end] intervals. Calls a program makes in
 * parallel overlap, so their sum overstates the time the program waited; calls recorded without a start (cassettes
 * and records from before starts were kept) count as if one followed the other.
 */
export interface TimedCall {
  /** ms after the program was handed its run; absent on older records. */
  startMs?: number;
  ms: number;
}

export function callsWallMs(calls: readonly TimedCall[]): number {
  let unplaced = 0;
  const spans: [number, number][] = [];
  for (const call of calls) {
    if (typeof call.startMs === "number") spans.push([call.startMs, call.startMs + call.ms]);
    else unplaced += call.ms;
  }
  spans.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of spans) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total + unplaced;
}
