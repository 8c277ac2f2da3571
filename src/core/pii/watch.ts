/**
 * Finding values the run already knows inside any text, fast enough for thousands of values against megabytes of
 * text: a few values are searched with indexOf; many are found in one pass per distinct length with a rolling hash
 * (Rabin-Karp), a 64 K-entry filter in front of the hash table, and an exact comparison behind it.
 *
 * Each value is looked for as written and as it reads inside a JSON string literal (`"` as `\"`...), since a tool's
 * text may quote a value JSON-escaped.
 */
import type { VaultEntry } from "./vault.js";

export interface Occurrence {
  start: number;
  end: number;
  entry: VaultEntry;
}

/** Below this many needles plain indexOf calls are faster than hashing the text. */
const FEW = 24;
const BASE = 0x01000193;

interface LengthGroup {
  length: number;
  /** B^(length-1), for taking the leaving character out of the rolling hash. */
  power: number;
  filter: Uint8Array;
  byHash: Map<number, { needle: string; entry: VaultEntry }[]>;
}

export class WatchIndex {
  readonly size: number;
  private readonly needles: { needle: string; entry: VaultEntry }[] = [];
  private readonly groups: LengthGroup[] = [];

  constructor(entries: readonly VaultEntry[]) {
    for (const entry of entries) {
      if (entry.value.length < 3) continue;
      this.needles.push({ needle: entry.value, entry });
      const escaped = JSON.stringify(entry.value).slice(1, -1);
      if (escaped !== entry.value) this.needles.push({ needle: escaped, entry });
    }
    this.size = this.needles.length;
    if (this.size <= FEW) return;
    const byLength = new Map<number, LengthGroup>();
    for (const item of this.needles) {
      const n = item.needle.length;
      let group = byLength.get(n);
      if (!group) {
        let power = 1;
        for (let i = 1; i < n; i++) power = Math.imul(power, BASE);
        group = { length: n, power, filter: new Uint8Array(65536), byHash: new Map() };
        byLength.set(n, group);
      }
      const h = hashOf(item.needle, 0, n);
      group.filter[h & 0xffff] = 1;
      const list = group.byHash.get(h);
      if (list) list.push(item);
      else group.byHash.set(h, [item]);
    }
    this.groups = [...byLength.values()];
  }

  /** Every occurrence, in order of start (longer first at the same start). */
  find(text: string): Occurrence[] {
    const out: Occurrence[] = [];
    if (this.size === 0) return out;
    if (this.groups.length === 0) {
      for (const { needle, entry } of this.needles) {
        for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
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

function scan(text: string, group: LengthGroup, out: Occurrence[]): void {
  const n = group.length;
  if (text.length < n) return;
  const { filter, byHash, power } = group;
  let h = hashOf(text, 0, n);
  for (let i = 0; ; i++) {
    if (filter[h & 0xffff] === 1) {
      const list = byHash.get(h);
      if (list) {
        for (const { needle, entry } of list) if (text.startsWith(needle, i)) out.push({ start: i, end: i + n, entry });
      }
    }
    if (i + n >= text.length) return;
    h = (Math.imul(h - Math.imul(text.charCodeAt(i), power), BASE) + text.charCodeAt(i + n)) | 0;
  }
}
