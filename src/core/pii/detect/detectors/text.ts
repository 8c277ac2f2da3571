/** Character tests and boundary guards shared by the detectors. */

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAlnumCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Cheap facts about a string, computed in one pass, that decide which detectors run at all. */
export interface TextFeatures {
  length: number;
  digits: number;
  at: boolean;
  plus: boolean;
  equals: boolean;
  colons: number;
  doubleColon: boolean;
  dots: number;
  /** Most digits in one run of digits joined by at most two separators in a row (space . - ( ) / +). */
  maxRun: number;
  /** Two upper-case letters followed by two digits somewhere (how an IBAN starts). */
  ibanStart: boolean;
  /** A lower-case letter outside a-f (hex strings, UUIDs and hashes have none). */
  lowerNonHex: boolean;
  /** Longest run of upper-case letters (AKIA..., BEGIN). */
  upperRun: number;
  /** Longest run of letters (words such as "password"). */
  letterRun: number;
}

const features: TextFeatures = {
  length: 0,
  digits: 0,
  at: false,
  plus: false,
  equals: false,
  colons: 0,
  doubleColon: false,
  dots: 0,
  maxRun: 0,
  ibanStart: false,
  lowerNonHex: false,
  upperRun: 0,
  letterRun: 0,
};

/** How many times the shared object has been filled: see featuresStamp. */
let filled = 0;

/**
 * Changes with every textFeatures call. A caller that keeps the object textFeatures returned, and notes the stamp
 * right after, knows the object still holds those features as long as the stamp has not changed.
 */
export function featuresStamp(): number {
  return filled;
}

/**
 * Fills and returns one shared object (the scan is synchronous; callers use it before the next call). Works on a
 * range of `text`, so the JSON reader can decide about a string literal without cutting it out first.
 */
export function textFeatures(text: string, from = 0, to = text.length): TextFeatures {
  filled++;
  let digits = 0;
  let at = false;
  let plus = false;
  let equals = false;
  let colons = 0;
  let doubleColon = false;
  let dots = 0;
  let run = 0;
  let maxRun = 0;
  let seps = 0;
  let uppers = 0;
  let upperRun = 0;
  let letters = 0;
  let letterRun = 0;
  let lowerNonHex = false;
  let ibanDigits = 0;
  let ibanStart = false;
  let prev = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      run++;
      seps = 0;
      if (run > maxRun) maxRun = run;
      if (uppers >= 2 || ibanDigits === 1) {
        ibanDigits++;
        if (ibanDigits === 2) ibanStart = true;
      }
      uppers = 0;
      letters = 0;
      prev = c;
      continue;
    }
    ibanDigits = 0;
    if (c >= 97 && c <= 122) {
      if (c > 102) lowerNonHex = true;
      uppers = 0;
      run = 0;
      if (++letters > letterRun) letterRun = letters;
      prev = c;
      continue;
    }
    if (c >= 65 && c <= 90) {
      if (++uppers > upperRun) upperRun = uppers;
      if (++letters > letterRun) letterRun = letters;
      run = 0;
      prev = c;
      continue;
    }
    uppers = 0;
    letters = 0;
    if (c === 32 || c === 45 || c === 46 || c === 40 || c === 41 || c === 47 || c === 43) {
      if (++seps > 2) run = 0;
      if (c === 46) dots++;
      else if (c === 43) plus = true;
      prev = c;
      continue;
    }
    run = 0;
    seps = 0;
    if (c === 64) at = true;
    else if (c === 58) {
      colons++;
      if (prev === 58) doubleColon = true;
    } else if (c === 61) equals = true;
    prev = c;
  }
  features.length = to - from;
  features.digits = digits;
  features.at = at;
  features.plus = plus;
  features.equals = equals;
  features.colons = colons;
  features.doubleColon = doubleColon;
  features.dots = dots;
  features.maxRun = maxRun;
  features.ibanStart = ibanStart;
  features.lowerNonHex = lowerNonHex;
  features.upperRun = upperRun;
  features.letterRun = letterRun;
  return features;
}

/** Prefixed secrets need a letter outside hex or an upper-case run (AKIA, BEGIN); assignments need a word and : or =. */
export function secretPossible(f: TextFeatures): { prefixed: boolean; assignment: boolean } {
  const long = f.length >= 16;
  return {
    prefixed: long && (f.lowerNonHex || f.upperRun >= 4),
    assignment: long && f.letterRun >= 3 && (f.colons > 0 || f.equals),
  };
}

/** The number-ish thing does not continue to the left: no letter, digit, or a joining '.', '-', '/', '+'. */
export function cleanLeft(text: string, start: number): boolean {
  if (start === 0) return true;
  const c = text.charCodeAt(start - 1);
  return !isAlnumCode(c) && c !== 46 && c !== 45 && c !== 47 && c !== 43;
}

/** The number-ish thing does not continue to the right: no letter or digit, and no '.5', '-5', ':30', '/2'. */
export function cleanRight(text: string, end: number): boolean {
  if (end >= text.length) return true;
  const c = text.charCodeAt(end);
  if (isAlnumCode(c)) return false;
  if (c === 46 || c === 45 || c === 58 || c === 47) {
    const next = text.charCodeAt(end + 1);
    return !isDigitCode(next);
  }
  return true;
}

export function digitsOf(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) out += text[i];
  }
  return out;
}

/** A token this layer hands out, e.g. `[EMAIL_1]`: never detected again. */
export const TOKEN_SHAPE = /^\[[A-Z][A-Z0-9_]*_\d+\]$/;

/** A digit group that continues a longer run to the left ("4111 |0519 0327") or right: part of something else. */
export function continuesDigitRun(text: string, start: number, end: number): boolean {
  const sep = (c: number) => c === 32 || c === 45 || c === 46;
  if (start >= 2 && sep(text.charCodeAt(start - 1)) && isDigitCode(text.charCodeAt(start - 2))) return true;
  return end + 1 < text.length && sep(text.charCodeAt(end)) && isDigitCode(text.charCodeAt(end + 1));
}
