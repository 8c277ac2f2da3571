/**
 * JSON that may be large (a cassette's recorded results, a lock's tool schemas): JSON.parse first, and the reader
 * with positions only when a problem needs a line and column, or when the text does not parse.
 */
import { type ParseJsonResult, parseJsonWithPositions } from "./parse.js";
import { locateIn } from "./positions.js";

/** A 1-based line and column. */
export interface LineColumn {
  line: number;
  column: number;
}

export type LazyJson =
  | {
      ok: true;
      value: unknown;
      /** Where a pointer is in the text (parsed with positions on first use); 1:1 when that cannot be known. */
      locate(pointer: string, target?: "key" | "value"): LineColumn;
    }
  | { ok: false; message: string; position: LineColumn };

export function parseJsonLazily(text: string): LazyJson {
  let parsed: ParseJsonResult | undefined;
  try {
    const value: unknown = JSON.parse(text);
    const locate = (pointer: string, target?: "key" | "value"): LineColumn => {
      parsed ??= parseJsonWithPositions(text);
      return parsed.ok ? locateIn(parsed, pointer, target) : { line: 1, column: 1 };
    };
    return { ok: true, value, locate };
  } catch (error) {
    parsed = parseJsonWithPositions(text);
    return parsed.ok
      ? { ok: false, message: (error as Error).message, position: { line: 1, column: 1 } }
      : { ok: false, message: parsed.message, position: parsed.position };
  }
}
