import { describe, expect, it } from "vitest";
import { TokenVault, createPiiInterceptor, policyFromManifest } from "../../../src/core/pii/index.js";
import { tokenizeJsonFast } from "../../../src/core/pii/json/fast.js";
import { tokenizeJsonTextFull } from "../../../src/core/pii/tokenize/json.js";
import { tokenizeString } from "../../../src/core/pii/tokenize/strings.js";
import { loadCorpus } from "./corpusEval.js";

const policy = policyFromManifest();

function both(text: string) {
  const fastVault = new TokenVault();
  const fast = tokenizeJsonFast(text, policy, (value, ctx) => tokenizeString(value, policy, fastVault, () => {}, ctx));
  const full = tokenizeJsonTextFull(text, policy, new TokenVault(), () => {});
  return { fast, full };
}

describe("tokenizeJsonFast (the bridge's fast path)", () => {
  it("gives exactly what the full reader gives on every JSON case of the corpus, compact and pretty", () => {
    const cases = loadCorpus().filter((c) => c.format === "json");
    expect(cases.length).toBeGreaterThan(150);
    for (const c of cases) {
      for (const text of [c.input, JSON.stringify(JSON.parse(c.input), null, 2)]) {
        const { fast, full } = both(text);
        expect({ id: c.id, out: fast }).toEqual({ id: c.id, out: full });
      }
    }
  });

  it("gives what the full reader gives on records that repeat keys and value shapes, with PII among them", () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({
      id: `id-${1000 + i}`,
      at: new Date(1_700_000_000_000 + i * 61_000).toISOString(),
      note: i % 7 === 0 ? `call 415-555-${String(1000 + i)}` : `ref 415-555-${String(1000 + i)}x`,
      contact: i % 5 === 0 ? `user${i}@example.com` : `user${i}-example-com`,
      ...(i % 11 === 0 ? { phone: String(4155550000 + i) } : {}),
    }));
    for (const text of [JSON.stringify(rows), JSON.stringify(rows, null, 1)]) {
      const { fast, full } = both(text);
      expect(fast).toBe(full);
      expect(fast).toContain("[EMAIL_60]");
    }
  });

  it("follows nesting for field context: array items take the array's field, also after nested objects", () => {
    const text = JSON.stringify({
      phones: ["4155552671", ["2125550147"]],
      rows: [{ id: "4155552671" }, "4155552671"],
      contact: { phone: 14155552671, n: -14155552671, x: 1.5e10 },
      "alice@example.com": true,
      nested: [[{ tel: "0201234567" }], null, false],
    });
    const { fast, full } = both(text);
    expect(fast).toBe(full);
    expect(JSON.parse(fast!)).toEqual({
      phones: ["[PHONE_1]", ["[PHONE_2]"]],
      // not phones by themselves (an id field, an array under "rows"), but values this run already tokenized
      rows: [{ id: "[PHONE_1]" }, "[PHONE_1]"],
      contact: { phone: "[PHONE_3]", n: -14155552671, x: 1.5e10 },
      "[EMAIL_1]": true,
      nested: [[{ tel: "[PHONE_4]" }], null, false],
    });
  });

  it("decodes escaped strings and keys", () => {
    const text = '{"k\\u0065y": "mail \\"bob@example.com\\"", "e\\"mail": "x\\/y"}';
    const { fast, full } = both(text);
    expect(fast).toBe(full);
    expect(JSON.parse(fast!)).toEqual({ key: 'mail "[EMAIL_1]"', 'e"mail': "x/y" });
  });

  it.each([
    '{"a": 1} trailing words',
    '{"a": nope}',
    '{"a": "x"',
    '{"a": "x"}}',
    '["unterminated',
    '{"a": "\\q"}',
    '{"\\q": 1}',
    '{ a: "alice@example.com" }',
  ])("gives up on %j (the full reader decides)", (text) => {
    expect(tokenizeJsonFast(text, policy, () => undefined)).toBeUndefined();
  });

  it("is not used when the policy has ignore rules", () => {
    const ignoring = policyFromManifest({ ignore_fields: ["note"] });
    expect(tokenizeJsonFast('{"a": 1}', ignoring, () => undefined)).toBeUndefined();
  });

  it("counts each value once when it gives up and the text is read again", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    const result = pii.afterCall("s", "t", { content: [{ type: "text", text: '["alice@example.com", oops]' }] }) as {
      content: { text: string }[];
    };
    expect(result.content[0]?.text).toBe('["[EMAIL_1]", oops]');
    expect(pii.audit().types.email).toEqual({ values: 1, tokenized: 1, restored: 0, scrubbed: 0 });
  });
});

describe("tokenizeJsonFast refuses what is not JSON, so it is read as text", () => {
  const fast = (text: string) => tokenizeJsonFast(text, policy, () => undefined);

  it("gives up on text that only starts like JSON", () => {
    for (const text of [
      '"Alice Smith",415-555-2671,"NY"',
      '"Alice Smith" "NY"',
      "[415-555-2671]",
      '{"note": 10.20.30.40}',
      '"card" 4111-1111-1111-1111',
      '{"a": 1]',
      "[1}",
      '{"a": 01}',
      '{"a": 1.}',
      '{"a": 1e}',
      "[1] [2]",
      "1 2",
      '{"phone" "5550100"}',
      '["ssn":"078051120"]',
      '["phone": 5550100]',
      "{1:2}",
      '{"a":1 "b":2}',
      '{{"a":1}}',
    ]) {
      expect({ text, out: fast(text) }).toEqual({ text, out: undefined });
    }
  });

  it("reads what is JSON", () => {
    for (const text of ['"x"', "[1, -0.5, 2e-3, 1E+9]", ' {"a": [true, false, null]} \n', "0", "-12"]) {
      expect(fast(text)).toBe(text);
    }
  });

  it("hands malformed JSON with a label to the plain-text reader, where the label counts", () => {
    const pii = createPiiInterceptor(policy);
    for (const text of ['{"phone" "5550100"}', '["ssn":"078051120"]']) {
      const out = (pii.afterCall("s", "t", { content: [{ type: "text", text }] }) as { content: { text: string }[] })
        .content[0]!.text;
      expect(out).not.toMatch(/5550100|078051120/);
    }
  });

  it("hands such text to the plain-text reader in the bridge, where the phone is found", () => {
    const pii = createPiiInterceptor(policy);
    const result = pii.afterCall("s", "t", { content: [{ type: "text", text: '"Alice Smith",415-555-2671,"NY"' }] });
    expect(result).toEqual({ content: [{ type: "text", text: '"Alice Smith",[PHONE_1],"NY"' }] });
  });

  it("does not let a clean value under one key vouch for a same-shaped value under a key with a hint", () => {
    for (const text of [
      '[{"note":"555-0100"},{"phone":"555-0199"}]',
      '{"a":{"note":"hunter22"},"b":{"pin":"hunter22"}}',
      '[{"note":"abc12345"},{"password":"abc99999"}]',
      '[{"account":"1048576","phone":"5550100"},{"phone":"5550199"}]',
    ]) {
      const { fast: f, full } = both(text);
      expect({ text, out: f }).toEqual({ text, out: full });
      expect(f).not.toBe(text);
    }
  });
});
