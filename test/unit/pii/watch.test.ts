import { describe, expect, it } from "vitest";
import { TokenVault } from "../../../src/core/pii/index.js";
import { WatchIndex, insideSpans, spellings } from "../../../src/core/pii/vault/watch.js";

function entries(values: string[]) {
  const vault = new TokenVault();
  for (const value of values) vault.tokenFor("secret", value);
  return [...vault.entries()];
}

/** Every occurrence by brute force, for comparison. */
function brute(text: string, values: string[]) {
  const out: string[] = [];
  for (const value of values) {
    for (const needle of spellings(value)) {
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) out.push(`${at}:${needle}`);
    }
  }
  return out.sort();
}

describe("WatchIndex", () => {
  it("finds every occurrence, overlapping ones too, with few values (indexOf) and with many (rolling hash)", () => {
    let seed = 5;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const alphabet = 'ab1-\u00e4"/\\x';
    const word = (n: number) =>
      Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
    for (const count of [3, 10, 40, 400]) {
      const values = [...new Set(Array.from({ length: count }, () => word(6 + Math.floor(rand() * 40))))];
      const index = new WatchIndex(entries(values));
      for (let t = 0; t < 20; t++) {
        const text = Array.from({ length: 30 }, () =>
          rand() < 0.3 ? spellings(values[Math.floor(rand() * values.length)]!)[Math.floor(rand() * 3)] : word(5),
        ).join(rand() < 0.5 ? "" : " ");
        const found = index.find(text).map((o) => `${o.start}:${text.slice(o.start, o.end)}`);
        expect({ count, t, found: found.sort() }).toEqual({ count, t, found: brute(text, values) });
      }
    }
  });

  it("finds a repeating value where the first match overlaps the one that counts", () => {
    const index = new WatchIndex(entries(["x1-x1-x1"]));
    expect(index.find("9x1-x1-x1-x1").map((o) => o.start)).toEqual([1, 4]);
  });

  it("looks for a value as JSON spells it: escaped once and twice, with \\/, with \\u escapes", () => {
    expect(spellings('Tr0ub"4/d\u00e4')).toEqual([
      'Tr0ub"4/d\u00e4',
      'Tr0ub\\"4/d\u00e4',
      'Tr0ub\\\\\\"4/d\u00e4',
      'Tr0ub\\"4\\/d\u00e4',
      'Tr0ub\\"4/d\\u00e4',
      'Tr0ub\\"4/d\\u00E4',
    ]);
  });

  it("keeps one scan per window length, however many lengths the values have", () => {
    const values = Array.from({ length: 1000 }, (_, i) => `v${"k".repeat(i % 300)}-${i}`);
    const index = new WatchIndex(entries(values));
    const text = `noise ${values[123]} more ${values[999]} end`;
    // values[99] is the start of values[999]: it is present too
    expect(
      index
        .present(text)
        .map((e) => e.value)
        .sort(),
    ).toEqual([values[123], values[99], values[999]].sort());
    expect((index as unknown as { groups: unknown[] }).groups.length).toBeLessThanOrEqual(13);
  });

  it("tells whether a span overlaps one of the token spans", () => {
    const spans: [number, number][] = [
      [2, 5],
      [10, 20],
    ];
    expect(insideSpans(spans, 0, 2)).toBe(false);
    expect(insideSpans(spans, 4, 6)).toBe(true);
    expect(insideSpans(spans, 5, 10)).toBe(false);
    expect(insideSpans(spans, 19, 25)).toBe(true);
    expect(insideSpans([], 0, 5)).toBe(false);
  });
});
