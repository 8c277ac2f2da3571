/**
 * Token counts in the o200k_base encoding (GPT-4o and later), from js-tiktoken's own rank table and split pattern.
 * js-tiktoken's `Tiktoken` constructor takes 0.7-0.9 s on our machines (it decodes all 200,000 ranks to byte arrays
 * and joins them into string keys) and its encoder re-joins bytes for every lookup; a run log cannot pay that. This
 * counter merges byte pairs with tiktoken's rule (lowest rank first, leftmost on a tie) over either of two tables of
 * the same ranks: a map keyed by base64 text, built from js-tiktoken's module in ~0.1-0.3 s (in slices that yield to
 * the event loop, so a run in flight keeps its bridge moving), or a sorted binary table (tokenTable.ts) read from the
 * cache in a few milliseconds. Its counts equal `new Tiktoken(o200k_base).encode(text, [], []).length` — a unit test
 * checks both tables on a corpus — except in a piece of over 4 KB (pieces are words, numbers of up to three digits,
 * runs of marks or of spaces: such a piece is a long run of letters, marks or spaces), merged in 4 KB parts: each part
 * boundary may change its count by a few tokens (0-2 in the tests' pieces of 4.2-4.5 KB). Special tokens
 * (`<|endoftext|>`) count as ordinary text. Nothing is loaded until a count is needed: CLI start-up never pays for it.
 */

import { isAscii, O200K_PATTERN, PIECES_PER_CHECK, splitAscii } from "./asciiSplit.js";

/** Ranks of byte sequences: the rank of bytes[start, end), or undefined when the sequence is not a token. */
export interface RankTable {
  rank(bytes: Buffer, start: number, end: number): number | undefined;
}

export interface TokenCounter {
  count(text: string): number;
  /**
   * Counts `text` from `from` (0, or a `next` this returned) until `stop` says so (asked every few hundred pieces), so
   * a long text can be counted in slices between other work: `next` is where it stopped, the text's length when it
   * counted to the end. The slices' tokens add up to count(text).
   */
  countFrom(text: string, from: number, stop: () => boolean): { tokens: number; next: number };
}

/** js-tiktoken's rank module: `bpe_ranks` is "<prefix> <first rank> <base64 token> <base64 token> ...". */
export interface TiktokenRanks {
  pat_str: string;
  bpe_ranks: string;
}

/**
 * Pieces longer than this are merged in parts of this many bytes: the merge holds ~36 bytes of arrays per byte and
 * cannot stop for the event loop within a piece, so one 1 MB run of letters would take ~36 MB and block for ~0.4 s.
 * The price: a part boundary splits what the whole piece would have merged across it (a few tokens per boundary).
 */
const MAX_PIECE_BYTES = 4096;
/** Pieces remembered with their counts (at most this many, of at most this many characters each). */
const KNOWN_PIECES = 50_000;
const KNOWN_PIECE_CHARS = 64;
/** Ranks added to the map before yielding to the event loop. */
const SLICE = 25_000;

/** Texts stopped before their end that keepStopped keeps at most; the oldest goes first (one nothing resumes). */
const STOPPED_TEXTS = 8;

/** Keeps `value` for a text stopped before its end, as its newest entry, among at most STOPPED_TEXTS of them. */
function keepStopped<T>(map: Map<string, T>, text: string, value: T): void {
  map.delete(text);
  map.set(text, value);
  if (map.size > STOPPED_TEXTS) map.delete(map.keys().next().value as string);
}

let loading: Promise<TokenCounter> | undefined;

/** The shared counter from js-tiktoken's module; the first call starts loading it, later calls share it. */
export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= loadTiktokenRanks()
    .then(async (ranks) => createCounter(await mapTable(ranks), ranks.pat_str))
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

export async function loadTiktokenRanks(): Promise<TiktokenRanks> {
  const module = (await import("js-tiktoken/ranks/o200k_base")) as { default: TiktokenRanks };
  return module.default;
}

/** Every token of the rank module with its rank, in rank order (base64 text as js-tiktoken writes it). */
export function* rankEntries(ranks: TiktokenRanks): Generator<[string, number]> {
  for (const line of ranks.bpe_ranks.split("\n")) {
    if (!line) continue;
    const parts = line.split(" ");
    let rank = Number.parseInt(parts[1] ?? "0", 10);
    for (let i = 2; i < parts.length; i++) yield [parts[i] as string, rank++];
  }
}

