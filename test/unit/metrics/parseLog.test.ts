/** Reading the run log back: torn, foreign and glued lines. */
import { describe, expect, it } from "vitest";
import type { LogRecord } from "../../../src/contracts/runRecord.js";
import { parseLogText, type SkippedLines } from "../../../src/core/metrics/parseLog.js";
import { syntheticRecords } from "../../../bench/lib/runRecords.mjs";

const [a, b, c] = syntheticRecords(3) as LogRecord[];
const line = (record: unknown) => JSON.stringify(record);

function parse(text: string) {
  const records: LogRecord[] = [];
  const skipped: SkippedLines = { count: 0 };
  parseLogText(text, "runs.jsonl", (record) => records.push(record), skipped);
  return { ids: records.map((r) => r.id), skipped };
}

describe("parseLogText", () => {
  it("reads whole records", () => {
    expect(parse(`${line(a)}\n${line(b)}\n`)).toEqual({ ids: [a!.id, b!.id], skipped: { count: 0 } });
  });

  it("skips a torn last line (a write cut short, or still under way)", () => {
    const torn = line(c).slice(0, 40);
    expect(parse(`${line(a)}\n${torn}`)).toEqual({
      ids: [a!.id],
      skipped: { count: 1, first: { file: "runs.jsonl", line: 2 } },
    });
  });

  it("recovers the record a torn line was glued to", () => {
    const torn = line(b).slice(0, 55);
    expect(parse(`${line(a)}\n${torn}${line(c)}\n`)).toEqual({ ids: [a!.id, c!.id], skipped: { count: 0 } });
  });

  it("skips foreign lines, blank lines and records of unknown versions, counting each once", () => {
    const text = [
      line(a),
      "",
      "not json at all",
      '{"hello":"world"}',
      line({ ...(b as object), v: 99 }),
      line({ ...(b as object), outcome: "maybe" }),
      "[1,2,3]",
      line(c),
      "",
    ].join("\n");
    expect(parse(text)).toEqual({ ids: [a!.id, c!.id], skipped: { count: 5, first: { file: "runs.jsonl", line: 3 } } });
  });

  it("reads search records", () => {
    const search = {
      v: 1,
      id: "r_1",
      time: "2025-01-01T00:00:00Z",
      kind: "search",
      client: "x",
      query: "q",
      results: 0,
    };
    expect(parse(`${line(search)}\n`).ids).toEqual(["r_1"]);
  });
});
