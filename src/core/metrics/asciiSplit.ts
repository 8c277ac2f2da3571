/**
 * o200k_base's split pattern for text that is all ASCII, as a regular expression over ASCII classes. V8 runs the
 * pattern itself (nine alternatives over Unicode property classes) at 1-5 MB/s, and a run log counts every tool result
 * a program received. Tool results are JSON, nearly always ASCII: for them the pattern's classes are plain ranges, and
 * V8 compiles a regular expression over ranges to machine code from its first uses, where JavaScript code is
 * interpreted until it has run long enough to be optimized. A CLI process counts its results while still cold: a run's
 * 360 KB of results take ~13 ms to count this way, ~30 ms with a scanner written in JavaScript. Text with any other
 * character goes through the pattern itself. A unit test checks both agree, piece for piece, on a corpus and on random
 * ASCII.
 *
 * For ASCII the pattern's classes are: \p{L} letters A-Z and a-z (\p{Lu}: A-Z, \p{Ll}: a-z; \p{Lt} \p{Lm} \p{Lo}
 * \p{M} none), \p{N} digits 0-9, \s whitespace (\t \n \v \f \r and space). Its alternatives, tried in order:
 *   1. an optional prefix (neither letter, digit, \r nor \n), upper*, lower+, an optional contraction ('s 're ...)
 *   2. an optional prefix, upper+, lower*, an optional contraction
 *   3. one to three digits
 *   4. an optional space, other+, then [\r\n/]*
 *   5. whitespace* then [\r\n]+   6. whitespace+ not followed by a non-space   7. whitespace+
 */

/** The pattern this stands for (js-tiktoken's `o200k_base.pat_str`). */
export const O200K_PATTERN =
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** The contractions, as the pattern lists them (no two start alike, so their order does not matter). */
const CONTRACTION = "(?:'[sStTmMdD]|'[rR][eE]|'[vV][eE]|'[lL][lL])?";

/**
 * One piece at `lastIndex` (sticky) of an all-ASCII text, as O200K_PATTERN finds it there. Every position starts a
 * piece (alternatives 4 and 7 take any character the others do not), so a test at a piece's end always matches, and
 * the pattern finds the same pieces after any piece's end as in one pass (it looks ahead, never behind).
 */
const ASCII_PIECE = new RegExp(
  `[^\\r\\nA-Za-z0-9]?[A-Z]*[a-z]+${CONTRACTION}|[^\\r\\nA-Za-z0-9]?[A-Z]+[a-z]*${CONTRACTION}|[0-9]{1,3}| ?[^\\sA-Za-z0-9]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+`,
  "y",
);

/** Any UTF-16 code unit above ASCII (surrogates included). */
const NON_ASCII = /[\u0080-\uffff]/;

export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** Pieces split between two questions to `stop`. */
export const PIECES_PER_CHECK = 256;

/**
 * Calls `piece(start, end)` for each piece of `text` (all ASCII) in order, as the pattern splits it, from `offset` (0,
 * or a position this returned). `stop` is asked every few hundred pieces; when it says yes, splitting ends before the
 * next piece. Returns where it ended: the start of the next piece, or the text's length.
 */
export function splitAscii(
  text: string,
  piece: (start: number, end: number) => void,
  offset = 0,
  stop?: () => boolean,
): number {
  const length = text.length;
  let at = offset;
  for (let pieces = 1; at < length; pieces++) {
    if (stop !== undefined && pieces % PIECES_PER_CHECK === 0 && stop()) return at;
    ASCII_PIECE.lastIndex = at;
    ASCII_PIECE.test(text);
    const end = ASCII_PIECE.lastIndex;
    if (end <= at) throw new Error(`the ASCII split found no piece at ${at}`);
    piece(at, end);
    at = end;
  }
  return length;
}
