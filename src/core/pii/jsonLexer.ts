/**
 * A position-keeping JSON reader. It does not build values: it reports every string literal (keys and values) and
 * every number literal with its offsets in the raw text, the JSON pointer segments and the field name around it.
 * That gives `skills pii scan` line:col for JSON files, and lets the bridge replace values inside a server's JSON
 * text without re-serialising it (formatting stays as the server wrote it).
 */
import { isFieldIgnored } from "./walk.js";
import type { PiiPolicy } from "./types.js";

export interface JsonLiteral {
  /** Offset of the opening quote (strings) or first char (numbers). */
  start: number;
  /** Offset after the closing quote / last char. */
  end: number;
  /** Decoded string, or the number's text. */
  value: string;
  kind: "string" | "key" | "number";
  /** Whether the raw string literal has escapes (decoded offsets differ from raw offsets). */
  escaped: boolean;
  /** Nearest enclosing field name (for array items: the array's field). */
  field: string | undefined;
  segments: readonly string[];
}

export class JsonSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "JsonSyntaxError";
    this.offset = offset;
  }
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Reads the whole text; calls `visit` for each literal outside ignored fields. Throws JsonSyntaxError. */
export function lexJson(text: string, policy: PiiPolicy, visit: (literal: JsonLiteral) => void): void {
  const segs: string[] = [];
  let i = 0;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${i}`, i);
  };
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else return;
    }
  };
  const readString = (): { value: string; escaped: boolean; start: number } => {
    const start = i;
    let j = i + 1;
    let escaped = false;
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0) fail("unterminated string");
      let backslashes = 0;
      for (let k = q - 1; k > start && text.charCodeAt(k) === 92; k--) backslashes++;
      if (backslashes > 0) escaped = true;
      if (backslashes % 2 === 0) {
        i = q + 1;
        break;
      }
      j = q + 1;
    }
    if (!escaped && text.slice(start + 1, i - 1).includes("\\")) escaped = true;
    let value: string;
    if (escaped) {
      try {
        value = JSON.parse(text.slice(start, i)) as string;
      } catch {
        i = start;
        return fail("invalid string escape");
      }
    } else value = text.slice(start + 1, i - 1);
    return { value, escaped, start };
  };

  const readValue = (field: string | undefined, active: boolean): void => {
    ws();
    const c = text.charCodeAt(i);
    if (c === 34) {
      const s = readString();
      if (active) visit({ ...s, end: i, kind: "string", field, segments: segs });
    } else if (c === 123) {
      i++;
      ws();
      if (text.charCodeAt(i) === 125) {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text.charCodeAt(i) !== 34) fail("expected a property name");
        const key = readString();
        segs.push(key.value);
        const keyActive = active && !isFieldIgnored(policy, key.value, segs);
        if (keyActive) visit({ ...key, end: i, kind: "key", field: undefined, segments: segs });
        ws();
        if (text.charCodeAt(i) !== 58) fail("expected ':'");
        i++;
        readValue(key.value, keyActive);
        segs.pop();
        ws();
        const next = text.charCodeAt(i);
        i++;
        if (next === 44) continue;
        if (next === 125) return;
        i--;
        fail("expected ',' or '}'");
      }
    } else if (c === 91) {
      i++;
      ws();
      if (text.charCodeAt(i) === 93) {
        i++;
        return;
      }
      for (let index = 0; ; index++) {
        segs.push(String(index));
        readValue(field, active);
        segs.pop();
        ws();
        const next = text.charCodeAt(i);
        i++;
        if (next === 44) continue;
        if (next === 93) return;
        i--;
        fail("expected ',' or ']'");
      }
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      NUMBER_RE.lastIndex = i;
      const m = NUMBER_RE.exec(text) ?? fail("invalid number");
      const start = i;
      i += m[0].length;
      if (active) visit({ start, end: i, value: m[0], kind: "number", escaped: false, field, segments: segs });
    } else if (text.startsWith("true", i)) i += 4;
    else if (text.startsWith("false", i)) i += 5;
    else if (text.startsWith("null", i)) i += 4;
    else fail(i >= text.length ? "unexpected end of JSON" : "unexpected character");
  };

  try {
    readValue(undefined, true);
  } catch (error) {
    if (error instanceof RangeError) throw new JsonSyntaxError("JSON nested too deeply", i);
    throw error;
  }
  ws();
  if (i < text.length) fail("unexpected text after the JSON value");
}

/** Offset in a raw string literal (quote included) of the decoded string's index `index`. */
export function rawOffset(raw: string, index: number): number {
  let decoded = 0;
  let r = 1;
  while (r < raw.length - 1 && decoded < index) {
    if (raw.charCodeAt(r) === 92) r += raw[r + 1] === "u" ? 6 : 2;
    else r++;
    decoded++;
  }
  return r;
}