async function mapTable(ranks: TiktokenRanks): Promise<RankTable> {
  const map = new Map<string, number>();
  let added = 0;
  for (const [token, rank] of rankEntries(ranks)) {
    map.set(token, rank);
    if (++added % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return { rank: (bytes, start, end) => map.get(bytes.toString("base64", start, end)) };
}

export function createCounter(table: RankTable, pattern: string): TokenCounter {
  // The pattern (Unicode property classes) costs milliseconds to compile: only text that is not all ASCII needs it.
  let split: RegExp | undefined;
  // Tool results repeat their pieces (keys, words, paths' parts): each distinct piece is merged once.
  const known = new Map<string, number>();
  const countPiece = (text: string): number => {
    const piece = Buffer.from(text, "utf8");
    if (table.rank(piece, 0, piece.length) !== undefined) return 1;
    let total = 0;
    for (let at = 0; at < piece.length; at += MAX_PIECE_BYTES)
      total += mergeCount(piece.subarray(at, at + MAX_PIECE_BYTES), table);
    return total;
  };
  const counted = (piece: string): number => {
    if (piece.length > KNOWN_PIECE_CHARS) return countPiece(piece);
    let tokens = known.get(piece);
    if (tokens === undefined) {
      tokens = countPiece(piece);
      if (known.size >= KNOWN_PIECES) known.clear();
      known.set(piece, tokens);
    }
    return tokens;
  };
  const scanner = pattern === O200K_PATTERN;
  // Whether each text stopped before its end is all ASCII, kept for its next slice (the test reads all of it); a few
  // at once: several results are counted in turns.
  const asciiOf = new Map<string, boolean>();
  const stoppedAt = (text: string, ascii: boolean, tokens: number, next: number): { tokens: number; next: number } => {
    keepStopped(asciiOf, text, ascii);
    return { tokens, next };
  };
  const countFrom = (text: string, from: number, stop?: () => boolean): { tokens: number; next: number } => {
    if (from >= text.length) return { tokens: 0, next: text.length };
    let total = 0;
    const known = from > 0 && asciiOf.size > 0 ? asciiOf.get(text) : undefined;
    if (known !== undefined) asciiOf.delete(text);
    const ascii = known ?? isAscii(text);
    if (scanner && ascii) {
      const next = splitAscii(
        text,
        // Every byte is a token.
        (start, end) => {
          total += end - start === 1 ? 1 : counted(text.slice(start, end));
        },
        from,
        stop,
      );
      return next === text.length ? { tokens: total, next } : stoppedAt(text, ascii, total, next);
    }
    split ??= new RegExp(pattern, "gu");
    // The pattern matches from any piece's end as it did in one pass (it looks ahead, never behind).
    split.lastIndex = from;
    for (let pieces = 1; ; pieces++) {
      const at = split.lastIndex;
      if (stop !== undefined && pieces % PIECES_PER_CHECK === 0 && stop()) return stoppedAt(text, ascii, total, at);
      const match = split.exec(text);
      if (match === null) break;
      total += counted(match[0]);
    }
    return { tokens: total, next: text.length };
  };
  return {
    count: (text) => countFrom(text, 0).tokens,
    countFrom,
  };
}

/**
 * Byte-pair merging as tiktoken does it: repeatedly merge the adjacent pair whose joined bytes have the lowest rank
 * (the leftmost on a tie) until no joined pair is in the vocabulary; the parts left are the tokens.
 *
 * tiktoken finds each merge by scanning every pair, O(n^2) in the piece's bytes; here the pairs wait in a heap ordered
 * by rank, then by where they start (the leftmost on a tie, as the scan finds it), O(n log n). A part is named by its
 * first byte; an entry whose part is gone, or whose pair has been re-ranked since, is dropped when it comes up. A
 * part's pair only ever grows (it or its right neighbour took in a neighbour), and a longer byte string is another
 * token with another rank, so an entry whose rank still is its part's pair rank is current. A result of one long run
 * of a letter (a padding run, a program's "x" * n) is counted ~6x faster than by the scan: 100 KB of it in ~40 ms
 * instead of ~260 ms; short pieces cost the same.
 */
function mergeCount(piece: Buffer, table: RankTable): number {
  if (piece.length <= 1) return piece.length;
  if (table.rank(piece, 0, piece.length) !== undefined) return 1;
  const n = piece.length;
  // next[i]: where the part after the one at i starts (n: none); prev[i]: where the one before starts (-1: none).
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  // pairRank[i]: the rank of the part at i joined with the next one (-1: not a token, or no next part, or merged).
  const pairRank = new Int32Array(n);
  // Entries as rank * (n + 1) + start: exact in a double for any rank a table holds.
  const heap = new Float64Array(3 * n);
  let size = 0;
  const push = (key: number): void => {
    let at = size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((heap[parent] as number) <= key) break;
      heap[at] = heap[parent] as number;
      at = parent;
    }
    heap[at] = key;
  };
  const pop = (): number => {
    const top = heap[0] as number;
    const last = heap[--size] as number;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && (heap[child + 1] as number) < (heap[child] as number)) child++;
      if ((heap[child] as number) >= last) break;
      heap[at] = heap[child] as number;
      at = child;
    }
    heap[at] = last;
    return top;
  };
  const rerank = (start: number): void => {
    // The pair ends where the next part does.
    const following = next[start] as number;
    const rank = following < n ? table.rank(piece, start, next[following] as number) : undefined;
    pairRank[start] = rank ?? -1;
    if (rank !== undefined) push(rank * (n + 1) + start);
  };
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  for (let i = 0; i < n; i++) rerank(i);
  let parts = n;
  while (size > 0) {
    const key = pop();
    const start = key % (n + 1);
    const rank = (key - start) / (n + 1);
    if (pairRank[start] !== rank) continue;
    // The part at `start` takes in the next one.
    const gone = next[start] as number;
    const after = next[gone] as number;
    next[start] = after;
    if (after < n) prev[after] = start;
    pairRank[gone] = -1;
    parts--;
    rerank(start);
    const before = prev[start] as number;
    if (before >= 0) rerank(before);
  }
  return parts;
}
