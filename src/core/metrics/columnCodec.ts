/**
 * The index of a rotated run-log file: its columns (columns.ts) in a compact binary form, with the key of the file it
 * was made from. Each column is stored in the smallest form that gives back every value exactly — u8, u16 or u32 for
 * whole numbers, hundredths in a u32 for the two-decimal durations the log writes, else f64 — so an index is about a
 * tenth of its log file. Decoding checks every length and every reference and gives undefined for anything that does
 * not add up; the caller then reads the log file itself. Pure.
 */
import { NONE, type RunColumns } from "./columns.js";

const MAGIC = 0x49524b53; // "SKRI", little-endian
/** Bumped whenever the layout or the meaning of a column changes: older indexes are rebuilt. */
export const INDEX_FORMAT = 1;

type Encoding = "u8" | "u16" | "u32" | "c32" | "f64";

const FLOAT_COLUMNS = [
  "time",
  "duration",
  "startup",
  "toolCalls",
  "tokensIn",
  "tokensOut",
  "toolCallCount",
  "toolFailed",
  "toolMs",
  "toolBytesIn",
  "toolBytesOut",
  "piiCount",
] as const;
const ID_COLUMNS = ["label", "kind", "language", "version", "toolStart", "toolName", "piiStart", "piiType"] as const;
type FloatColumn = (typeof FLOAT_COLUMNS)[number];
type IdColumn = (typeof ID_COLUMNS)[number];

export interface IndexMeta {
  /** What identifies the file the index was made from (inode, size, times): the store compares it. */
  key: Record<string, string>;
  /** Lines of the file that were not records, and the first one's line number. */
  skipped: { count: number; firstLine?: number };
}

export interface DecodedIndex extends IndexMeta {
  columns: RunColumns;
}

interface Header extends IndexMeta {
  format: number;
  count: number;
  searches: number;
  strings: string[];
  columns: { name: string; encoding: Encoding; length: number }[];
}

const WIDTH: Record<Encoding, number> = { u8: 1, u16: 2, u32: 4, c32: 4, f64: 8 };

/** The smallest exact form of a column of numbers. */
function floatEncoding(values: Float64Array): Encoding {
  let whole = true;
  let centi = true;
  let max = 0;
  for (const value of values) {
    if (!(value >= 0)) return "f64";
    if (whole && !Number.isInteger(value)) whole = false;
    if (!whole && centi && Math.round(value * 100) / 100 !== value) centi = false;
    if (!whole && !centi) return "f64";
    if (value > max) max = value;
  }
  if (whole) return max < 256 ? "u8" : max < 65536 ? "u16" : max < 2 ** 32 ? "u32" : "f64";
  return Math.round(max * 100) < 2 ** 32 ? "c32" : "f64";
}

/** `version` is stored plus one, so that NONE (2^32 - 1) becomes 0 and a small table stays small. */
const shifted = (name: string): boolean => name === "version";

function idEncoding(values: Uint32Array, shift: boolean): Encoding {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const stored = shift ? ((values[i] as number) + 1) >>> 0 : (values[i] as number);
    if (stored > max) max = stored;
  }
  return max < 256 ? "u8" : max < 65536 ? "u16" : "u32";
}

const align = (offset: number): number => (offset + 7) & ~7;

/** Indexes are written in the machine's byte order and read only where that is little-endian (all our hosts). */
export const INDEX_SUPPORTED = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array;

function view(encoding: Encoding, buffer: ArrayBufferLike, offset: number, length: number): Typed {
  if (encoding === "u8") return new Uint8Array(buffer, offset, length);
  if (encoding === "u16") return new Uint16Array(buffer, offset, length);
  if (encoding === "f64") return new Float64Array(buffer, offset, length);
  return new Uint32Array(buffer, offset, length);
}

/** The index bytes; undefined on a big-endian machine (there, the log is always parsed). */
export function encodeIndex(columns: RunColumns, meta: IndexMeta): Uint8Array | undefined {
  if (!INDEX_SUPPORTED) return undefined;
  // `id`: stored plus one (see shifted).
  const plan: { name: string; encoding: Encoding; values: ArrayLike<number>; id: boolean }[] = [];
  for (const name of FLOAT_COLUMNS) {
    plan.push({ name, encoding: floatEncoding(columns[name]), values: columns[name], id: false });
  }
  for (const name of ID_COLUMNS) {
    plan.push({ name, encoding: idEncoding(columns[name], shifted(name)), values: columns[name], id: shifted(name) });
  }
  plan.push({ name: "flags", encoding: "u8", values: columns.flags, id: false });
  const header: Header = {
    format: INDEX_FORMAT,
    key: meta.key,
    skipped: meta.skipped,
    count: columns.count,
    searches: columns.searches,
    strings: columns.strings,
    columns: plan.map((column) => ({ name: column.name, encoding: column.encoding, length: column.values.length })),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  let size = align(12 + headerBytes.length);
  for (const column of plan) size = align(size + column.values.length * WIDTH[column.encoding]);
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, 3);
  words[0] = MAGIC;
  words[1] = INDEX_FORMAT;
  words[2] = headerBytes.length;
  bytes.set(headerBytes, 12);
  let offset = align(12 + headerBytes.length);
  for (const { values, encoding, id } of plan) {
    const out = view(encoding, bytes.buffer, offset, values.length);
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as number;
      out[i] = id ? (value + 1) >>> 0 : encoding === "c32" ? Math.round(value * 100) : value;
    }
    offset = align(offset + values.length * WIDTH[encoding]);
  }
  return bytes;
}

