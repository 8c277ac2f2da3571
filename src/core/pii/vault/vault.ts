/**
 * The token map of one run: value <-> `[TYPE_n]`. It lives only in the host process, in memory, for the run (or the
 * session); it is never written anywhere and never crosses into the sandbox. Tokens are counters, so they carry no
 * information about the value (not even a hash).
 */
import type { PiiType } from "../types.js";
import type { VaultEntry, WatchReason } from "./entry.js";
import { WatchIndex } from "./watch.js";

export type { VaultEntry, WatchReason } from "./entry.js";

export const TOKEN_RE = /\[[A-Z][A-Z0-9_]*_\d+\]/g;

export function tokenPrefix(type: PiiType): string {
  return type.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

export class TokenVault {
  readonly #byValue = new Map<string, VaultEntry>();
  readonly #byToken = new Map<string, VaultEntry>();
  readonly #counters = new Map<string, number>();
  readonly #watched: VaultEntry[] = [];
  #watchedIndex?: WatchIndex;
  #watchedIndexed = 0;
  #allIndex?: WatchIndex;
  #allIndexed = 0;

  /** The token of a value; the same value always gets the same token within this vault. */
  tokenFor(type: PiiType, value: string): { token: string; isNew: boolean } {
    const known = this.#byValue.get(value);
    if (known) return { token: known.token, isNew: false };
    const prefix = tokenPrefix(type);
    const n = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, n);
    const entry: VaultEntry = { value, type, token: `[${prefix}_${n}]`, restored: false, weak: false };
    this.#byValue.set(value, entry);
    this.#byToken.set(entry.token, entry);
    return { token: entry.token, isNew: true };
  }

  /** The entry of a real value, if this run tokenized it. */
  entryFor(value: string): VaultEntry | undefined {
    return this.#byValue.get(value);
  }

  /** Marks an entry as one to look for anywhere in later text (see VaultEntry.restored / weak). */
  watch(entry: VaultEntry, reason: WatchReason): void {
    if (entry[reason]) return;
    if (!entry.restored && !entry.weak) this.#watched.push(entry);
    entry[reason] = true;
  }

  /** Watched entries, oldest first; `watched.length` before some work and a slice after give the new ones. */
  get watched(): readonly VaultEntry[] {
    return this.#watched;
  }

  /**
   * Values left as they are while one tool result is tokenized: the known values the program itself wrote in clear
   * into that call's arguments. Turning them into their tokens would tell the program that its guess was right.
   */
  exempt: ReadonlySet<string> = new Set();

  /** An index of the watched entries (rebuilt when more are watched). */
  watchedIndex(): WatchIndex {
    if (this.#watchedIndex === undefined || this.#watchedIndexed !== this.#watched.length) {
      this.#watchedIndex = new WatchIndex(this.#watched);
      this.#watchedIndexed = this.#watched.length;
    }
    return this.#watchedIndex;
  }

  /** An index of every entry (rebuilt when values are added): what leaves the run is checked against all of them. */
  allIndex(): WatchIndex {
    if (this.#allIndex === undefined || this.#allIndexed !== this.#byValue.size) {
      this.#allIndex = new WatchIndex([...this.#byValue.values()]);
      this.#allIndexed = this.#byValue.size;
    }
    return this.#allIndex;
  }

  lookup(token: string): VaultEntry | undefined {
    return this.#byToken.get(token);
  }

  get size(): number {
    return this.#byValue.size;
  }

  entries(): IterableIterator<VaultEntry> {
    return this.#byValue.values();
  }
}
