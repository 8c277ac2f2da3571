/** Fuzzy matching for typos: Damerau-Levenshtein distance (optimal string alignment) with an early cut-off. */

// Rows reused across calls: search runs this thousands of times per query, allocation would dominate.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours as 1; max + 1 when over max. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (rows[0]!.length <= n) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let previous2 = rows[0]!;
  let previous = rows[1]!;
  let current = rows[2]!;
  for (let j = 0; j <= n; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cost = ai === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, previous2[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    const spare = previous2;
    previous2 = previous;
    previous = current;
    current = spare;
  }
  const result = previous[n]!;
  return result > max ? max + 1 : result;
}

/** Letter counts of a word (a-z, 0-9, '_' and the rest), for a cheap lower bound of the edit distance. */
export function letterCounts(word: string): Uint8Array {
  const counts = new Uint8Array(38);
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const slot = c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? c - 22 : c === 95 ? 36 : 37;
    counts[slot] = Math.min(255, counts[slot]! + 1);
  }
  return counts;
}

/** A lower bound of editDistance from letter counts: a substitution changes two counts, an insertion one. */
export function distanceLowerBound(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return Math.ceil(sum / 2);
}

/** How many edits a word of this length may have and still count as a typo of another. */
export function typoBudget(length: number): number {
  if (length <= 3) return 0;
  if (length <= 5) return 1;
  return 2;
}
