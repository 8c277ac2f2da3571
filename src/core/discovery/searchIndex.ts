/**
 * BM25F over the fields of each tool: name (boosted), title, parameter names, description and server name.
 * Field term frequencies are length-normalised per field and combined before saturation, so a word in the name
 * counts several times a word in a long description. Pure: the index is built from ToolInfo[] in memory.
 */
import type { ToolInfo } from "../../contracts/tools.js";
import { toolTitle } from "../toolTitle.js";
import { letterCounts } from "./fuzzy.js";
import { isStopword, normalizeName, splitWords, stem } from "./tokenize.js";

interface FieldSpec {
  weight: number;
  /** Length normalisation strength (BM25 b). */
  b: number;
  text: (tool: ToolInfo) => string;
}

const FIELDS: FieldSpec[] = [
  { weight: 4, b: 0.3, text: (tool) => tool.name },
  { weight: 2, b: 0.5, text: (tool) => toolTitle(tool) ?? "" },
  { weight: 1.5, b: 0.5, text: (tool) => parameterNames(tool.inputSchema).join(" ") },
  { weight: 1, b: 0.75, text: (tool) => tool.description ?? "" },
  { weight: 0.5, b: 0, text: (tool) => tool.server },
];

export const K1 = 1.2;

/** The docs that contain a term, in ascending order, with the term's weight in each (parallel arrays). */
export interface PostingList {
  docs: number[];
  /** Saturated, weighted term frequency: tf~ (k1 + 1) / (tf~ + k1). */
  scores: number[];
}

export interface SearchIndex {
  tools: ToolInfo[];
  /** "server/tool" per doc. */
  keys: string[];
  /** normalizeName(tool.name) per doc. */
  names: string[];
  /** Letter counts of each name, to skip names that cannot be within the typo budget. */
  nameCounts: Uint8Array[];
  postings: Map<string, PostingList>;
  /** idf per term. */
  idf: Map<string, number>;
  /** Every word as written in the tools (before stemming) with its term, for prefix and typo matching. */
  surfaces: Map<string, string>;
  /** The surface words sorted, for prefix lookup by binary search. */
  sortedSurfaces: string[];
  /** Surface words by length, for typo lookup among words of about the same length. */
  surfacesByLength: Map<number, string[]>;
  /** The tool's title or description says it is deprecated. */
  deprecated: boolean[];
}

/** Whether the doc is in the posting list (docs are ascending: binary search). */
export function hasDoc(list: PostingList, doc: number): boolean {
  let lo = 0;
  let hi = list.docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = list.docs[mid]!;
    if (value === doc) return true;
    if (value < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export function parameterNames(schema: unknown): string[] {
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  if (!properties || typeof properties !== "object") return [];
  return Object.keys(properties);
}

export function buildSearchIndex(tools: ToolInfo[]): SearchIndex {
  // One pass over the words: terms per field, and the surface form of every term for prefix and typo lookup.
  const surfaces = new Map<string, string>();
  const termsOf = (text: string): string[] => {
    const out: string[] = [];
    for (const word of splitWords(text)) {
      if (isStopword(word)) continue;
      let term = surfaces.get(word);
      if (term === undefined) {
        term = stem(word);
        surfaces.set(word, term);
      }
      out.push(term);
    }
    return out;
  };
  const fieldTerms: string[][][] = tools.map((tool) => FIELDS.map((field) => termsOf(field.text(tool))));
  const averageLength = FIELDS.map((_, f) => {
    let total = 0;
    for (const terms of fieldTerms) total += terms[f]!.length;
    return tools.length > 0 ? Math.max(total / tools.length, 1) : 1;
  });
  const postings = new Map<string, PostingList>();
  const pseudo = new Map<string, number>();
  for (const [doc, fields] of fieldTerms.entries()) {
    pseudo.clear();
    for (const [f, terms] of fields.entries()) {
      const spec = FIELDS[f]!;
      const norm = 1 - spec.b + (spec.b * terms.length) / averageLength[f]!;
      for (const term of terms) pseudo.set(term, (pseudo.get(term) ?? 0) + spec.weight / norm);
    }
    for (const [term, tf] of pseudo) {
      let list = postings.get(term);
      if (!list) {
        list = { docs: [], scores: [] };
        postings.set(term, list);
      }
      list.docs.push(doc);
      list.scores.push((tf * (K1 + 1)) / (tf + K1));
    }
  }
  const names = tools.map((tool) => normalizeName(tool.name));
  const n = tools.length;
  const idf = new Map<string, number>();
  for (const [term, { docs }] of postings) idf.set(term, Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5)));
  return {
    tools,
    keys: tools.map((tool) => `${tool.server}/${tool.name}`),
    names,
    nameCounts: names.map(letterCounts),
    postings,
    idf,
    surfaces,
    sortedSurfaces: [...surfaces.keys()].sort(),
    surfacesByLength: groupByLength(surfaces.keys()),
    deprecated: tools.map((tool) => /\bdeprecated\b/i.test(`${toolTitle(tool) ?? ""} ${firstWords(tool.description)}`)),
  };
}

function groupByLength(words: Iterable<string>): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const word of words) {
    const list = out.get(word.length);
    if (list) list.push(word);
    else out.set(word.length, [word]);
  }
  return out;
}

function firstWords(text: string | undefined): string {
  return (text ?? "").slice(0, 200);
}

export { splitWords };
