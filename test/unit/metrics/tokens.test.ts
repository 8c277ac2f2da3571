/** The run log's token counter gives exactly js-tiktoken's o200k_base counts. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTokenCounter, type TokenCounter } from "../../../src/core/metrics/tokens.js";

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
  "x".repeat(5000),
  "aGVsbG8gd29ybGQ=".repeat(300),
  "def run(input):\n    return {'count': len(input['items'])}\n",
  "Don't stop; we're here, they'll see. I'M LOUD. O'Neil's",
];

let counter: TokenCounter;
let reference: Tiktoken;

beforeAll(async () => {
  counter = await loadTokenCounter();
  reference = new Tiktoken(o200k);
}, 60_000);

describe("o200k_base token counts", () => {
  it("equal js-tiktoken's on mixed texts", () => {
    for (const text of TEXTS)
      expect(counter.count(text), text.slice(0, 40)).toBe(reference.encode(text, [], []).length);
  });

  it("equal js-tiktoken's on every PII corpus input", () => {
    const ours = corpus.map((item) => counter.count(item.input));
    const theirs = corpus.map((item) => reference.encode(item.input, [], []).length);
    expect(ours).toEqual(theirs);
  });

  it("loads the table once", async () => {
    expect(await loadTokenCounter()).toBe(counter);
  });
});
