/**
 * Finding values the run already knows inside any text, fast enough for thousands of values against megabytes of
 * text: a few values are searched with indexOf; many are found with a rolling hash (Rabin-Karp) over a few window
 * lengths — each value is hashed by its first w characters, w the largest of WINDOWS not longer than the value —
 * with a 64 K-entry filter in front of the hash table and an exact comparison behind it. So the number of passes
 * over the text is bounded by WINDOWS, however many different lengths the values have.
 *
 * Each value is looked for as written and in the spellings JSON gives it inside a string literal: escaped once
 * (`"` as `\"`), escaped twice (JSON in a JSON string), with `\/`, and with non-ASCII characters as `\u00e4`.
 */
import type { VaultEntry } from "./entry.js";

export interface Occurrence {
  start: number;
  end: number;
  entry: VaultEntry;
}

/**
 * Values shorter than this are not looked for beyond where a detector finds them: "2024" (a PIN) or "E-12" are in
 * every date and reference, and hunting them would rewrite unrelated data.
 */
export const MIN_KNOWN = 6;

/** Below this many needles plain indexOf calls are faster than hashing the text. */
const FEW = 24;
const BASE = 0x01000193;
const WINDOWS = [3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 32];

interface Needle {
  needle: string;
  entry: VaultEntry;
}

interface WindowGroup {
  window: number;
  /** B^(window-1), for taking the leaving character out of the rolling hash. */
  power: number;
  filter: Uint8Array;
  byHash: Map<number, Needle[]>;
}

/** The spellings of a value to look for. */
export function spellings(value: string): string[] {
  const once = JSON.stringify(value).slice(1, -1);
  const forms = new Set([value, once, JSON.stringify(once).slice(1, -1)]);
  if (once.includes("/")) forms.add(once.replaceAll("/", "\\/"));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: any character outside ASCII
  if (/[^\u0000-\u007f]/.test(once)) {
    const ascii = (hex: (code: number) => string) =>
      // biome-ignore lint/suspicious/noControlCharactersInRegex: any character outside ASCII
      once.replace(/[^\u0000-\u007f]/g, (c) => `\\u${hex(c.charCodeAt(0))}`);
    forms.add(ascii((code) => code.toString(16).padStart(4, "0")));
    forms.add(ascii((code) => code.toString(16).toUpperCase().padStart(4, "0")));
  }
  return [...forms];
}

export class WatchIndex {
  readonly size: number;
  /** Whether any of its values was restored into a tool's arguments (those are looked for in numbers too). */
  readonly restored: boolean;
  private readonly needles: Needle[] = [];
  private readonly groups: WindowGroup[] = [];

  constructor(entries: readonly VaultEntry[]) {
    this.restored = entries.some((entry) => entry.restored);
    for (const entry of entries) {
      if (entry.value.length < MIN_KNOWN) continue;
      for (const needle of spellings(entry.value)) this.needles.push({ needle, entry });
    }
    this.size = this.needles.length;
    if (this.size <= FEW) return;
    const byWindow = new Map<number, WindowGroup>();
    for (const item of this.needles) {
      const n = item.needle.length;
      let window = WINDOWS[0]!;
      for (const w of WINDOWS) if (w <= n) window = w;
      let group = byWindow.get(window);
      if (!group) {
        let power = 1;
        for (let i = 1; i < window; i++) power = Math.imul(power, BASE);
        group = { window, power, filter: new Uint8Array(65536), byHash: new Map() };
        byWindow.set(window, group);
      }
      const h = hashOf(item.needle, 0, window);
      group.filter[h & 0xffff] = 1;
      const list = group.byHash.get(h);
      if (list) list.push(item);
      else group.byHash.set(h, [item]);
    }
    this.groups = [...byWindow.values()];
  }

  /** Every occurrence (overlapping ones too), in order of start, longer first at the same start. */
  find(text: string): Occurrence[] {
    const out: Occurrence[] = [];
    if (this.size === 0) return out;
    if (this.groups.length === 0) {
      for (const { needle, entry } of this.needles) {
        for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
          out.push({ start: at, end: at + needle.length, entry });
        }
      }
    } else {
      for (const group of this.groups) scan(text, group, out);
    }
    return out.sort((a, b) => a.start - b.start || b.end - a.end);
  }

  /** The entries that occur in the text. */
  present(text: string): VaultEntry[] {
    if (this.size === 0) return [];
    if (this.groups.length === 0) {
      const seen = new Set<VaultEntry>();
      for (const { needle, entry } of this.needles) if (!seen.has(entry) && text.includes(needle)) seen.add(entry);
      return [...seen];
    }
    return [...new Set(this.find(text).map((o) => o.entry))];
  }
}

function hashOf(text: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  return h;
}

function scan(text: string, group: WindowGroup, out: Occurrence[]): void {
  const n = group.window;
  if (text.length < n) return;
  const { filter, byHash, power } = group;
  let h = hashOf(text, 0, n);
  for (let i = 0; ; i++) {
    if (filter[h & 0xffff] === 1) {
      const list = byHash.get(h);
      if (list) {
        for (const { needle, entry } of list) {
          if (text.startsWith(needle, i)) out.push({ start: i, end: i + needle.length, entry });
        }
      }
    }
    if (i + n >= text.length) return;
    h = (Math.imul(h - Math.imul(text.charCodeAt(i), power), BASE) + text.charCodeAt(i + n)) | 0;
  }
}

/** The first index in [0, count) for which `before(i)` is false, `before` being true up to some index, then false. */
export function firstNotBefore(count: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Token spans sorted by start, not overlapping: whether [start, end) overlaps one of them. */
export function insideSpans(spans: readonly [number, number][], start: number, end: number): boolean {
  // the first span starting at or after `end`; only the one before it can overlap
  const next = firstNotBefore(spans.length, (i) => spans[i]![0] < end);
  return next > 0 && spans[next - 1]![1] > start;
}
