/**
 * The wall time of tool calls: the length of the union of their [start, end] intervals. Calls a program makes in
 * parallel overlap, so their sum overstates the time the program waited; calls recorded without a start (cassettes
 * and records from before starts were kept) count as if one followed the other. `withoutWaits` leaves out what calls
 * spent waiting for their server to start (the calls' own time, as the quick-start bench compares it with the
 * server's start-up measured apart).
 */
export interface TimedCall {
  /** ms after the program was handed its run; absent on older records. */
  startMs?: number;
  ms: number;
  /** Of ms, the wait for the server to connect. */
  waitMs?: number;
}

export function callsWallMs(calls: readonly TimedCall[], options: { withoutWaits?: boolean } = {}): number {
  let unplaced = 0;
  const spans: [number, number][] = [];
  for (const call of calls) {
    const wait = options.withoutWaits ? Math.min(call.waitMs ?? 0, call.ms) : 0;
    if (typeof call.startMs === "number") spans.push([call.startMs + wait, call.startMs + call.ms]);
    else unplaced += call.ms - wait;
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
