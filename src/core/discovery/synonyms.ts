/**
 * Query-side synonyms: words people use for what tool descriptions call something else. Each group is
 * symmetric; expansions score lower than the words typed. Stemmed forms are looked up.
 */
import { stem } from "./tokenize.js";

const GROUPS: string[][] = [
  ["directory", "folder", "dir", "directories", "folders"],
  ["file", "document", "doc"],
  ["delete", "remove", "erase", "destroy", "drop", "rm", "unlink"],
  ["create", "make", "new", "mkdir", "insert", "generate"],
  ["move", "rename", "mv", "relocate"],
  ["read", "open", "view", "load", "cat", "fetch"],
  ["write", "save", "store", "overwrite", "persist"],
  ["edit", "modify", "change", "update", "patch", "replace"],
  ["list", "ls", "enumerate", "show", "listing"],
  ["search", "find", "lookup", "look", "query", "locate", "grep", "match"],
  ["info", "metadata", "stat", "stats", "detail", "details", "attribute", "properties"],
  ["size", "bytes", "big", "large", "biggest", "largest"],
  ["tree", "hierarchy", "recursive", "nested"],
  ["image", "picture", "photo", "png", "logo", "icon"],
  ["environment", "env", "variables", "config", "configuration"],
  ["sum", "add", "addition", "plus", "total", "calculate", "arithmetic"],
  ["compress", "gzip", "zip", "deflate", "archive"],
  ["entity", "node", "person", "thing"],
  ["observation", "fact", "note", "memory", "remember"],
  ["relation", "relationship", "link", "connection", "edge"],
  ["graph", "knowledge"],
  ["echo", "repeat", "mirror"],
  ["log", "logging", "logs"],
  ["long", "slow", "progress", "duration"],
  ["research", "investigate", "study"],
  ["allowed", "permitted", "accessible", "access"],
  ["media", "audio", "binary", "base64"],
  ["multiple", "many", "several", "batch", "bulk"],
  ["resource", "resources", "uri"],
  ["annotation", "annotated", "annotations"],
  ["structured", "json", "schema"],
  ["text", "utf8", "string", "plain"],
  ["toggle", "enable", "disable", "switch"],
  ["head", "first", "beginning", "top"],
  ["tail", "last", "end"],
];

const TABLE = new Map<string, Set<string>>();
for (const group of GROUPS) {
  const stems = group.map(stem);
  for (const term of stems) {
    const set = TABLE.get(term) ?? new Set<string>();
    for (const other of stems) if (other !== term) set.add(other);
    TABLE.set(term, set);
  }
}

/** Stemmed synonyms of a stemmed term. */
export function synonymsOf(term: string): string[] {
  return [...(TABLE.get(term) ?? [])];
}
