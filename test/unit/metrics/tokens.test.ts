/** The run log's token counter gives exactly js-tiktoken's o200k_base counts, from the map and from the binary table. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { beforeAll, describe, expect, it } from "vitest";
import { O200K_PATTERN, isAscii, splitAscii } from "../../../src/core/metrics/asciiSplit.js";
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
  JSON.stringify({
    files: [
      { name: "report.pdf", size: 12_345 },
      { name: "ünïcödé.txt", size: 7 },
    ],
  }),
  "日本語のテキストと English mixed, 123456789 numbers.",
  "emoji 👩‍💻🚀 and\r\n\r\nnewlines\n\n\n   spaces   \t tabs",
  "<|endoftext|> is ordinary text here",
  // one piece just over MAX_PIECE_BYTES (4096), merged in slices (js-tiktoken merges it whole, in quadratic time)
  "x".repeat(4100),
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

  it("add up to the same count when a text is counted in slices, ASCII or not, interleaved with other texts", () => {
    const long = [
      JSON.stringify(corpus.map((item) => item.input)),
      JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ path: `src/f_${i}.ts`, size: i * 31 }))),
      TEXTS.join(" ").repeat(10),
    ];
    for (const text of long) {
      const expected = fromTable.count(text);
      let from = 0;
      let total = 0;
      let slices = 0;
      while (from < text.length) {
        // stops at its first question (every 256 pieces), and counts another text in between
        const { tokens, next } = fromTable.countFrom(text, from, () => true);
        expect(next).toBeGreaterThan(from);
        total += tokens;
        from = next;
        slices++;
        expect(fromTable.count("between the slices")).toBe(3);
      }
      expect(from).toBe(text.length);
      expect(slices).toBeGreaterThan(5);
      expect(total, text.slice(0, 40)).toBe(expected);
    }
    expect(fromTable.countFrom("abc", 3, () => true)).toEqual({ tokens: 0, next: 3 });
  });

  it("equal js-tiktoken's on long single pieces: few letters (many ties on a rank), letters outside ASCII", () => {
    let seed = 2024;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // Runs of letters are one piece each (the pattern's words): lowercase ASCII, and letters outside ASCII (the
    // pattern's path), in few letters (many equal pairs, so many ties on a rank) and in many.
    const word = (letters: string, length: number): string => {
      const chars = [...letters];
      return Array.from({ length }, () => chars[random(chars.length)]).join("");
    };
    const pieces = [
      ...[46, 47, 48, 49, 50, 64].map((length) => word("ab", length)),
      ...[49, 120, 333, 700].map((length) => word("abcdefghijklmnopqrstuvwxyz", length)),
      ...[49, 200, 500].map((length) => word("xy", length)),
      ...[60, 250].map((length) => word("éàüßøñ", length)),
      ...[80, 300].map((length) => word("abcdéfghïjklmnöpqrstüvwxyz", length)),
      "ab".repeat(300),
      "abc".repeat(200),
      "z".repeat(49),
    ];
    for (const piece of pieces) {
      const expected = reference.encode(piece, [], []).length;
      expect(counter.count(piece), piece.slice(0, 40)).toBe(expected);
      expect(fromTable.count(piece), piece.slice(0, 40)).toBe(expected);
    }
  });

  it("stay within two tokens of js-tiktoken's for a piece just over 4 KB, merged in two parts", () => {
    // js-tiktoken merges a piece in quadratic time: these stay near the limit to keep the test fast.
    const pieces = ["abc".repeat(1400), "abcdefghij".repeat(420), "xy".repeat(2150), "x".repeat(4500)];
    const off = pieces.map((piece) => fromTable.count(piece) - reference.encode(piece, [], []).length);
    expect(
      off.every((diff) => Math.abs(diff) <= 2),
      off.join(" "),
    ).toBe(true);
    // As a review found it: 4,200 bytes in two parts count 1,401 where js-tiktoken says 1,400.
    expect(off[0]).toBe(1);
    expect(counter.count(pieces[0]!)).toBe(fromTable.count(pieces[0]!));
  });

  it("equal js-tiktoken's on every PII corpus input", () => {
    const theirs = corpus.map((item) => reference.encode(item.input, [], []).length);
    expect(corpus.map((item) => counter.count(item.input))).toEqual(theirs);
    expect(corpus.map((item) => fromTable.count(item.input))).toEqual(theirs);
  });

  it("finds every token of the table at its rank, and no byte string that is not one", () => {
    const decoded = decodeRankTable(table);
    const wrong: number[] = [];
    // Every (bytes, rank) pair, read back from the table's own layout through the same lookup a count makes.
    const count = table.readUInt32LE(4);
    const patternPadded = Math.ceil(table.readUInt32LE(8) / 4) * 4;
    const offsetsAt = 16 + patternPadded;
    const ranksAt = offsetsAt + 4 * (count + 1);
    const bytesAt = ranksAt + 4 * count;
    for (let i = 0; i < count; i += 1) {
      const start = bytesAt + table.readUInt32LE(offsetsAt + 4 * i);
      const end = bytesAt + table.readUInt32LE(offsetsAt + 4 * (i + 1));
      if (decoded?.table.rank(table, start, end) !== table.readUInt32LE(ranksAt + 4 * i)) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(count).toBeGreaterThan(199_000);
    // Byte strings that are no token: a lone byte of a multi-byte character, and an unlikely pair.
    expect(decoded?.table.rank(Buffer.from([0xff, 0xfe, 0xfd]), 0, 3)).toBeUndefined();
    expect(decoded?.table.rank(Buffer.from("zqxj\u0001"), 0, 5)).toBeUndefined();
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

  it("equal js-tiktoken's on ASCII JSON with repeated pieces, counted twice (the second time from known pieces)", () => {
    const text = JSON.stringify(
      Array.from({ length: 400 }, (_, i) => ({
        name: `src/dir${i % 7}/File_${i}.TS`,
        size: i * 37,
        "it's": "ALL'S well",
      })),
    );
    const expected = reference.encode(text, [], []).length;
    expect(fromTable.count(text)).toBe(expected);
    expect(fromTable.count(text)).toBe(expected);
    expect(counter.count(text)).toBe(expected);
  });

  it("loads the map once", async () => {
    expect(await loadTokenCounter()).toBe(counter);
  });
});

describe("the ASCII scanner", () => {
  const pieces = (text: string): string[] => {
    const out: string[] = [];
    splitAscii(text, (start, end) => out.push(text.slice(start, end)));
    return out;
  };
  const byPattern = (text: string): string[] => text.match(new RegExp(O200K_PATTERN, "gu")) ?? [];

  it("stands for js-tiktoken's o200k_base pattern", () => {
    expect(O200K_PATTERN).toBe(o200k.pat_str);
  });

  it("splits as the pattern does, piece for piece, on the texts above and the corpus", () => {
    const ascii = [...TEXTS, ...corpus.map((item) => item.input)].filter(isAscii);
    expect(ascii.length).toBeGreaterThan(20);
    for (const text of ascii) expect(pieces(text), text.slice(0, 40)).toEqual(byPattern(text));
  });

  it("splits as the pattern does on random ASCII heavy in the pattern's edge cases", () => {
    // Letters of both cases, the contractions' letters and quotes, digits, every kind of space, slashes, other marks.
    const alphabet = "aAsStTrReEvVlLmMdDxZ09'''  \t\r\n\v\f//-_.,:\"{}[]#\u0000\u007f";
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 3000; round++) {
      const length = 1 + random(40);
      let text = "";
      for (let i = 0; i < length; i++) text += alphabet[random(alphabet.length)];
      expect(pieces(text), JSON.stringify(text)).toEqual(byPattern(text));
    }
  });

  it("tells ASCII from other text", () => {
    expect(isAscii("plain {json: 1}\r\n")).toBe(true);
    expect(isAscii("naïve")).toBe(false);
    expect(isAscii("emoji 🚀")).toBe(false);
  });
});
