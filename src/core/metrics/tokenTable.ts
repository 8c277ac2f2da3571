/**
 * The o200k_base ranks as one binary table that loads without parsing: the tokens' bytes sorted, with their offsets
 * and ranks, found by binary search. Reading it from the cache costs a few milliseconds where building js-tiktoken's
 * map costs 0.1-0.3 s of CPU, which every `skills run` process would otherwise pay once.
 *
 * Layout (little-endian): "SKT1", count u32, pattern bytes u32, token bytes u32, the split pattern (UTF-8, padded to
 * 4 bytes), offsets u32[count + 1], ranks u32[count], then the tokens' bytes.
 */
import { type RankTable, rankEntries, type TiktokenRanks } from "./tokens.js";

const MAGIC = "SKT1";
const HEADER = 16;

export function encodeRankTable(ranks: TiktokenRanks): Buffer {
  const entries = [...rankEntries(ranks)].map(([token, rank]) => ({ bytes: Buffer.from(token, "base64"), rank }));
  entries.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  const pattern = Buffer.from(ranks.pat_str, "utf8");
  const patternPadded = Math.ceil(pattern.length / 4) * 4;
  const tokenBytes = entries.reduce((sum, entry) => sum + entry.bytes.length, 0);
  const count = entries.length;
  const out = Buffer.alloc(HEADER + patternPadded + 4 * (count + 1) + 4 * count + tokenBytes);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(count, 4);
  out.writeUInt32LE(pattern.length, 8);
  out.writeUInt32LE(tokenBytes, 12);
  pattern.copy(out, HEADER);
  let offsetsAt = HEADER + patternPadded;
  const ranksAt = offsetsAt + 4 * (count + 1);
  let bytesAt = ranksAt + 4 * count;
  let offset = 0;
  entries.forEach((entry, index) => {
    out.writeUInt32LE(offset, offsetsAt);
    offsetsAt += 4;
    out.writeUInt32LE(entry.rank, ranksAt + 4 * index);
    entry.bytes.copy(out, bytesAt);
    bytesAt += entry.bytes.length;
    offset += entry.bytes.length;
  });
  out.writeUInt32LE(offset, offsetsAt);
  return out;
}

/** The table and split pattern in a buffer written by encodeRankTable; undefined when it is not one (or is cut). */
export function decodeRankTable(buffer: Buffer): { table: RankTable; pattern: string } | undefined {
  if (buffer.length < HEADER || buffer.toString("latin1", 0, 4) !== MAGIC) return undefined;
  const count = buffer.readUInt32LE(4);
  const patternLength = buffer.readUInt32LE(8);
  const tokenBytes = buffer.readUInt32LE(12);
  const patternPadded = Math.ceil(patternLength / 4) * 4;
  const offsetsAt = HEADER + patternPadded;
  const ranksAt = offsetsAt + 4 * (count + 1);
  const bytesAt = ranksAt + 4 * count;
  if (count === 0 || buffer.length !== bytesAt + tokenBytes) return undefined;
  // Typed-array views need 4-byte alignment in memory: copy once when the file's buffer is not aligned.
  const aligned = buffer.byteOffset % 4 === 0 ? buffer : Buffer.from(buffer);
  const offsets = new Uint32Array(aligned.buffer, aligned.byteOffset + offsetsAt, count + 1);
  const ranks = new Uint32Array(aligned.buffer, aligned.byteOffset + ranksAt, count);
  const bytes = aligned.subarray(bytesAt);
  if (offsets[count] !== tokenBytes) return undefined;
  const pattern = aligned.toString("utf8", HEADER, HEADER + patternLength);
  // Where the tokens with each first two bytes lie (the table is sorted by bytes, so they are side by side), and the
  // one-byte tokens' ranks: a lookup searches a handful of tokens, not 200,000. Each range is found by binary search
  // the first time its two bytes are asked about, so a short text (a run's small result) costs a few searches, not a
  // pass over the whole table.
  const from = new Int32Array(65536).fill(-1);
  const to = new Int32Array(65536);
  const single = new Int32Array(256).fill(-2);
  /** The first two bytes of token i as one number; a one-byte token sorts before every longer one it starts. */
  const prefix = (i: number): number => {
    const at = offsets[i] as number;
    const first = (bytes[at] as number) << 8;
    return (offsets[i + 1] as number) - at >= 2 ? first | (bytes[at + 1] as number) : first - 0.5;
  };
  /** The first token whose prefix is at least `key`. */
  const lowerBound = (key: number): number => {
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (prefix(mid) < key) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  const rangeOf = (key: number): void => {
    from[key] = lowerBound(key);
    to[key] = lowerBound(key + 1);
  };
  const singleRank = (byte: number): number => {
    let rank = single[byte] as number;
    if (rank === -2) {
      const at = lowerBound((byte << 8) - 0.5);
      const found = at < count && prefix(at) === (byte << 8) - 0.5;
      rank = found ? (ranks[at] as number) : -1;
      single[byte] = rank;
    }
    return rank;
  };
  return {
    pattern,
    table: {
      rank(query, start, end) {
        if (end - start < 2) {
          const rank = end - start === 1 ? singleRank(query[start] as number) : -1;
          return rank >= 0 ? rank : undefined;
        }
        const key = ((query[start] as number) << 8) | (query[start + 1] as number);
        if ((from[key] as number) < 0) rangeOf(key);
        let low = from[key] as number;
        let high = (to[key] as number) - 1;
        while (low <= high) {
          const mid = (low + high) >>> 1;
          const order = compare(bytes, offsets[mid] as number, offsets[mid + 1] as number, query, start, end);
          if (order === 0) return ranks[mid];
          if (order < 0) low = mid + 1;
          else high = mid - 1;
        }
        return undefined;
      },
    },
  };
}

/** Buffer.compare of a[aStart, aEnd) with b[bStart, bEnd), without making views. */
function compare(a: Buffer, aStart: number, aEnd: number, b: Buffer, bStart: number, bEnd: number): number {
  const length = Math.min(aEnd - aStart, bEnd - bStart);
  for (let i = 0; i < length; i++) {
    const diff = (a[aStart + i] as number) - (b[bStart + i] as number);
    if (diff !== 0) return diff;
  }
  return aEnd - aStart - (bEnd - bStart);
}
