import { describe, expect, it } from "vitest";
import { TokenVault, policyFromManifest } from "../../../src/core/pii/index.js";
import { tokenizeJsonFast } from "../../../src/core/pii/json/fast.js";
import { RecordTemplates } from "../../../src/core/pii/json/recordTemplate.js";
import { tokenizeJsonTextFull } from "../../../src/core/pii/tokenize/json.js";
import { tokenizeString } from "../../../src/core/pii/tokenize/strings.js";
import type { PiiPolicy } from "../../../src/core/pii/types.js";

const policy = policyFromManifest();

/** The fast path with its own templates (to count their hits) next to the full reader, with the counts of both. */
function compare(text: string, p: PiiPolicy = policy) {
  const templates = new RecordTemplates(p);
  const fastCounts: string[] = [];
  const fastVault = new TokenVault();
  const fast = tokenizeJsonFast(
    text,
    p,
    (value, ctx) => tokenizeString(value, p, fastVault, (type) => fastCounts.push(type), ctx),
    templates,
  );
  const fullCounts: string[] = [];
  const full = tokenizeJsonTextFull(text, p, new TokenVault(), (type) => fullCounts.push(type));
  return { fast, full, fastCounts, fullCounts, hits: templates.hits };
}

let seed = 11;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join("");

/** Value makers: clean ones (ids, timestamps, enums, prices) and ones that hold PII or come close to it. */
const MAKERS: (() => unknown)[] = [
  () => Math.floor(rand() * 1e6),
  () => Number((rand() * 100).toFixed(2)),
  () => null,
  () => rand() < 0.5,
  () => pick(["red", "green", "yellow", "purple", "a:b", "::1", ":x"]),
  () => `item-${Math.floor(rand() * 1e5)}`,
  () => new Date(1.7e12 + rand() * 1e10).toISOString(),
  () => `user${Math.floor(rand() * 100)}@example.com`,
  () => `+1 415 555 ${digits(4)}`,
  () => pick(["4111 1111 1111 1111", "4111 1111 1111 1112"]),
  () => `10.0.0.${Math.floor(rand() * 255)}`,
  () => `call 415-555-${digits(4)} today`,
  () => `sk-${digits(8)}abcdefghijklmnopqrst`,
  () => "Lorem ipsum dolor sit amet",
  () => `41555${digits(5)}`,
  () => pick(["DE89370400440532013000", "DE89370400440532013001"]),
  () => `v${digits(1)}.${digits(1)}.${digits(2)}`,
  () => `ref-${digits(1 + Math.floor(rand() * 9))}`,
  () => `2024-01-0${1 + Math.floor(rand() * 9)}`,
  () => `caf\u00e9 ${digits(3)}`,
];
const KEYS = ["id", "name", "at", "note", "contact", "phone", "ref", "x", "token", "city", "n", "e-mail", "caf\u00e9"];

