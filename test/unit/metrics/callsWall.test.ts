import { describe, expect, it } from "vitest";
import { callsWallMs } from "../../../src/core/metrics/callsWall.js";

describe("callsWallMs: the wall time of tool calls", () => {
  it.each([
    ["no calls", [], 0],
    ["one call", [{ startMs: 5, ms: 10 }], 10],
    [
      "one after the other",
      [
        { startMs: 0, ms: 10 },
        { startMs: 10, ms: 5 },
      ],
      15,
    ],
    [
      "a gap between them is not counted",
      [
        { startMs: 0, ms: 10 },
        { startMs: 50, ms: 5 },
      ],
      15,
    ],
    ["four in parallel count once", [0, 1, 2, 3].map((i) => ({ startMs: i, ms: 20 })), 23],
    [
      "one inside another",
      [
        { startMs: 0, ms: 30 },
        { startMs: 5, ms: 5 },
      ],
      30,
    ],
    [
      "out of order",
      [
        { startMs: 20, ms: 10 },
        { startMs: 0, ms: 25 },
      ],
      30,
    ],
    ["calls without a start add up", [{ ms: 10 }, { ms: 5 }, { startMs: 0, ms: 10 }], 25],
  ])("%s", (_name, calls, wall) => {
    expect(callsWallMs(calls)).toBe(wall);
  });

  it.each([
    [
      "a first call that waited for its server",
      [
        { startMs: 0, ms: 100, waitMs: 70 },
        { startMs: 100, ms: 5 },
      ],
      105,
      35,
    ],
    ["calls in parallel that waited together", [0, 1].map((i) => ({ startMs: i, ms: 50 - i, waitMs: 40 - i })), 50, 10],
    ["a wait longer than the call is the call", [{ startMs: 0, ms: 10, waitMs: 15 }], 10, 0],
    ["without a start", [{ ms: 10, waitMs: 4 }], 10, 6],
  ])("withoutWaits leaves out the wait for the server: %s", (_name, calls, wall, own) => {
    expect(callsWallMs(calls)).toBe(wall);
    expect(callsWallMs(calls, { withoutWaits: true })).toBe(own);
  });
});
