/**
 * Record templates: the fast path's way through long arrays of flat records (rows of a table, items of a catalogue).
 *
 * After the walker in jsonFast.ts has read a flat record (an object whose values are all strings, numbers, true,
 * false or null) and changed nothing in it, the record is turned into a sticky regular expression: the exact text
 * of its braces, keys, colons, commas and whitespace, and for each value a class that proves the value clean:
 *   - any JSON number (the walker only looks at numbers under phone / ssn / card fields, and template keys have no
 *     such hint);
 *   - true / false / null;
 *   - any string of under 6 characters without a colon (the walker skips those: no detector matches them);
 *   - the value's shape: the same characters with any digit for a digit (`"\d{4}-\d{2}-\d{2}T..."`). The detectors'
 *     gate (mayContainPii) sees only such shape features, so a value of a clean value's shape is clean as well;
 *   - for a field whose values keep changing shape, any string, captured and checked with the gate at match time.
 * Later records that match are skipped in one native regex match instead of a walk over every literal; a record
 * that does not match is walked as before, and its shapes are added to the template (a few per field).
 *
 * A template is only a proof that the walker would leave a record unchanged: it never rewrites anything, and every
 * doubt (a key with a hint, an escape, a nested value, a custom pattern in the policy) means no template.
 */
import { mayContainPii } from "../detect/detect.js";
import { textFeatures } from "../detect/detectors/text.js";
import { NO_CONTEXT, keyContext } from "../detect/keyContext.js";
import type { PiiPolicy } from "../types.js";

const NUMBER = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;
const SHORT = String.raw`"[^"\\:]{0,5}"`;
const ANY = String.raw`"([^"\\]*)"`;
/** Shapes kept per field before the field takes any string (checked at match time). */
const MAX_SHAPES = 8;
/** Regex compilations per document: a text whose records never repeat stops trying. */
const MAX_COMPILES = 64;
/** After this many tries at one depth, templates there must hit at least half the time to be kept. */
const TRIAL = 32;
/** Longer records are walked: a template pays off over many records, and its regex grows with the record. */
const MAX_RECORD = 16_384;
/** Longer values are taken as any string (checked by the gate at match time) rather than spelled out as a shape. */
const MAX_SHAPE = 256;

interface Field {
  /** Alternatives for the value, as regex source. */
  alternatives: string[];
  /** Takes any string, captured and checked at match time. */
  any: boolean;
}

interface Template {
  /** The exact text around the values, one piece before each value and one after the last. */
  pieces: string[];
  /** The same pieces, joined: two records of the same structure have the same skeleton. */
  skeleton: string;
  fields: Field[];
  regex: RegExp;
  /** Fields with `any`, in capture-group order. */
  captures: number;
}

interface Depth {
  template?: Template;
  tries: number;
  hits: number;
  off: boolean;
}

export class RecordTemplates {
  private readonly depths: Depth[] = [];
  private compiles = 0;
  /** Records proven clean by a template so far (for tests and benches). */
  hits = 0;

  /** Templates for the walker that runs under `policy` (none at all when it has custom patterns). */
  constructor(private readonly policy: PiiPolicy) {
    this.disabled = !RecordTemplates.usable(policy);
  }
  private readonly disabled: boolean;

  /** Whether templates can prove anything under this policy (custom patterns run over every string). */
  static usable(policy: PiiPolicy): boolean {
    return policy.patterns.length === 0;
  }

  /** The end (exclusive) of a clean record at `start` (its '{') matched by the template for `depth`, or -1. */
  match(text: string, start: number, depth: number): number {
    const slot = this.depths[depth];
    const template = slot?.template;
    if (slot === undefined || template === undefined || slot.off || this.disabled) return -1;
    slot.tries++;
    const regex = template.regex;
    regex.lastIndex = start;
    let ok: boolean;
    if (template.captures === 0) ok = regex.test(text);
    else {
      const m = regex.exec(text);
      ok = m !== null;
      for (let g = 1; ok && g <= template.captures; g++) ok = this.clean(m![g]!);
    }
    if (ok) {
      slot.hits++;
      this.hits++;
      return regex.lastIndex;
    }
    if (slot.tries >= TRIAL && slot.hits * 2 < slot.tries) slot.off = true;
    return -1;
  }

