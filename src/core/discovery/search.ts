/**
 * Ranking: exact name first, then BM25F over the expanded query (typed words, synonyms, prefixes for partial
 * names, close spellings for typos), plus a bonus for a whole-name fuzzy match ("raed_file" → read_file).
 */
import type { ToolInfo } from "../../contracts/tools.js";
import { distanceLowerBound, editDistance, letterCounts, typoBudget } from "./fuzzy.js";
import { type SearchIndex, hasDoc } from "./searchIndex.js";
import { synonymsOf } from "./synonyms.js";
import { isStopword, normalizeName, splitWords, stem } from "./tokenize.js";

export interface SearchOptions {
  /** Default 10. */
  limit?: number;
  /** Only tools of these servers. */
  servers?: string[];
  /** Leave out hits under this fraction of the best hit's score (default 0.2; 0 keeps every match). */
  minRelativeScore?: number;
}

export type MatchKind = "exact" | "name" | "text";

export interface SearchHit {
  tool: ToolInfo;
  /** "server/tool". */
  key: string;
  score: number;
  match: MatchKind;
  /** Index terms that matched (after stemming and expansion). */
  matched: string[];
}

export const DEFAULT_LIMIT = 10;

/** Hits scoring under this fraction of the best hit are left out. */
export const DEFAULT_MIN_RELATIVE_SCORE = 0.2;

const EXACT_BONUS = 1000;

/** Tools that say they are deprecated rank below their replacements (an exact name still wins). */
const DEPRECATED_FACTOR = 0.6;

const WEIGHT = { typed: 1, synonym: 0.7, unknownSynonym: 0.8, prefix: 0.6, typo: 0.75, split: 0.8 } as const;

export interface ExpandedTerm {
  weight: number;
  /** Bit i set: the term stands for typed word i (for coverage). */
  groups: number;
}

/** Query terms with their weights: the typed words, then what they expand to in the index's vocabulary. */
export function expandQuery(index: SearchIndex, query: string): { terms: Map<string, ExpandedTerm>; typed: string[] } {
  const words = [...new Set(splitWords(query).filter((word) => !isStopword(word)))].slice(0, 30);
  const typed = words.map(stem);
  const terms = new Map<string, ExpandedTerm>();
  const add = (term: string, weight: number, group: number) => {
    if (!index.postings.has(term)) return;
    const entry = terms.get(term);
    if (!entry) terms.set(term, { weight, groups: 1 << group });
    else {
      entry.weight = Math.max(entry.weight, weight);
      entry.groups |= 1 << group;
    }
  };
  for (const [group, word] of words.entries()) {
    const term = typed[group]!;
    const known = index.postings.has(term);
    add(term, WEIGHT.typed, group);
    // A word the tools do not use leans more on its synonyms.
    for (const synonym of synonymsOf(term)) add(synonym, known ? WEIGHT.synonym : WEIGHT.unknownSynonym, group);
    if (known) continue;
    // A run-together name ("readfile", "listdirectory") splits into two indexed words.
    for (let cut = 3; cut <= word.length - 3; cut++) {
      const left = stem(word.slice(0, cut));
      const right = stem(word.slice(cut));
      if (index.postings.has(left) && index.postings.has(right)) {
        add(left, WEIGHT.split, group);
        add(right, WEIGHT.split, group);
      }
    }
    // Partial words and typos are matched against the words as the tools wrote them, then mapped to their terms.
    if (word.length >= 3) {
      for (const surface of wordsWithPrefix(index.sortedSurfaces, word))
        add(index.surfaces.get(surface)!, WEIGHT.prefix, group);
    }
    const budget = typoBudget(word.length);
    for (let length = word.length - budget; budget > 0 && length <= word.length + budget; length++) {
      for (const surface of index.surfacesByLength.get(length) ?? []) {
        const distance = editDistance(word, surface, budget);
        if (distance <= budget) add(index.surfaces.get(surface)!, WEIGHT.typo * (1 - distance / (budget + 2)), group);
      }
    }
  }
  return { terms, typed };
}

/** Longer words that start with `prefix`, from a sorted list. */
function wordsWithPrefix(sorted: string[], prefix: string): string[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.startsWith(prefix); i++) {
    if (sorted[i]!.length > prefix.length) out.push(sorted[i]!);
  }
  return out;
}

