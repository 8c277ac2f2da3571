import { describe, expect, it } from "vitest";
import { distanceLowerBound, editDistance, letterCounts, typoBudget } from "../../../src/core/discovery/fuzzy.js";
import { normalizeName, splitWords, stem, tokenize } from "../../../src/core/discovery/tokenize.js";

describe("splitWords", () => {
  it.each([
    ["list_directory_with_sizes", ["list", "directory", "with", "sizes"]],
    ["get-resource-links", ["get", "resource", "links"]],
    ["getFileInfo", ["get", "file", "info"]],
    ["excludePatterns", ["exclude", "patterns"]],
    ["HTTPServer2Go", ["http", "server2", "go"]],
    ["parseJSONSchema", ["parse", "json", "schema"]],
    ["filesystem/read_text_file", ["filesystem", "read", "text", "file"]],
    ["  Read a [FILE]!  ", ["read", "a", "file"]],
    ["", []],
  ])("%j → %j", (input, expected) => {
    expect(splitWords(input)).toEqual(expected);
  });
});

describe("stem", () => {
  it.each([
    ["files", "fil"],
    ["file", "fil"],
    ["directories", "directory"],
    ["directory", "directory"],
    ["entities", "entity"],
    ["searches", "search"],
    ["reading", "read"],
    ["writing", "writ"],
    ["write", "writ"],
    ["deleted", "delet"],
    ["running", "run"],
    ["process", "process"],
    ["status", "status"],
    ["get", "get"],
    ["utf8", "utf8"],
  ])("%s → %s", (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});

describe("tokenize and normalizeName", () => {
  it("drops stopwords and stems", () => {
    expect(tokenize("Read the contents of multiple files")).toEqual(["read", "content", "multipl", "fil"]);
  });
  it("normalises names to snake case", () => {
    expect(normalizeName("Get-File Info")).toBe("get_file_info");
    expect(normalizeName("readTextFile")).toBe("read_text_file");
  });
});

describe("editDistance", () => {
  it.each([
    ["read", "read", 0],
    ["raed", "read", 1],
    ["fiel", "file", 1],
    ["dirctory", "directory", 1],
    ["kitten", "sitting", 3],
    ["", "abc", 3],
    ["abc", "", 3],
  ])("%s ~ %s = %i", (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });
  it("stops early past the maximum", () => {
    expect(editDistance("abcdefgh", "zzzzzzzz", 2)).toBe(3);
    expect(editDistance("a", "abcdef", 2)).toBe(3);
  });
  it("is never below the letter-count lower bound", () => {
    const pairs = [
      ["read_file", "raed_file"],
      ["list_directory", "lsit_dirctory"],
      ["get_sum", "get_smu"],
      ["abc", "xyz"],
      ["create_entities", "delete_relations"],
    ];
    for (const [a, b] of pairs) {
      expect(distanceLowerBound(letterCounts(a!), letterCounts(b!))).toBeLessThanOrEqual(editDistance(a!, b!));
    }
    expect(distanceLowerBound(letterCounts("abc"), letterCounts("xyz"))).toBe(3);
  });
  it("works on long words (grows its buffers)", () => {
    expect(editDistance("a".repeat(100), `${"a".repeat(99)}b`)).toBe(1);
  });
  it("allows more typos in longer words", () => {
    expect([3, 4, 5, 6, 12].map(typoBudget)).toEqual([0, 1, 1, 2, 2]);
  });
});
