/** The scalars of parseYamlSubset: which characters it leaves to the package, plain and quoted scalar values. */

/** Thrown (and caught by parseYamlSubset) when the text leaves the subset. */
export class OutsideSubset extends Error {}

export const outsideSubset = (): never => {
  throw new OutsideSubset();
};

/** Tabs, carriage returns, a BOM, control and special characters: the package's rules for them are not repeated. */
export function hasUnusualCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 ? code !== 0x0a : code >= 0x7f && (code <= 0x9f || isSpecial(code))) return true;
  }
  return false;
}

/** Line and paragraph separators, surrogates (characters beyond the BMP), the BOM and the few forms after it. */
function isSpecial(code: number): boolean {
  return code === 0x2028 || code === 0x2029 || (code >= 0xd800 && code <= 0xdfff) || code >= 0xfeff;
}

/** The YAML 1.2 core schema's plain scalars, in the package's order and with its own conversions. */
export function resolvePlain(source: string): unknown {
  // most scalars start with a character no null, boolean or number starts with: a string, without nine regexes
  if (source !== "" && !/^[~nNtTfF0-9+\-.]/.test(source)) return source;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(source)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(source)) return source[0] === "t" || source[0] === "T";
  if (/^0o[0-7]+$/.test(source)) return Number.parseInt(source.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(source)) return Number.parseInt(source, 10);
  if (/^0x[0-9a-fA-F]+$/.test(source)) return Number.parseInt(source.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(source)) {
    if (source.slice(-3).toLowerCase() === "nan") return Number.NaN;
    return source[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(source)) return Number.parseFloat(source);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(source)) return Number.parseFloat(source);
  return source;
}

const ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  e: "\x1b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
};

/** A quoted scalar that closes on its line: its value and the offset after the closing quote. */
export function readQuoted(text: string, start: number, lineEnd: number): { value: string; end: number } {
  const quote = text[start];
  let value = "";
  let at = start + 1;
  for (;;) {
    if (at >= lineEnd) return outsideSubset();
    const char = text[at]!;
    if (char === quote) {
      if (quote === "'" && text[at + 1] === "'") {
        value += "'";
        at += 2;
        continue;
      }
      return { value, end: at + 1 };
    }
    if (char === "\\" && quote === '"') {
      const next = text[at + 1];
      if (next === undefined || at + 1 >= lineEnd) return outsideSubset();
      const known = ESCAPES[next];
      if (known !== undefined) {
        value += known;
        at += 2;
        continue;
      }
      const length = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
      const hex = text.substr(at + 2, length);
      if (length === 0 || hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) return outsideSubset();
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff) return outsideSubset();
      value += String.fromCodePoint(code);
      at += 2 + length;
      continue;
    }
    value += char;
    at++;
  }
}
