/**
 * Token counts in the o200k_base encoding (GPT-4o and later), from js-tiktoken's own rank table and split pattern.
 * js-tiktoken's `Tiktoken` constructor takes 0.7-0.9 s on our machines (it decodes all 200,000 ranks to byte arrays
 * and joins them into string keys) and its encoder re-joins bytes for every lookup; a run log cannot pay that. This
 * counter keys the same ranks by their base64 text (built in ~0.1 s, in slices that yield to the event loop, so a run
 * in flight keeps its bridge moving) and merges byte pairs with the same rule (lowest rank first, leftmost on a tie),
 * so its counts equal `new Tiktoken(o200k_base).encode(text, [], []).length` — a unit test checks that on a corpus.
 * Special tokens (`<|endoftext|>`) count as ordinary text. The table is loaded on first use only: CLI start-up never
 * pays for it.
 */

interface Ranks {
  pat_str: string;
  bpe_ranks: string;
}

export interface TokenCounter {
  count(text: string): number;
}

/** Pieces longer than this are merged in slices (bounds the quadratic merge on pathological input). */
const MAX_PIECE_BYTES = 4096;
/** Ranks added to the map before yielding to the event loop. */
const SLICE = 25_000;

let loading: Promise<TokenCounter> | undefined;

/** The shared counter; the first call starts loading the table, later calls get the same promise. */
export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= build().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function build(): Promise<TokenCounter> {
  const module = (await import("js-tiktoken/ranks/o200k_base")) as { default: Ranks };
  const ranks = module.default;
  const map = new Map<string, number>();
  const lines = ranks.bpe_ranks.split("\n");
  let added = 0;
  for (const line of lines) {
    if (!line) continue;
    const parts = line.split(" ");
    let rank = Number.parseInt(parts[1] ?? "0", 10);
    for (let i = 2; i < parts.length; i++) {
      map.set(parts[i] as string, rank++);
      if (++added % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return createCounter(map, ranks.pat_str);
}

function createCounter(ranks: Map<string, number>, pattern: string): TokenCounter {
  const split = new RegExp(pattern, "gu");
  return {
    count(text: string): number {
      if (text === "") return 0;
      let total = 0;
      split.lastIndex = 0;
      for (let match = split.exec(text); match !== null; match = split.exec(text)) {
        const piece = Buffer.from(match[0], "utf8");
        if (ranks.has(piece.toString("base64"))) total += 1;
        else
          for (let at = 0; at < piece.length; at += MAX_PIECE_BYTES)
            total += mergeCount(piece.subarray(at, at + MAX_PIECE_BYTES), ranks);
      }
      return total;
    },
  };
}

const rankOf = (bytes: Buffer, start: number, end: number, ranks: Map<string, number>): number =>
  ranks.get(bytes.toString("base64", start, end)) ?? Number.POSITIVE_INFINITY;

/**
 * Byte-pair merging as tiktoken does it: repeatedly merge the adjacent pair whose joined bytes have the lowest rank
 * (the leftmost on a tie) until no joined pair is in the vocabulary; the parts left are the tokens.
 */
function mergeCount(piece: Buffer, ranks: Map<string, number>): number {
  if (piece.length <= 1) return piece.length;
  if (ranks.has(piece.toString("base64"))) return 1;
  // bounds[i] is where part i starts; pair[i] is the rank of part i joined with part i+1.
  const bounds: number[] = [];
  for (let i = 0; i <= piece.length; i++) bounds.push(i);
  const pair: number[] = [];
  for (let i = 0; i < piece.length - 1; i++) pair.push(rankOf(piece, i, i + 2, ranks));
  while (pair.length > 0) {
    let best = Number.POSITIVE_INFINITY;
    let at = -1;
    for (let i = 0; i < pair.length; i++) {
      const rank = pair[i] as number;
      if (rank < best) {
        best = rank;
        at = i;
      }
    }
    if (at < 0) break;
    bounds.splice(at + 1, 1);
    pair.splice(at, 1);
    const start = bounds[at] as number;
    if (at < pair.length) pair[at] = rankOf(piece, start, bounds[at + 2] as number, ranks);
    if (at > 0) pair[at - 1] = rankOf(piece, bounds[at - 1] as number, bounds[at + 1] as number, ranks);
  }
  return bounds.length - 1;
}
