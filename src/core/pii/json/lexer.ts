/**
 * A position-keeping JSON reader. It does not build values: it reports every string literal (keys and values) and
 * every number literal with its offsets in the raw text, the JSON pointer segments and the field name around it.
 * That gives `skills pii scan` line:col for JSON files, and lets the bridge replace values inside a server's JSON
 * text without re-serialising it (formatting stays as the server wrote it).
 */
import { SkillsError } from "../../../errors.js";
import type { PathSegment } from "./pointer.js";
import { isFieldIgnored } from "./walk.js";
import type { PiiPolicy } from "../types.js";

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
  segments: readonly PathSegment[];
}

export class JsonSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "JsonSyntaxError";
    this.offset = offset;
  }
}

/**
 * Says, from the raw range (no escapes) and the field name, that a string value or number cannot hold PII: the reader
 * then neither cuts it out nor visits it.
 */
export type LiteralFilter = (
  from: number,
  to: number,
  field: string | undefined,
  kind: "string" | "number" | "key",
) => boolean;

/**
 * Reads the whole text; calls `visit` for each literal outside ignored fields. Throws JsonSyntaxError.
 * For speed the same literal object is handed to every call, and `segments` is the live path stack: a visitor
 * that keeps either must copy it.
 */
export function lexJson(
  text: string,
  policy: PiiPolicy,
  visit: (literal: JsonLiteral) => void,
  skip?: LiteralFilter,
): void {
  const segs: PathSegment[] = [];
  // Arrays of objects repeat the same keys in the same order: the key seen at the same depth and position is
  // compared in place and reused, so no new string is cut, hashed and checked for each record.
  const keyCache: string[][] = [];
  const keyCacheClean: boolean[][] = [];
  let depth = 0;
  const lit: JsonLiteral = {
    start: 0,
    end: 0,
    value: "",
    kind: "string",
    escaped: false,
    field: undefined,
    segments: segs,
  };
  let i = 0;
  // Set by readString.
  let strValue = "";
  let strEscaped = false;
  let nextBackslash = 0;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${i}`, i);
  };
  const ws = () => {
    let c = text.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
  };
  /** Moves past a string literal, setting strEscaped, without decoding it. */
  const skipString = (): void => {
    const start = i;
    let j = i + 1;
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0) fail("unterminated string");
      let backslashes = 0;
      for (let k = q - 1; k > start && text.charCodeAt(k) === 92; k--) backslashes++;
      if (backslashes % 2 === 0) {
        i = q + 1;
        break;
      }
      j = q + 1;
    }
    if (nextBackslash !== -1 && nextBackslash <= start) nextBackslash = text.indexOf("\\", start + 1);
    strEscaped = nextBackslash !== -1 && nextBackslash < i;
  };
  /** Moves past a string literal and decodes it into strValue. */
  const readString = (): void => {
    const start = i;
    skipString();
    if (strEscaped) {
      try {
        strValue = JSON.parse(text.slice(start, i)) as string;
      } catch {
        i = start;
        fail("invalid string escape");
      }
    } else strValue = text.slice(start + 1, i - 1);
  };
  const digitsFrom = (): number => {
    const from = i;
    let c = text.charCodeAt(i);
    while (c >= 48 && c <= 57) c = text.charCodeAt(++i);
    return i - from;
  };
  /** JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
  const readNumber = (): void => {
    if (text.charCodeAt(i) === 45) i++;
    if (text.charCodeAt(i) === 48) i++;
    else if (digitsFrom() === 0) fail("invalid number");
    if (text.charCodeAt(i) === 46) {
      i++;
      if (digitsFrom() === 0) fail("invalid number");
    }
    const e = text.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      if (digitsFrom() === 0) fail("invalid number");
    }
  };
  const emit = (kind: JsonLiteral["kind"], start: number, field: string | undefined) => {
    lit.kind = kind;
    lit.start = start;
    lit.end = i;
    lit.value = strValue;
    lit.escaped = strEscaped;
    lit.field = field;
    visit(lit);
  };

  const readValue = (field: string | undefined, active: boolean): void => {
    ws();
    const c = text.charCodeAt(i);
    if (c === 34) {
      const start = i;
      if (active && skip) {
        skipString();
        if (!strEscaped && skip(start + 1, i - 1, field, "string")) return;
        i = start;
      }
      readString();
      if (active) emit("string", start, field);
    } else if (c === 123) {
      i++;
      ws();
      if (text.charCodeAt(i) === 125) {
        i++;
        return;
      }
      depth++;
      keyCache[depth] ??= [];
      keyCacheClean[depth] ??= [];
      const cached = keyCache[depth]!;
      const cachedClean = keyCacheClean[depth]!;
      for (let k = 0; ; k++) {
        ws();
        if (text.charCodeAt(i) !== 34) fail("expected a property name");
        const keyStart = i;
        let key = cached[k];
        let clean: boolean | undefined;
        if (key !== undefined && text.charCodeAt(i + 1 + key.length) === 34 && text.startsWith(key, i + 1)) {
          i += key.length + 2;
          clean = cachedClean[k];
          strValue = key;
          strEscaped = false;
        } else {
          readString();
          key = strValue;
          if (!strEscaped) {
            cached[k] = key;
            clean = skip?.(keyStart + 1, i - 1, undefined, "key") ?? false;
            cachedClean[k] = clean;
          }
        }
        segs.push(key);
        const keyActive = active && !isFieldIgnored(policy, key, segs);
        if (keyActive && !clean) emit("key", keyStart, undefined);
        ws();
        if (text.charCodeAt(i) !== 58) fail("expected ':'");
        i++;
        readValue(key, keyActive);
        segs.pop();
        ws();
        const next = text.charCodeAt(i);
        i++;
        if (next === 44) continue;
        if (next === 125) {
          depth--;
          return;
        }
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
        segs.push(index);
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
      const start = i;
      readNumber();
      if (active && !(skip?.(start, i, field, "number") ?? false)) {
        strValue = text.slice(start, i);
        strEscaped = false;
        emit("number", start, field);
      }
    } else if (c === 116 && text.startsWith("true", i)) i += 4;
    else if (c === 102 && text.startsWith("false", i)) i += 5;
    else if (c === 110 && text.startsWith("null", i)) i += 4;
    else fail(i >= text.length ? "unexpected end of JSON" : "unexpected character");
  };

  try {
    readValue(undefined, true);
  } catch (error) {
    // Not a syntax error: read as plain text instead, the values would lose their field names. Fail closed.
    if (error instanceof RangeError) {
      throw new SkillsError("INPUT_INVALID", "the JSON is nested too deeply to be read for personal data", {
        hint: "flatten the data (a few thousand levels at most)",
      });
    }
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
