/**
 * A fast reader for the plain YAML that skill files are made of: block mappings and sequences, one-line flow
 * collections, one-line plain and quoted scalars, comments. It returns what the `yaml` package would (the same value
 * under the YAML 1.2 core schema, the same start offsets for every node) or `undefined` for anything else — anchors,
 * tags, block scalars, multi-line scalars or flows, several documents, duplicate keys, any error — so the caller
 * parses that text with the `yaml` package as before. The `yaml` package takes ~1 ms for a 700-byte manifest; a
 * thousand skills' files are read here in a few milliseconds. test/unit/yaml/subset.test.ts checks every accepted
 * text against the package: values, and the position of every node.
 */

import { hasUnusualCharacter, OutsideSubset, outsideSubset, readQuoted, resolvePlain } from "./subsetScalars.js";

/** A node with the offsets the `yaml` package gives it (`range[0]`; for scalars also `range[1]`). */
export type SubsetNode =
  | { kind: "map"; start: number; keys: string[]; keyStarts: number[]; values: SubsetNode[] }
  | { kind: "seq"; start: number; items: SubsetNode[] }
  | { kind: "scalar"; start: number; end: number };

export interface SubsetDocument {
  value: unknown;
  root: SubsetNode;
  /** Offsets where lines start (0 first), as the package's LineCounter keeps them. */
  lineStarts: number[];
}

const out = outsideSubset;

/**
 * Plain keys: words joined by the characters keys are made of (no indicator, no `: `, no ` #`); a key may start with
 * a dot (`.md`, file extensions), but not with `...` (a document's end). Keys the core schema reads as something
 * other than a string (`.inf`, `.nan`, `1`, `true`) are left to the package.
 */
const PLAIN_KEY = /^(?!\.\.\.)[\p{L}\p{N}_$.][\p{L}\p{N}_$./@+-]*(?: [\p{L}\p{N}_$./@+-]+)*$/u;
/** Keys longer than this are left to the package (it refuses implicit keys past 1024 characters). */
const MAX_KEY_LENGTH = 1000;
/**
 * Collections nested deeper than this are left to the package: skill files nest a handful of levels, and each level
 * is a call here (a hostile file thousands deep would overflow the stack).
 */
const MAX_DEPTH = 64;
/** Characters that may not start a plain scalar (they start something else, or are reserved). */
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

interface Parsed {
  node: SubsetNode;
  value: unknown;
}

class SubsetParser {
  readonly lineStarts: number[] = [0];
  private readonly lineEnds: number[] = [];
  /** Leading spaces of each line; -1 for a blank or comment-only line. */
  private readonly indents: number[] = [];
  /** Collections open around the one being read. */
  private depth = 0;

  constructor(private readonly text: string) {
    let start = 0;
    for (;;) {
      const newline = text.indexOf("\n", start);
      const end = newline === -1 ? text.length : newline;
      this.lineEnds.push(end);
      let col = start;
      while (col < end && text.charCodeAt(col) === 32) col++;
      const blank = col === end || text[col] === "#";
      this.indents.push(blank ? -1 : col - start);
      // document markers and directives at the start of a line
      if (!blank && col === start && /^(?:---|\.\.\.)(?: |$)|^%/.test(text.slice(start, Math.min(end, start + 4))))
        out();
      if (newline === -1) break;
      start = newline + 1;
      this.lineStarts.push(start);
    }
  }

  parse(): Parsed {
    const first = this.nextContent(0);
    if (first === -1) return out();
    const start = this.lineStarts[first]! + this.indents[first]!;
    if (this.isSeqItem(start)) return out();
    const { parsed, next } = this.blockMap(first, start);
    if (next !== -1) out();
    return parsed;
  }

  /** The first line at or after `line` with content, or -1. */
  private nextContent(line: number): number {
    for (let i = line; i < this.indents.length; i++) if (this.indents[i] !== -1) return i;
    return -1;
  }

  private isSeqItem(offset: number): boolean {
    const after = this.text[offset + 1];
    return this.text[offset] === "-" && (after === " " || after === "\n" || after === undefined);
  }

  /** The map whose first key starts at `start` on `line`; its keys are all at that column. */
  private blockMap(line: number, start: number): { parsed: Parsed; next: number } {
    return this.nested(() => this.blockMapInner(line, start));
  }

  private blockMapInner(line: number, start: number): { parsed: Parsed; next: number } {
    const column = start - this.lineStarts[line]!;
    const node: SubsetNode = { kind: "map", start, keys: [], keyStarts: [], values: [] };
    const value: Record<string, unknown> = {};
    let current = line;
    let keyStart = start;
    for (;;) {
      const key = this.key(keyStart, this.lineEnds[current]!);
      if (!key || Object.hasOwn(value, key.name)) return out();
      const entry = this.mapValue(current, key.colon, column);
      node.keys.push(key.name);
      node.keyStarts.push(keyStart);
      node.values.push(entry.parsed.node);
      value[key.name] = entry.parsed.value;
      const next = entry.next;
      if (next === -1 || this.indents[next]! < column) return { parsed: { node, value }, next };
      if (this.indents[next]! > column) return out();
      keyStart = this.lineStarts[next]! + column;
      if (this.isSeqItem(keyStart)) return out();
      current = next;
    }
  }

