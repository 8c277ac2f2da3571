import { describe, expect, it } from "vitest";
import { cassettePiiWarnings } from "../../../src/commands/test/runCase.js";
import { flagPii, maskPiiInPointer, redactSecrets } from "../../../src/core/testing/redact.js";
import { CASSETTE_VERSION } from "../../../src/core/testing/types.js";

describe("redactSecrets", () => {
  it("replaces values equal to configured secrets, and inside longer strings", () => {
    const secret = "s3cr3t-token-value";
    const { value, redactions } = redactSecrets(
      { args: { key: secret }, text: `Authorization used ${secret} today`, short: "abc" },
      { secrets: [secret, "abc"] },
    );
    expect(JSON.stringify(value)).not.toContain(secret);
    expect(value.args.key).toBe("[REDACTED:config]");
    expect(value.text).toBe("Authorization used [REDACTED:config] today");
    expect(value.short).toBe("abc");
    expect(redactions.map((r) => r.pointer).sort()).toEqual(["/args/key", "/text"]);
  });

  it("replaces short secrets only on an exact match", () => {
    const { value } = redactSecrets({ a: "pin1", b: "pin1234" }, { secrets: ["pin1"] });
    expect(value).toEqual({ a: "[REDACTED:config]", b: "pin1234" });
  });

  it.each([
    ["AKIAIOSFODNN7EXAMPLE", "aws-access-key"],
    [`ghp_${"a".repeat(36)}`, "github-token"],
    ["xoxb-1234567890-abcdefghij", "slack-token"],
    [`sk-${"A1b2".repeat(8)}`, "openai-key"],
    [`AIza${"x".repeat(35)}`, "google-api-key"],
    [`sk_live_${"a1".repeat(10)}`, "stripe-key"],
    ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "jwt"],
    ["Bearer abcdefghijklmnop1234", "bearer"],
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "private-key"],
  ])("replaces the well-known shape %s", (secret, reason) => {
    const { value, redactions } = redactSecrets({ text: `value: ${secret} end` });
    expect(value.text).not.toContain(secret);
    expect(value.text).toContain(`[REDACTED:${reason}]`);
    expect(redactions[0]?.reason).toContain(reason);
  });

  it("replaces values under secret-named keys", () => {
    const { value } = redactSecrets({ headers: { Authorization: "xyz", accept: "json" }, password: "hunter2" });
    expect(value).toEqual({ headers: { Authorization: "[REDACTED:key]", accept: "json" }, password: "[REDACTED:key]" });
  });

  it("leaves ordinary data alone", () => {
    const data = { path: "/tmp/a.txt", version: "1.2.3", id: "4f9c2a1e-0000-4000-8000-000000000000", n: 12 };
    expect(redactSecrets(data, { secrets: [] })).toEqual({ value: data, redactions: [] });
  });
});

describe("flagPii", () => {
  it("flags types and pointers, never values", () => {
    const flags = flagPii({
      a: "mail me at jane.doe@example.com",
      b: ["call +1 415 555 0100"],
      c: "card 4111 1111 1111 1111",
      d: "ssn 123-45-6789",
      e: "from 10.1.2.3",
    });
    expect(flags).toEqual([
      { pointer: "/a", type: "email" },
      { pointer: "/b/0", type: "phone" },
      { pointer: "/c", type: "credit_card" },
      { pointer: "/d", type: "ssn" },
      { pointer: "/e", type: "ip" },
    ]);
  });

  it.each(["build 1.2.3.4.5", "order 1234 5678 9012 3456", "127.0.0.1", "v999.1.1.1", "2024-01-02T03:04:05Z"])(
    "does not flag %s",
    (text) => {
      expect(flagPii({ text })).toEqual([]);
    },
  );
});

describe("keys that hold personal data", () => {
  const mask = (v: string) => `<${v.length}>`;

  it("flags a key that looks like personal data at its own pointer, then what is under it", () => {
    const flags = flagPii({ result: { "ada@example.com": { phone: "+1 415 555 2671", plan: "pro" }, ok: "yes" } });
    expect(flags).toEqual([
      { pointer: "/result/ada@example.com", type: "email" },
      { pointer: "/result/ada@example.com/phone", type: "phone" },
    ]);
    expect(flagPii({ "user 10.1.2.3 / ada@example.com": 1 })).toEqual([
      { pointer: "/user 10.1.2.3 ~1 ada@example.com", type: "email" },
      { pointer: "/user 10.1.2.3 ~1 ada@example.com", type: "ip" },
    ]);
    expect(flagPii({ "v1.2.3": "x", "2024-01-02": "y", "127.0.0.1": "z" })).toEqual([]);
  });

  it("masks in a pointer what looks like personal data, and only that", () => {
    expect(maskPiiInPointer("/calls/0/result/structuredContent/ada@example.com/phone", mask)).toBe(
      "/calls/0/result/structuredContent/<15>/phone",
    );
    // the rest of a segment stays readable; escapes (~0 ~1) survive
    expect(maskPiiInPointer("/by~1mail/to ada@example.com~0x/0", mask)).toBe("/by~1mail/to <15>~0x/0");
    // a masked value with a slash is escaped again, so the pointer keeps its segments
    expect(maskPiiInPointer("/ada@example.com", () => "a/b")).toBe("/a~1b");
    // overlapping shapes (a card number also read as a phone) are masked as one
    expect(maskPiiInPointer("/4111 1111 1111 1111", mask)).toBe("/<19>");
    expect(maskPiiInPointer("/a/10.1.2.3 and 078-05-1120", mask)).toBe("/a/<8> and <11>");
    expect(maskPiiInPointer("/calls/0/result/content/0/text", mask)).toBe("/calls/0/result/content/0/text");
    expect(maskPiiInPointer("", mask)).toBe("");
  });

  it("CASSETTE_PII warnings show such keys masked, in the message and the pointer", () => {
    const cassette = {
      version: CASSETTE_VERSION,
      recordedAt: "2026-01-01T00:00:00.000Z",
      servers: {},
      tools: [],
      calls: [],
      pii: flagPii(
        [
          {
            result: {
              structuredContent: { "ada@example.com": { phone: "+1 415 555 2671" } },
              text: "call 415-555-2671",
            },
          },
        ],
        "/calls",
      ),
    };
    const warnings = cassettePiiWarnings(cassette, "skills/keyed/cassettes/basic.json");
    expect(JSON.stringify(warnings)).not.toContain("ada@example.com");
    expect(warnings.map((w) => [w.severity, w.code, w.message, w.pointer])).toEqual([
      [
        "warning",
        "CASSETTE_PII",
        "looks like personal data (email) at /calls/0/result/structuredContent/a•••••••••••••m",
        "/calls/0/result/structuredContent/a•••••••••••••m",
      ],
      [
        "warning",
        "CASSETTE_PII",
        "looks like personal data (phone) at /calls/0/result/structuredContent/a•••••••••••••m/phone",
        "/calls/0/result/structuredContent/a•••••••••••••m/phone",
      ],
      ["warning", "CASSETTE_PII", "looks like personal data (phone) at /calls/0/result/text", "/calls/0/result/text"],
    ]);
    expect(warnings[0]).toMatchObject({ file: "skills/keyed/cassettes/basic.json", line: 1, column: 1 });
    expect(warnings[0]?.hint).toContain("before committing");
    expect(cassettePiiWarnings({ ...cassette, pii: undefined }, "x.json")).toEqual([]);
  });
});