  /** Learns from a flat record at [start, end) that the walker read and left unchanged. */
  learn(text: string, start: number, end: number, depth: number): void {
    if (this.disabled) return;
    this.depths[depth] ??= { tries: 0, hits: 0, off: false };
    const slot = this.depths[depth];
    if (slot.off || this.compiles >= MAX_COMPILES || end - start > MAX_RECORD) return;
    const read = this.read(text, start, end);
    if (read === undefined) return;
    const old = slot.template;
    let fields: Field[];
    if (old !== undefined && old.skeleton === read.skeleton) {
      let changed = false;
      fields = old.fields.map((field, i) => {
        const value = read.values[i]!;
        if (field.any || field.alternatives.includes(value)) return field;
        changed = true;
        if (value === ANY || field.alternatives.length >= MAX_SHAPES) return { alternatives: [], any: true };
        return { alternatives: [...field.alternatives, value], any: false };
      });
      if (!changed) return;
    } else {
      fields = read.values.map((value) =>
        value === ANY ? { alternatives: [], any: true } : { alternatives: [value], any: false },
      );
    }
    this.compiles++;
    let source = "";
    let captures = 0;
    fields.forEach((field, i) => {
      source += read.pieces[i];
      if (field.any) {
        source += ANY;
        captures++;
      } else source += field.alternatives.length === 1 ? field.alternatives[0] : `(?:${field.alternatives.join("|")})`;
    });
    source += read.pieces[fields.length];
    slot.template = {
      pieces: read.pieces,
      skeleton: read.skeleton,
      fields,
      regex: new RegExp(source, "y"),
      captures,
    };
  }

  /** What the walker would decide about a string value under a key without a hint: nothing to find. */
  private clean(value: string): boolean {
    if (value.length < 6 && value.charCodeAt(0) !== 58) return true;
    return !mayContainPii(textFeatures(value), NO_CONTEXT, this.policy);
  }

  /**
   * Splits a flat record into the regex pieces around its values and each value's class. Undefined for anything a
   * template cannot stand for: nested values, escapes, keys with a hint or keys that could be PII themselves.
   */
  private read(
    text: string,
    start: number,
    end: number,
  ): { pieces: string[]; skeleton: string; values: string[] } | undefined {
    const pieces: string[] = [];
    const values: string[] = [];
    let piece = "\\{";
    let i = start + 1;
    const space = () => {
      for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i)) {
        piece += literal(c);
      }
    };
    const string = (): string | undefined => {
      const close = text.indexOf('"', i + 1);
      if (close < 0 || close >= end) return undefined;
      const value = text.slice(i + 1, close);
      if (value.includes("\\")) return undefined;
      i = close + 1;
      return value;
    };
    for (;;) {
      space();
      let c = text.charCodeAt(i);
      // '}' only right after '{' (an empty record, refused below) or after a value, never after a comma
      if (c === 125 && values.length === 0) break;
      if (c !== 34) return undefined;
      const key = string();
      if (key === undefined || keyContext(key).hint !== undefined) return undefined;
      if (mayContainPii(textFeatures(key), NO_CONTEXT, this.policy)) return undefined;
      piece += `"${escapeText(key)}"`;
      space();
      if (text.charCodeAt(i) !== 58) return undefined;
      i++;
      piece += ":";
      space();
      pieces.push(piece);
      piece = "";
      c = text.charCodeAt(i);
      if (c === 34) {
        const value = string();
        if (value === undefined) return undefined;
        values.push(this.classify(value));
      } else if ((c >= 48 && c <= 57) || c === 45) {
        const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
        number.lastIndex = i;
        if (!number.test(text)) return undefined;
        i = number.lastIndex;
        values.push(NUMBER);
      } else {
        const word = c === 116 ? "true" : c === 102 ? "false" : c === 110 ? "null" : undefined;
        if (word === undefined || !text.startsWith(word, i)) return undefined;
        i += word.length;
        values.push(word);
      }
      space();
      c = text.charCodeAt(i);
      if (c === 125) break;
      if (c !== 44) return undefined;
      piece += ",";
      i++;
    }
    if (i !== end - 1 || values.length === 0) return undefined;
    pieces.push(`${piece}\\}`);
    return { pieces, skeleton: pieces.join("\u0000"), values };
  }

  private classify(value: string): string {
    if (value.length < 6 && !value.includes(":")) return SHORT;
    if (value.length > MAX_SHAPE || !this.clean(value)) return ANY;
    return `"${shapeOf(value)}"`;
  }
}

/** Regex source for a value's shape: digits become \d{n}, letters stay, everything else is escaped. */
function shapeOf(value: string): string {
  let out = "";
  let digits = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      continue;
    }
    if (digits > 0) {
      out += digits === 1 ? "\\d" : `\\d{${digits}}`;
      digits = 0;
    }
    out += literal(c);
  }
  if (digits > 0) out += digits === 1 ? "\\d" : `\\d{${digits}}`;
  return out;
}

function escapeText(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += literal(text.charCodeAt(i));
  return out;
}

/** One UTF-16 code unit as regex source (no `u` flag): letters, digits and _ as they are, the rest as \uXXXX. */
function literal(c: number): string {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
    return String.fromCharCode(c);
  }
  return `\\u${c.toString(16).padStart(4, "0")}`;
}