  /** A key at `start`: its name and where its `:` is. Undefined when the line holds no key this reader knows. */
  private key(start: number, end: number): { name: string; colon: number } | undefined {
    const text = this.text;
    const first = text[start];
    if (first === '"' || first === "'") {
      const quoted = readQuoted(this.text, start, end);
      const colon = quoted.end;
      if (text[colon] !== ":" || (colon + 1 < end && text[colon + 1] !== " ")) return undefined;
      // the package refuses an implicit key that runs past 1024 characters
      if (colon - start > MAX_KEY_LENGTH) return undefined;
      if (typeof quoted.value !== "string" || quoted.value === "__proto__") return undefined;
      return { name: quoted.value, colon };
    }
    let colon = text.indexOf(":", start);
    while (colon !== -1 && colon < end && colon + 1 < end && text[colon + 1] !== " ")
      colon = text.indexOf(":", colon + 1);
    if (colon === -1 || colon >= end) return undefined;
    const name = text.slice(start, colon);
    if (name.length > MAX_KEY_LENGTH || !PLAIN_KEY.test(name) || name === "__proto__") return undefined;
    return typeof resolvePlain(name) === "string" ? { name, colon } : undefined;
  }

  /** The value after the `:` at `colon` of a key in a map at `column`; `next` is the next line with content. */
  private mapValue(line: number, colon: number, column: number): { parsed: Parsed; next: number } {
    const end = this.lineEnds[line]!;
    let at = colon + 1;
    while (at < end && this.text.charCodeAt(at) === 32) at++;
    if (at === end || this.text[at] === "#") {
      const next = this.nextContent(line + 1);
      if (next !== -1) {
        const indent = this.indents[next]!;
        const start = this.lineStarts[next]! + indent;
        if (indent > column || (indent === column && this.isSeqItem(start))) {
          return this.isSeqItem(start) ? this.blockSeq(next, start) : this.blockMap(next, start);
        }
      }
      // an empty value is a null placed after the colon and the spaces that follow it
      return { parsed: { node: { kind: "scalar", start: at, end: at }, value: null }, next };
    }
    const parsed = this.inline(at, end);
    return { parsed, next: this.endOfLine(line, column) };
  }

  /** A block sequence whose first `-` is at `start` on `line`. */
  private blockSeq(line: number, start: number): { parsed: Parsed; next: number } {
    return this.nested(() => this.blockSeqInner(line, start));
  }

  private blockSeqInner(line: number, start: number): { parsed: Parsed; next: number } {
    const column = start - this.lineStarts[line]!;
    const node: SubsetNode = { kind: "seq", start, items: [] };
    const value: unknown[] = [];
    let current = line;
    let dash = start;
    for (;;) {
      const end = this.lineEnds[current]!;
      let at = dash + 1;
      while (at < end && this.text.charCodeAt(at) === 32) at++;
      if (at === end || at === dash + 1 || this.text[at] === "#" || this.isSeqItem(at)) return out();
      let item: { parsed: Parsed; next: number };
      const key = this.key(at, end);
      if (key) item = this.blockMap(current, at);
      else item = { parsed: this.inline(at, end), next: this.endOfLine(current, column) };
      node.items.push(item.parsed.node);
      value.push(item.parsed.value);
      const next = item.next;
      if (next === -1 || this.indents[next]! < column) return { parsed: { node, value }, next };
      if (this.indents[next]! > column) return out();
      dash = this.lineStarts[next]! + column;
      if (!this.isSeqItem(dash)) return { parsed: { node, value }, next };
      current = next;
    }
  }

  /** After a one-line value: the next line with content, which may not continue the value (be indented more). */
  private endOfLine(line: number, column: number): number {
    const next = this.nextContent(line + 1);
    if (next !== -1 && this.indents[next]! > column) out();
    return next;
  }

  /** A value that ends on its line: flow collection, quoted or plain scalar, then at most a comment. */
  private inline(start: number, end: number): Parsed {
    const text = this.text;
    const first = text[start]!;
    let parsed: Parsed;
    let after: number;
    if (first === "[" || first === "{") {
      const flow = this.flow(start, end);
      parsed = flow.parsed;
      after = flow.end;
    } else if (first === '"' || first === "'") {
      const quoted = readQuoted(this.text, start, end);
      parsed = { node: { kind: "scalar", start, end: quoted.end }, value: quoted.value };
      after = quoted.end;
    } else {
      if (INDICATOR_START.test(first) && !(first === "-" && /[\p{L}\p{N}.]/u.test(text[start + 1] ?? ""))) out();
      const comment = text.indexOf(" #", start);
      let stop = comment === -1 || comment > end ? end : comment;
      while (stop > start && text.charCodeAt(stop - 1) === 32) stop--;
      const source = text.slice(start, stop);
      if (source.includes(": ") || source.endsWith(":")) out();
      return { node: { kind: "scalar", start, end: stop }, value: resolvePlain(source) };
    }
    let at = after;
    while (at < end && text.charCodeAt(at) === 32) at++;
    if (at < end && (text[at] !== "#" || at === after)) out();
    return parsed;
  }