describe("record templates in the bridge's fast path", () => {
  it("give exactly what the full reader gives (text and counts) on 300 random documents of repeating records", () => {
    let hits = 0;
    let records = 0;
    for (let doc = 0; doc < 300; doc++) {
      const keys = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 6) }, () => pick(KEYS)))];
      const makers = keys.map(() => pick(MAKERS));
      const rows = Array.from({ length: 1 + Math.floor(rand() * 200) }, () => {
        const row: Record<string, unknown> = {};
        keys.forEach((key, i) => {
          // mostly the field's own kind of value; now and then another kind, or a nested value
          const r = rand();
          row[key] = r < 0.93 ? makers[i]!() : r < 0.97 ? pick(MAKERS)() : { nested: pick(MAKERS)() };
        });
        return row;
      });
      records += rows.length * 2;
      const value = rand() < 0.5 ? rows : { result: rows, total: rows.length };
      for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2)]) {
        const r = compare(text);
        expect({ doc, out: r.fast, counts: r.fastCounts }).toEqual({ doc, out: r.full, counts: r.fullCounts });
        hits += r.hits;
      }
    }
    // the templates did take part: thousands of records were proven clean by a regex match alone
    expect(hits).toBeGreaterThan(1_000);
    expect(hits).toBeLessThan(records);
  });

  it("skip all but the first records of the 10,000-item catalogue and hand back the same text", () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      id: i,
      name: `item-${i}`,
      category: ["books", "games", "garden", "sports"][i % 4],
      price: Math.round((i * 7919) % 10_000) / 100,
      updated: new Date(1_700_000_000_000 + i * 60_000).toISOString(),
    }));
    for (const text of [JSON.stringify(items), JSON.stringify({ items }, null, 2)]) {
      const r = compare(text);
      expect(r.fast).toBe(text);
      expect(r.full).toBe(text);
      expect(r.hits).toBeGreaterThan(9_980);
    }
  });

  it("do not let PII through in a record that follows thousands of clean ones", () => {
    const rows: Record<string, unknown>[] = Array.from({ length: 2_000 }, (_, i) => ({
      id: i,
      contact: `user-${i % 10}-example`,
      note: `on 2024-05-${String(1 + (i % 28)).padStart(2, "0")}`,
      code: `AB-${i % 10}`,
    }));
    rows.push({ id: 2_000, contact: "ada@example.com", note: "on 2024-05-01", code: "AB-1" });
    rows.push({ id: 2_001, contact: "user-1-example", note: "call +1 415 555 2671", code: "AB-1" });
    rows.push({ id: 2_002, contact: "user-1-example", note: "on 2024-05-01", code: "4111111111111111" });
    rows.push({ id: 4155552671, contact: "user-1-example", note: "on 2024-05-01", code: "AB-1" });
    const text = JSON.stringify(rows);
    const r = compare(text);
    expect(r.fast).toBe(r.full);
    expect(r.fastCounts).toEqual(r.fullCounts);
    expect(r.hits).toBeGreaterThan(1_990);
    const out = JSON.parse(r.fast!) as Record<string, unknown>[];
    expect(out[2_000]!.contact).toBe("[EMAIL_1]");
    expect(out[2_001]!.note).toBe("call [PHONE_1]");
    expect(out[2_002]!.code).toBe("[CREDIT_CARD_1]");
    // a number under a field without a phone / card / ssn name is left alone, with or without templates
    expect(out[2_003]!.id).toBe(4155552671);
  });

  it("check a field whose values keep changing shape at match time, value by value", () => {
    // more shapes than a template keeps per field: the field takes any string, and each is checked by the gate
    const words = [
      "alpha",
      "bravo-1",
      "charlie-22",
      "delta-333",
      "echo-4444",
      "fox trot",
      "golf 1",
      "hotel",
      "india-x",
    ];
    const rows = Array.from({ length: 500 }, (_, i) => ({
      id: i,
      label: `${words[i % words.length]} ${"z".repeat(i % 7)}`,
    }));
    rows.push({ id: 500, label: "mail bob@example.org now" });
    rows.push({ id: 501, label: "alpha" });
    const r = compare(JSON.stringify(rows));
    expect(r.fast).toBe(r.full);
    expect(r.hits).toBeGreaterThan(400);
    expect((JSON.parse(r.fast!) as { label: string }[])[500]!.label).toBe("mail [EMAIL_1] now");
  });

  it("are not used for fields named like personal data, and those values are tokenized", () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: i, phone: 4155550000 + i, email_address: `u${i}-x` }));
    const r = compare(JSON.stringify(rows));
    expect(r.hits).toBe(0);
    expect(r.fast).toBe(r.full);
    expect((JSON.parse(r.fast!) as { phone: unknown }[])[299]!.phone).toBe("[PHONE_300]");
  });

  it("are not used with custom patterns, which must run over every string", () => {
    const custom = policyFromManifest({ patterns: [{ name: "order", regex: "ORD-\\d{4}" }] });
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: i, ref: `ORD-${1000 + i}`, short: "ok" }));
    const r = compare(JSON.stringify(rows), custom);
    expect(r.hits).toBe(0);
    expect(r.fast).toBe(r.full);
    expect((JSON.parse(r.fast!) as { ref: string }[])[299]!.ref).toBe("[ORDER_300]");
  });

  it("take long values as any string, and leave very long records to the walker", () => {
    const long = "AB-1 ".repeat(60); // 300 characters that no detector can match
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: i, blob: `${long}${i % 10}` }));
    rows.push({ id: 100, blob: `${long} ada@example.com` });
    const r = compare(JSON.stringify(rows));
    expect(r.fast).toBe(r.full);
    expect(r.hits).toBeGreaterThan(90);
    expect((JSON.parse(r.fast!) as { blob: string }[])[100]!.blob).toBe(`${long} [EMAIL_1]`);

    const huge = Array.from({ length: 20 }, (_, i) => ({ id: i, blob: `${"AB-1 ".repeat(4_000)}${i % 10}` }));
    const h = compare(JSON.stringify(huge));
    expect(h.fast).toBe(JSON.stringify(huge));
    expect(h.hits).toBe(0);
  });

  it("leave records with escapes, nesting or odd spacing to the walker, which still gets them right", () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({
      id: i,
      text: i % 3 === 0 ? `line\n${i} "quoted" ada${i}\u0040example.com` : `plain-${i}`,
      ...(i % 5 === 0 ? { meta: { tel: `+44 20 7946 ${String(1000 + i)}` } } : {}),
    }));
    const compact = JSON.stringify(rows);
    const spaced = compact.replace(/,"/g, (m, offset: number) => (offset % 3 === 0 ? ' , "' : m));
    for (const text of [compact, spaced]) {
      const r = compare(text);
      expect(r.fast).toBe(r.full);
      expect(r.fastCounts).toEqual(r.fullCounts);
      expect(r.fast).toContain("[EMAIL_67]");
    }
  });
});

