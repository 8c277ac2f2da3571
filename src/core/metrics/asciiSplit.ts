/**
 * o200k_base's split pattern, for text that is all ASCII, without the regular expression: V8 runs that pattern (nine
 * alternatives over Unicode property classes) at 1-5 MB/s, and a run log counts every tool result a program received.
 * Tool results are JSON, nearly always ASCII: this scanner finds the same pieces at several times the speed. Text with
 * any other character goes through the pattern itself. A unit test checks both agree, piece for piece, on a corpus
 * and on random ASCII.
 *
 * For ASCII the pattern's classes are: letters A-Z (upper) and a-z (lower), digits, whitespace (\t \n \v \f \r and
 * space) and everything else ("other"). Its alternatives, tried in order at each position:
 *   1. an optional prefix (neither letter, digit, \r nor \n), upper*, lower+, an optional contraction ('s 're ...)
 *   2. an optional prefix, upper+, lower*, an optional contraction
 *   3. one to three digits
 *   4. an optional space, other+, then [\r\n/]*
 *   5. whitespace* then [\r\n]+   6. whitespace+ not followed by a non-space   7. whitespace+
 */

/** The pattern this scanner stands for (js-tiktoken's `o200k_base.pat_str`). */
export const O200K_PATTERN =
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const UPPER = 1;
const LOWER = 2;
const DIGIT = 3;
const SPACE = 4;
const OTHER = 5;

const KIND = new Uint8Array(128).fill(OTHER);
for (let c = 65; c <= 90; c++) KIND[c] = UPPER;
for (let c = 97; c <= 122; c++) KIND[c] = LOWER;
for (let c = 48; c <= 57; c++) KIND[c] = DIGIT;
for (const c of [9, 10, 11, 12, 13, 32]) KIND[c] = SPACE;

const CR = 13;
const LF = 10;

/** Any UTF-16 code unit above ASCII (surrogates included). */
const NON_ASCII = /[\u0080-\uffff]/;

export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** The class of each character of the text being split (reused; grown as needed), with three zeros after it. */
let kinds = new Uint8Array(4096);
/**
 * The classes of the texts whose split stopped before their end, from `from` on, each kept until it is split to its
 * end. Several at once: run logs count several results in turns (one per run going on), and a text classified again
 * at each of its slices costs its whole rest each time, more than a slice's budget for a text of a few MB.
 */
const stopped = new Map<string, { kinds: Uint8Array; from: number }>();
/** Texts kept at most; the oldest goes first (one that nothing resumes). */
const STOPPED_TEXTS = 8;

/** Keeps `value` for a text stopped before its end, as its newest entry, among at most STOPPED_TEXTS of them. */
export function keepStopped<T>(map: Map<string, T>, text: string, value: T): void {
  map.delete(text);
  map.set(text, value);
  if (map.size > STOPPED_TEXTS) map.delete(map.keys().next().value as string);
}

/** The end of an optional contraction at `at` ('s 't 'm 'd, 're 've 'll in any case), else `at`. */
function contraction(text: string, at: number): number {
  if (text.charCodeAt(at) !== 39) return at;
  const a = text.charCodeAt(at + 1) | 32;
  if (a === 115 || a === 116 || a === 109 || a === 100) return at + 2;
  const b = text.charCodeAt(at + 2) | 32;
  if ((a === 114 && b === 101) || (a === 118 && b === 101) || (a === 108 && b === 108)) return at + 3;
  return at;
}

/** Pieces split between two questions to `stop`. */
export const PIECES_PER_CHECK = 256;

/**
 * Calls `piece(start, end)` for each piece of `text` (all ASCII) in order, as the pattern splits it, from `offset` (0,
 * or a position this returned: the pattern finds the same pieces after any piece's end). `stop` is asked every few
 * hundred pieces; when it says yes, splitting ends before the next piece. Returns where it ended: the start of the
 * next piece, or the text's length.
 */
export function splitAscii(
  text: string,
  piece: (start: number, end: number) => void,
  offset = 0,
  stop?: () => boolean,
): number {
  const length = text.length;
  // The next slice of a text reads the classes its first one wrote: a text counted in many slices is classified once,
  // not once per slice, whatever else is split between them.
  const kept = offset > 0 && stopped.size > 0 ? stopped.get(text) : undefined;
  let kind: Uint8Array;
  if (kept !== undefined && offset >= kept.from) kind = kept.kinds;
  else {
    if (kinds.length < length + 3) kinds = new Uint8Array(Math.max(length + 3, kinds.length * 2));
    kind = kinds;
    for (let i = offset; i < length; i++) kind[i] = KIND[text.charCodeAt(i)] as number;
    kind[length] = 0;
    kind[length + 1] = 0;
    kind[length + 2] = 0;
  }
  let at = offset;
  let pieces = 0;
  while (at < length) {
    if (stop !== undefined && ++pieces % PIECES_PER_CHECK === 0 && stop()) {
      if (kept === undefined || kept.kinds !== kind) {
        // the shared array goes with the text; the next text gets a new one
        if (kind === kinds) kinds = new Uint8Array(4096);
        keepStopped(stopped, text, { kinds: kind, from: offset });
      }
      return at;
    }
    const first = kind[at] as number;
    const code = text.charCodeAt(at);
    // Alternatives 1 and 2 may start with one character that is neither a letter nor a digit nor \r or \n; without
    // it they cannot match at such a character either, so only one start is tried.
    const from = first === OTHER || (first === SPACE && code !== CR && code !== LF) ? at + 1 : at;
    let upper = from;
    while (kind[upper] === UPPER) upper++;
    let lower = upper;
    while (kind[lower] === LOWER) lower++;
    let end: number;
    if (lower > upper) end = contraction(text, lower); // 1: upper*, lower+
    else if (upper > from) end = contraction(text, upper); // 2: upper+ (no lower follows)
    else if (first === DIGIT) {
      end = at + 1; // 3: one to three digits
      while (end < at + 3 && kind[end] === DIGIT) end++;
    } else if (first === OTHER || (code === 32 && kind[at + 1] === OTHER)) {
      end = first === OTHER ? at + 1 : at + 2; // 4: a space, other+, then [\r\n/]*
      while (kind[end] === OTHER) end++;
      for (let c = text.charCodeAt(end); end < length && (c === CR || c === LF || c === 47); c = text.charCodeAt(end))
        end++;
    } else {
      // Whitespace: up to its last \r or \n (5), else all of it when it ends the text, else all but its last
      // character (6) when that leaves one, else all of it (7).
      let stop = at + 1;
      while (kind[stop] === SPACE) stop++;
      let newline = -1;
      for (let i = stop - 1; i >= at; i--) {
        const c = text.charCodeAt(i);
        if (c === CR || c === LF) {
          newline = i;
          break;
        }
      }
      if (newline >= 0) end = newline + 1;
      else if (stop === length || stop - 1 === at) end = stop;
      else end = stop - 1;
    }
    piece(at, end);
    at = end;
  }
  // Split to its end: nothing to resume, and a long text is not kept alive here until the next one.
  if (kept !== undefined) stopped.delete(text);
  return length;
}
