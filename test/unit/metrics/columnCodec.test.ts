/** The index of a rotated log file: columns in and out exactly, the smallest exact encodings, damage refused. */
import { describe, expect, it } from "vitest";
import type { LogRecord, RunRecord } from "../../../src/contracts/runRecord.js";
import { createSummariser, summarise } from "../../../src/core/metrics/aggregate.js";
import { decodeIndex, encodeIndex } from "../../../src/core/metrics/columnCodec.js";
import { columnsOf, NONE, type RunColumns } from "../../../src/core/metrics/columns.js";
import { syntheticRecords } from "../../../bench/lib/runRecords.mjs";

const records = syntheticRecords(2000) as RunRecord[];
const meta = { key: { dev: "1", ino: "2", size: "3", mtimeNs: "4", ctimeNs: "5" }, skipped: { count: 1, firstLine: 7 } };

function roundTrip(list: LogRecord[]) {
  const columns = columnsOf(list);
  const bytes = encodeIndex(columns, meta);
  expect(bytes).toBeInstanceOf(Uint8Array);
  const decoded = decodeIndex(bytes!);
  expect(decoded).toBeDefined();
  return { columns, bytes: bytes!, decoded: decoded! };
}

/** The encodings the header chose, by column. */
function encodings(bytes: Uint8Array): Record<string, string> {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length))) as {
    columns: { name: string; encoding: string }[];
  };
  return Object.fromEntries(header.columns.map((c) => [c.name, c.encoding]));
}

const run = (overrides: Partial<RunRecord>): RunRecord => ({ ...records[0]!, ...overrides });

describe("encodeIndex / decodeIndex", () => {
  it("give back every column exactly, with the key and the skipped lines", () => {
    const { columns, decoded } = roundTrip([
      ...records,
      { v: 1, id: "r_1", time: "2025-01-31T00:00:00.000Z", kind: "search", client: "x", query: "q", results: 0 },
    ]);
    expect(decoded.columns).toEqual(columns);
    expect(decoded.columns.searches).toBe(1);
    expect(decoded.key).toEqual(meta.key);
    expect(decoded.skipped).toEqual(meta.skipped);
  });

  it("make a summary equal to the one from the records", () => {
    const { decoded } = roundTrip(records);
    expect(JSON.stringify(summariseColumns(decoded.columns))).toBe(JSON.stringify(summarise(records)));
  });

  it("choose the smallest form that is exact, and f64 where none is", () => {
    const small = roundTrip(records);
    // Durations have two decimals; the synthetic log's token counts stay under 65,536 in and 256 out.
    expect(encodings(small.bytes)).toMatchObject({
      duration: "c32",
      toolCalls: "u8",
      tokensIn: "u16",
      tokensOut: "u8",
      time: "f64",
      label: "u8",
      version: "u8",
      flags: "u8",
    });
    // About a tenth of the JSON text it stands for.
    const jsonBytes = records.reduce((n, r) => n + JSON.stringify(r).length + 1, 0);
    expect(small.bytes.length).toBeLessThan(jsonBytes / 5);

    const odd = [
      run({ duration_ms: 1 / 3, tokens_in: 2 ** 40, tool_calls: 70_000, tokens_out: 300, startup_ms: -0.5 }),
      run({ duration_ms: 0.07 * 3, tokens_in: 5, tool_calls: 1, tokens_out: 1, startup_ms: 1 }),
    ];
    const { columns, bytes, decoded } = roundTrip(odd);
    expect(encodings(bytes)).toMatchObject({
      duration: "f64",
      tokensIn: "f64",
      toolCalls: "u32",
      tokensOut: "u16",
      startup: "f64",
    });
    expect(Array.from(decoded.columns.duration)).toEqual([1 / 3, 0.07 * 3]);
    expect(decoded.columns).toEqual(columns);
  });

  it("keep a missing version apart from every real one", () => {
    const { decoded } = roundTrip([run({ skill: undefined, version: undefined }), run({ version: "2.0.0" })]);
    expect(decoded.columns.version[0]).toBe(NONE);
    expect(decoded.columns.strings[decoded.columns.version[1]!]).toBe("2.0.0");
  });

  it("refuse bytes that are not a whole index of this format", () => {
    const { bytes } = roundTrip(records.slice(0, 50));
    expect(decodeIndex(bytes.subarray(0, bytes.length - 64))).toBeUndefined();
    expect(decodeIndex(new Uint8Array(0))).toBeUndefined();
    expect(decodeIndex(new TextEncoder().encode('{"v":1}\n'))).toBeUndefined();
    const otherFormat = bytes.slice();
    new DataView(otherFormat.buffer).setUint32(4, 99, true);
    expect(decodeIndex(otherFormat)).toBeUndefined();
    const badHeader = bytes.slice();
    badHeader[13] = 0x7b; // '{' inside the header JSON: not JSON any more
    expect(decodeIndex(badHeader)).toBeUndefined();
    // A reference out of the string table, or tool ranges out of order: refused, not read past.
    const { columns } = roundTrip(records.slice(0, 50));
    const outOfTable = { ...columns, label: columns.label.map(() => 999) };
    expect(decodeIndex(encodeIndex(outOfTable, meta)!)).toBeUndefined();
    const disordered = { ...columns, toolStart: columns.toolStart.slice().reverse() };
    expect(decodeIndex(encodeIndex(disordered, meta)!)).toBeUndefined();
  });

  it("decode a copy that does not start on an 8-byte boundary", () => {
    const { bytes, columns } = roundTrip(records.slice(0, 100));
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeIndex(shifted.subarray(3))?.columns).toEqual(columns);
  });
});

function summariseColumns(columns: RunColumns) {
  const summariser = createSummariser({});
  summariser.add(columns);
  return summariser.finish();
}