/** The index's columns and meta, or undefined when the bytes are not a whole index of this format. */
export function decodeIndex(bytes: Uint8Array): DecodedIndex | undefined {
  try {
    return decode(bytes);
  } catch {
    return undefined;
  }
}

function decode(given: Uint8Array): DecodedIndex | undefined {
  if (!INDEX_SUPPORTED || given.length < 12) return undefined;
  // Typed views need their offsets aligned: a buffer that does not start on 8 bytes is copied once.
  const bytes = given.byteOffset % 8 === 0 ? given : given.slice();
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, 3);
  if (words[0] !== MAGIC || words[1] !== INDEX_FORMAT) return undefined;
  const headerLength = words[2] as number;
  if (12 + headerLength > bytes.length) return undefined;
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as Header;
  if (!validHeader(header)) return undefined;
  let offset = align(12 + headerLength);
  const read = new Map<string, Float64Array | Uint32Array | Uint8Array>();
  for (const column of header.columns) {
    const width = WIDTH[column.encoding];
    if (offset + column.length * width > bytes.length) return undefined;
    const raw = view(column.encoding, bytes.buffer, bytes.byteOffset + offset, column.length);
    // Typed-array constructors widen natively; only the shifted ids and the hundredths need a loop of their own.
    if (column.name === "flags") {
      if (column.encoding !== "u8") return undefined;
      read.set(column.name, new Uint8Array(raw));
    } else if ((ID_COLUMNS as readonly string[]).includes(column.name)) {
      if (column.encoding === "c32" || column.encoding === "f64") return undefined;
      const out = new Uint32Array(raw);
      if (shifted(column.name)) for (let i = 0; i < out.length; i++) out[i] = ((out[i] as number) - 1) >>> 0;
      read.set(column.name, out);
    } else {
      const out = new Float64Array(raw);
      if (column.encoding === "c32") for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / 100;
      read.set(column.name, out);
    }
    offset = align(offset + column.length * width);
  }
  const f = (name: FloatColumn) => read.get(name) as Float64Array | undefined;
  const id = (name: IdColumn) => read.get(name) as Uint32Array | undefined;
  const flags = read.get("flags") as Uint8Array | undefined;
  const floats = FLOAT_COLUMNS.map(f);
  const ids = ID_COLUMNS.map(id);
  if (!flags || floats.some((column) => !column) || ids.some((column) => !column)) return undefined;
  // Every property in the builder's order: one object shape for every file, so the summary's loop stays fast.
  const columns: RunColumns = {
    count: header.count,
    searches: header.searches,
    strings: header.strings,
    time: f("time")!,
    label: id("label")!,
    kind: id("kind")!,
    language: id("language")!,
    version: id("version")!,
    flags,
    duration: f("duration")!,
    startup: f("startup")!,
    toolCalls: f("toolCalls")!,
    tokensIn: f("tokensIn")!,
    tokensOut: f("tokensOut")!,
    toolStart: id("toolStart")!,
    toolName: id("toolName")!,
    toolCallCount: f("toolCallCount")!,
    toolFailed: f("toolFailed")!,
    toolMs: f("toolMs")!,
    toolBytesIn: f("toolBytesIn")!,
    toolBytesOut: f("toolBytesOut")!,
    piiStart: id("piiStart")!,
    piiType: id("piiType")!,
    piiCount: f("piiCount")!,
  };
  return consistent(columns) ? { columns, key: header.key, skipped: header.skipped } : undefined;
}

function validHeader(header: Header): boolean {
  return (
    typeof header === "object" &&
    header !== null &&
    header.format === INDEX_FORMAT &&
    Number.isInteger(header.count) &&
    Number.isInteger(header.searches) &&
    Array.isArray(header.strings) &&
    header.strings.every((s) => typeof s === "string") &&
    Array.isArray(header.columns) &&
    header.columns.every(
      (c) => typeof c.name === "string" && c.encoding in WIDTH && Number.isInteger(c.length) && c.length >= 0,
    ) &&
    typeof header.key === "object" &&
    typeof header.skipped?.count === "number"
  );
}

/** Every column as long as it should be, every range in order, every name in the table. */
function consistent(c: RunColumns): boolean {
  const n = c.count;
  const perRun: (FloatColumn | IdColumn | "flags")[] = [
    "time",
    "duration",
    "startup",
    "toolCalls",
    "tokensIn",
    "tokensOut",
    "label",
    "kind",
    "language",
    "version",
    "flags",
  ];
  if (perRun.some((name) => c[name].length !== n)) return false;
  if (c.toolStart.length !== n + 1 || c.piiStart.length !== n + 1) return false;
  const tools = c.toolName.length;
  const toolColumns = [c.toolCallCount, c.toolFailed, c.toolMs, c.toolBytesIn, c.toolBytesOut];
  if (toolColumns.some((column) => column.length !== tools) || c.piiCount.length !== c.piiType.length) return false;
  if (!ordered(c.toolStart, tools) || !ordered(c.piiStart, c.piiType.length)) return false;
  const names = c.strings.length;
  const named = (column: Uint32Array, optional = false): boolean => {
    for (let i = 0; i < column.length; i++) {
      const id = column[i] as number;
      if (id >= names && !(optional && id === NONE)) return false;
    }
    return true;
  };
  return (
    named(c.label) &&
    named(c.kind) &&
    named(c.language) &&
    named(c.version, true) &&
    named(c.toolName) &&
    named(c.piiType)
  );
}

function ordered(starts: Uint32Array, end: number): boolean {
  if (starts[0] !== 0 || starts[starts.length - 1] !== end) return false;
  for (let i = 1; i < starts.length; i++) if ((starts[i] as number) < (starts[i - 1] as number)) return false;
  return true;
}
