/** Character tests and boundary guards shared by the detectors. */

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAlnumCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Cheap facts about a string, computed in one pass, that decide which detectors run at all. */
export interface TextFeatures {
  digits: number;
  at: boolean;
  colons: number;
  dots: number;
}

export function textFeatures(text: string): TextFeatures {
  let digits = 0;
  let at = false;
  let colons = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 64) at = true;
    else if (c === 58) colons++;
    else if (c === 46) dots++;
  }
  return { digits, at, colons, dots };
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