function bitCount(value: number): number {
  let count = 0;
  for (let v = value; v !== 0; v &= v - 1) count++;
  return count;
}

export function searchTools(index: SearchIndex, query: string, options: SearchOptions = {}): SearchHit[] {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const n = index.tools.length;
  if (limit <= 0 || n === 0) return [];
  const allowed = options.servers && options.servers.length > 0 ? new Set(options.servers) : undefined;
  const { terms, typed } = expandQuery(index, query);

  const scores = new Float64Array(n);
  const covered = new Int32Array(n);
  for (const [term, { weight, groups }] of terms) {
    const idf = index.idf.get(term) ?? 0;
    const list = index.postings.get(term);
    if (!list) continue;
    for (let i = 0; i < list.docs.length; i++) {
      const doc = list.docs[i]!;
      scores[doc]! += weight * idf * list.scores[i]!;
      covered[doc]! |= groups;
    }
  }
  // Tools that match every word of the query beat tools that match one word many times.
  if (typed.length > 1) {
    for (let doc = 0; doc < n; doc++) {
      if (scores[doc]! > 0) scores[doc] = scores[doc]! * (0.4 + (0.6 * bitCount(covered[doc]!)) / typed.length);
    }
  }

  const match: MatchKind[] = new Array(n).fill("text");
  let best = 0;
  for (let doc = 0; doc < n; doc++) if (scores[doc]! > best) best = scores[doc]!;
  for (let doc = 0; doc < n; doc++) {
    if (scores[doc]! > 0 && index.deprecated[doc]) scores[doc] = scores[doc]! * DEPRECATED_FACTOR;
  }
  // Whole-name matching is for queries that look like a name ("read_file", "get-sum", "fs/read"), not for phrases.
  const trimmed = query.trim().toLowerCase();
  const wanted = /\s/.test(trimmed) ? "" : normalizeName(trimmed);
  const budget = Math.max(1, Math.floor(wanted.length / 5));
  const wantedCounts = letterCounts(wanted);
  for (let doc = 0; doc < n && wanted !== ""; doc++) {
    if (trimmed === index.keys[doc]!.toLowerCase() || wanted === index.names[doc]) {
      scores[doc] = EXACT_BONUS + scores[doc]!;
      match[doc] = "exact";
      continue;
    }
    if (wanted.length < 4) continue;
    const name = index.names[doc]!;
    if (Math.abs(name.length - wanted.length) > budget) continue;
    if (distanceLowerBound(wantedCounts, index.nameCounts[doc]!) > budget) continue;
    const distance = editDistance(wanted, name, budget);
    if (distance <= budget) {
      scores[doc] = scores[doc]! + Math.max(best, 1) * (1 - distance / (budget + 1)) + 1;
      match[doc] = "name";
    }
  }

  // Weak tail matches (one common word, a distant synonym) cost tokens and help nobody: drop what scores under a
  // fraction of the best match, with the exact-name bonus left out of "best".
  let top = 0;
  for (let doc = 0; doc < n; doc++) {
    if (allowed && !allowed.has(index.tools[doc]!.server)) continue;
    const text = match[doc] === "exact" ? scores[doc]! - EXACT_BONUS : scores[doc]!;
    if (text > top) top = text;
  }
  const floor = Math.max(Number.MIN_VALUE, top * (options.minRelativeScore ?? DEFAULT_MIN_RELATIVE_SCORE));
  const hits: number[] = [];
  for (let doc = 0; doc < n; doc++) {
    if (scores[doc]! < floor && match[doc] !== "exact") continue;
    if (scores[doc]! <= 0) continue;
    if (allowed && !allowed.has(index.tools[doc]!.server)) continue;
    hits.push(doc);
  }
  hits.sort((a, b) => scores[b]! - scores[a]! || index.keys[a]!.localeCompare(index.keys[b]!));
  return hits.slice(0, limit).map((doc) => ({
    tool: index.tools[doc]!,
    key: index.keys[doc]!,
    score: Math.round(scores[doc]! * 1000) / 1000,
    match: match[doc]!,
    matched: [...terms.keys()].filter((term) => hasDoc(index.postings.get(term)!, doc)),
  }));
}
