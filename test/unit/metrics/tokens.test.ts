/** The run log's token counter gives exactly js-tiktoken's o200k_base counts, from the map and from the binary table. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeRankTable, encodeRankTable } from "../../../src/core/metrics/tokenTable.js";
import {
  createCounter,
  loadTiktokenRanks,
  loadTokenCounter,
  type TokenCounter,
} from "../../../src/core/metrics/tokens.js";

const corpus = JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/pii/corpus.json"), "utf8")) as {
  input: string;
}[];

const TEXTS = [
  "",
  "a",
  "hello world",
  JSON.stringify({ files: [{ name: "report.pdf", size: 12_345 }, { name: "ünïcödé.txt", size: 7 }] }),
  "日本語のテキストと English mixed, 123456789 numbers.",
  "emoji 👩‍💻🚀 and\r\n\r\nnewlines\n\n\n   spaces   \t tabs",
  "<|endoftext|> is ordinary text here",
  "x".repeat(5000),
  "aGVsbG8gd29ybGQ=".repeat(300),
  "def run(input):\n    return {'count': len(input['items'])}\n",
  "Don't stop; we're here, they'll see. I'M LOUD. O'Neil's",
];

let counter: TokenCounter;
let fromTable: TokenCounter;
let table: Buffer;
let reference: Tiktoken;

beforeAll(async () => {
  counter = await loadTokenCounter();
  table = encodeRankTable(await loadTiktokenRanks());
  const decoded = decodeRankTable(table);
  if (!decoded) throw new Error("the encoded table does not decode");
  fromTable = createCounter(decoded.table, decoded.pattern);
  reference = new Tiktoken(o200k);
}, 60_000);

describe("o200k_base token counts", () => {
  it("equal js-tiktoken's on mixed texts, from the map and from the binary table", () => {
    for (const text of TEXTS) {
      const expected = reference.encode(text, [], []).length;
      expect(counter.count(text), text.slice(0, 40)).toBe(expected);
      expect(fromTable.count(text), text.slice(0, 40)).toBe(expected);
    }
  });

  it("equal js-tiktoken's on every PII corpus input", () => {
    const theirs = corpus.map((item) => reference.encode(item.input, [], []).length);
    expect(corpus.map((item) => counter.count(item.input))).toEqual(theirs);
    expect(corpus.map((item) => fromTable.count(item.input))).toEqual(theirs);
  });

  it("refuses a table that is cut, padded or not one", () => {
    expect(decodeRankTable(table.subarray(0, table.length - 1))).toBeUndefined();
    expect(decodeRankTable(Buffer.concat([table, Buffer.from([0])]))).toBeUndefined();
    expect(decodeRankTable(Buffer.from("not a table at all"))).toBeUndefined();
    expect(decodeRankTable(Buffer.alloc(0))).toBeUndefined();
    // An unaligned copy (as a file read into a pooled buffer may be) still decodes.
    const shifted = Buffer.concat([Buffer.from([1]), table]).subarray(1);
    expect(decodeRankTable(shifted)?.table.rank(Buffer.from("hello"), 0, 5)).toBe(24912);
  });

  it("loads the map once", async () => {
    expect(await loadTokenCounter()).toBe(counter);
  });
});
