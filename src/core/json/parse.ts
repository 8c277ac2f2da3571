/**
 * A small strict JSON parser that remembers where every value starts, so that errors in .mcp.json, skills.config.json,
 * cassettes and --input can name file:line:column for a JSON pointer. JSON.parse gives neither positions of values
 * nor reliable positions of syntax errors; `yaml` would accept non-JSON (trailing commas, unquoted keys) that other
 * tools reject. PII's readers (src/core/pii/json) are its own: they are tuned for throughput, not for positions.
 */
import { escapePointerToken } from "./pointer.js";
import { type JsonPosition, lineStarts, positionAt } from "./positions.js";

export interface ParsedJson {
  ok: true;
  value: unknown;
  /** Where each value starts, by JSON pointer. */
  positions: Map<string, JsonPosition>;
  /** Where each object member's key starts (an unknown key is reported there). */
  keyPositions: Map<string, JsonPosition>;
}

export type ParseJsonResult = ParsedJson | { ok: false; message: string; position: JsonPosition };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseJsonWithPositions(text: string): ParseJsonResult {
  const positions = new Map<string, number>();
  const keyPositions = new Map<string, number>();
  let i = 0;

  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const describe = (at: number) => (at >= text.length ? "end of file" : `'${text[at]}'`);
  const skipWhitespace = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
      else break;
    }
  };

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = "";
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === "\\") {
        const e = text[i + 1];
        const simple: Record<string, string> = {
          '"': '"',
          "\\": "\\",
          "/": "/",
          b: "\b",
          f: "\f",
          n: "\n",
          r: "\r",
          t: "\t",
        };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail("invalid escape in string", i);
        continue;
      }
      if (c < " ") fail("control character in string (use \\n, \\t, ...)", i);
      out += c;
      i++;
    }
    return fail("unterminated string", start);
  };

  const parseNumber = (): number => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) return fail(`unexpected ${describe(i)}`);
    i += match[0].length;
    return Number(match[0]);
  };

  const parseValue = (pointer: string): unknown => {
    skipWhitespace();
    positions.set(pointer, i);
    const c = text[i];
    if (c === "{") return parseObject(pointer);
    if (c === "[") return parseArray(pointer);
    if (c === '"') return parseString();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return parseNumber();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    return fail(
      c === undefined ? "unexpected end of file, expected a value" : `unexpected ${describe(i)}, expected a value`,
    );
  };

  const parseObject = (pointer: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    i++;
    skipWhitespace();
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      skipWhitespace();
      if (text[i] !== '"') fail(`unexpected ${describe(i)}, expected a property name in double quotes`);
      const keyAt = i;
      const key = parseString();
      skipWhitespace();
      if (text[i] !== ":") fail(`unexpected ${describe(i)}, expected ':' after property name`);
      i++;
      const child = `${pointer}/${escapePointerToken(key)}`;
      keyPositions.set(child, keyAt);
      Object.defineProperty(out, key, {
        value: parseValue(child),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      skipWhitespace();
      if (text[i] === ",") {
        i++;
        skipWhitespace();
        if (text[i] === "}") fail("trailing comma before '}'");
        continue;
      }
      if (text[i] === "}") {
        i++;
        return out;
      }
      fail(`unexpected ${describe(i)}, expected ',' or '}'`);
    }
  };

  const parseArray = (pointer: string): unknown[] => {
    const out: unknown[] = [];
    i++;
    skipWhitespace();
    if (text[i] === "]") {
      i++;
      return out;
    }
    for (;;) {
      out.push(parseValue(`${pointer}/${out.length}`));
      skipWhitespace();
      if (text[i] === ",") {
        i++;
        skipWhitespace();
        if (text[i] === "]") fail("trailing comma before ']'");
        continue;
      }
      if (text[i] === "]") {
        i++;
        return out;
      }
      fail(`unexpected ${describe(i)}, expected ',' or ']'`);
    }
  };

  const starts = lineStarts(text);
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    const value = parseValue("");
    skipWhitespace();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the document`);
    const at = (offsets: Map<string, number>) =>
      new Map([...offsets].map(([pointer, offset]) => [pointer, positionAt(starts, offset)] as const));
    return { ok: true, value, positions: at(positions), keyPositions: at(keyPositions) };
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      return { ok: false, message: error.message, position: positionAt(starts, error.offset) };
    }
    throw error;
  }
}
