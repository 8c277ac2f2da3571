import { describe, expect, it } from "vitest";
import { flagPii, redactSecrets } from "../../../src/core/testing/redact.js";

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