describe("RecordTemplates", () => {
  it("matches a record of a learned shape from its '{' to just past its '}', and nothing else", () => {
    const templates = new RecordTemplates(policy);
    const text =
      '[{"id":1,"at":"2024-01-01T10:00:00Z","ok":true},{"id":22,"at":"2025-12-31T23:59:59Z","ok":true},{"id":3,"at":"2024-01-01","ok":true}]';
    const second = text.indexOf("{", 2);
    const third = text.indexOf("{", second + 1);
    expect(templates.match(text, second, 2)).toBe(-1); // nothing learned yet
    templates.learn(text, 1, second - 1, 2);
    expect(templates.match(text, second, 2)).toBe(third - 1);
    expect(templates.match(text, third, 2)).toBe(-1); // another shape of "at"
    expect(templates.match(text, second, 3)).toBe(-1); // templates belong to one depth
  });

  it("does not learn from records it cannot stand for", () => {
    const cases = [
      '{"phone":"x-1"}', // a key with a hint
      '{"a":"x\\"y"}', // an escape
      '{"a":{"b":1}}', // nesting
      '{"a":1,}', // a trailing comma
      "{}", // no fields
      '{"bob@example.com":1}', // a key that is PII itself
    ];
    for (const record of cases) {
      const templates = new RecordTemplates(policy);
      const text = `${record}${record}`;
      templates.learn(text, 0, record.length, 1);
      expect({ record, end: templates.match(text, record.length, 1) }).toEqual({ record, end: -1 });
    }
  });

  it("stops trying at a depth where records rarely match", () => {
    const templates = new RecordTemplates(policy);
    const a = '{"v":"alpha-1"}';
    const b = '{"v":"beta-22"}';
    templates.learn(a, 0, a.length, 1);
    for (let i = 0; i < 40; i++) expect(templates.match(b, 0, 1)).toBe(-1);
    expect(templates.match(a, 0, 1)).toBe(-1); // off now, even for a record that would match
  });
});