  /** A one-line flow collection at `start`; `end` is where the collection closed. */
  private flow(start: number, lineEnd: number): { parsed: Parsed; end: number } {
    return this.nested(() => this.flowInner(start, lineEnd));
  }

  private flowInner(start: number, lineEnd: number): { parsed: Parsed; end: number } {
    const text = this.text;
    const isMap = text[start] === "{";
    const close = isMap ? "}" : "]";
    const keys: string[] = [];
    const keyStarts: number[] = [];
    const nodes: SubsetNode[] = [];
    const map: Record<string, unknown> = {};
    const list: unknown[] = [];
    let at = this.skipSpaces(start + 1, lineEnd);
    if (text[at] !== close) {
      for (;;) {
        if (isMap) {
          const key = this.flowKey(at, lineEnd);
          if (Object.hasOwn(map, key.name)) out();
          keys.push(key.name);
          keyStarts.push(at);
          at = this.skipSpaces(key.colon + 1, lineEnd);
        }
        const item = this.flowItem(at, lineEnd);
        nodes.push(item.parsed.node);
        if (isMap) map[keys[keys.length - 1]!] = item.parsed.value;
        else list.push(item.parsed.value);
        at = this.skipSpaces(item.end, lineEnd);
        if (text[at] === close) break;
        if (text[at] !== ",") out();
        at = this.skipSpaces(at + 1, lineEnd);
        if (text[at] === close || at >= lineEnd) out();
      }
    }
    const node: SubsetNode = isMap
      ? { kind: "map", start, keys, keyStarts, values: nodes }
      : { kind: "seq", start, items: nodes };
    return { parsed: { node, value: isMap ? map : list }, end: at + 1 };
  }

  private flowKey(start: number, lineEnd: number): { name: string; colon: number } {
    const text = this.text;
    if (text[start] === '"' || text[start] === "'") {
      const quoted = readQuoted(this.text, start, lineEnd);
      if (text[quoted.end] !== ":" || text[quoted.end + 1] !== " ") out();
      if (quoted.value === "__proto__") out();
      return { name: quoted.value, colon: quoted.end };
    }
    const colon = text.indexOf(":", start);
    if (colon === -1 || colon >= lineEnd || text[colon + 1] !== " ") return out();
    const name = text.slice(start, colon);
    if (!PLAIN_KEY.test(name) || name === "__proto__" || typeof resolvePlain(name) !== "string") out();
    return { name, colon };
  }

  private flowItem(start: number, lineEnd: number): { parsed: Parsed; end: number } {
    const text = this.text;
    const first = text[start];
    if (first === "[" || first === "{") return this.flow(start, lineEnd);
    if (first === '"' || first === "'") {
      const quoted = readQuoted(this.text, start, lineEnd);
      return { parsed: { node: { kind: "scalar", start, end: quoted.end }, value: quoted.value }, end: quoted.end };
    }
    let stop = start;
    while (stop < lineEnd && !",]}".includes(text[stop]!)) stop++;
    let valueEnd = stop;
    while (valueEnd > start && text.charCodeAt(valueEnd - 1) === 32) valueEnd--;
    const source = text.slice(start, valueEnd);
    if (source === "" || /[:#[{'"]/.test(source)) out();
    if (INDICATOR_START.test(source) && !/^-[\p{L}\p{N}.]/u.test(source)) out();
    return { parsed: { node: { kind: "scalar", start, end: valueEnd }, value: resolvePlain(source) }, end: valueEnd };
  }

  /** Reads one collection, one level deeper; past MAX_DEPTH the text is the package's. */
  private nested<T>(read: () => T): T {
    if (this.depth >= MAX_DEPTH) return out();
    this.depth += 1;
    try {
      return read();
    } finally {
      this.depth -= 1;
    }
  }

  private skipSpaces(at: number, end: number): number {
    while (at < end && this.text.charCodeAt(at) === 32) at++;
    return at;
  }
}

/** The document when `text` is in the subset this reader knows (a mapping at its root), else undefined. */
export function parseYamlSubset(text: string): SubsetDocument | undefined {
  if (hasUnusualCharacter(text)) return undefined;
  try {
    const parser = new SubsetParser(text);
    const { node, value } = parser.parse();
    return { value, root: node, lineStarts: parser.lineStarts };
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}
