import { describe, expect, it } from "vitest";
import {
  createPiiInterceptor,
  detectInString,
  keyContext,
  keyWords,
  policyFromManifest,
  resolveOverlaps,
} from "../../../src/core/pii/index.js";

const policy = policyFromManifest();
const found = (text: string, key?: string) =>
  detectInString(text, policy, keyContext(key)).map((m) => [m.type, text.slice(m.start, m.end)]);

describe("detectors", () => {
  it.each([
    ["mail alice.smith+tag@sub.example.co.uk now", [["email", "alice.smith+tag@sub.example.co.uk"]]],
    ["see logo@2x.png", []],
    ["npm i lodash@4.17.21", []],
    ["user@localhost", []],
    ["(415) 555-2671", [["phone", "(415) 555-2671"]]],
    ["+44 20 7946 0958", [["phone", "+44 20 7946 0958"]]],
    ["06 12 34 56 78", [["phone", "06 12 34 56 78"]]],
    ["v415.555.2671", []],
    ["123-456-7890", []], // NANP area codes never start with 1
    ["2024-01-15 10:30:00", []],
    ["1699999999", []],
    ["SSN 078-05-1120", [["ssn", "078-05-1120"]]],
    ["SSN 666-05-1120", []],
    ["4111 1111 1111 1111", [["credit_card", "4111 1111 1111 1111"]]],
    ["4111-1111 1111-1111", []], // mixed separators
    ["4111 1111 1111 1112", []], // fails Luhn
    ["1234 5678 1234 5670", []], // Luhn ok, no issuer
    ["from 10.1.2.3:8080", [["ip", "10.1.2.3"]]],
    ["v1.2.3.4 and 1.2.3.4.5", []],
    ["release 4.0.0.1", []],
    // A zone id is part of the address.
    ["fe80::1ff:fe23:4567:890a%eth0", [["ip", "fe80::1ff:fe23:4567:890a%eth0"]]],
    ["ping fe80::1%eth0.", [["ip", "fe80::1%eth0"]]],
    ["http://[fe80::1%25en0]:8080/", [["ip", "fe80::1%25en0"]]],
    ["route fe80::a:b%3 up", [["ip", "fe80::a:b%3"]]],
    ["fe80::1%wlan0.100, next", [["ip", "fe80::1%wlan0.100"]]],
    ["fe80::1% of hosts", [["ip", "fe80::1"]]],
    ["50% of 2001:db8::7 and 10%eth0", [["ip", "2001:db8::7"]]],
    ["MAC 00:1A:2B:3C:4D:5E at 12:30:45", []],
    ["DE89 3704 0044 0532 0130 00 ok", [["iban", "DE89 3704 0044 0532 0130 00"]]],
    ["DE89 3704 0044 0532 0130 01", []],
    ["AKIAIOSFODNN7EXAMPLE", [["secret", "AKIAIOSFODNN7EXAMPLE"]]],
    ["xoxb-123456789012-abcdefABCDEF", [["secret", "xoxb-123456789012-abcdefABCDEF"]]],
    ["Authorization: Bearer abc123def456ghi789", [["secret", "abc123def456ghi789"]]],
    ["Authorization: Bearer aaaaaaaaaaaaaaaaaaaa", []], // no entropy
    ["password: required", []],
    ["[EMAIL_1] wrote to [PHONE_2]", []],
    // Labels and values in quotes: Python dict reprs, JSON inside a log line, key='value'.
    ["{'phone': '4155552671'}", [["phone", "4155552671"]]],
    ['saved "phone": "4155552671", ok', [["phone", "4155552671"]]],
    ["phone='4155552671'", [["phone", "4155552671"]]],
    [
      "{'home_phone': '415 555 2671', 'phoneNumber': '4155552671'}",
      [
        ["phone", "415 555 2671"],
        ["phone", "4155552671"],
      ],
    ],
    ["{'microphone': '4155552671', 'phone_count': '4155552671', 'phone_id': '4155552671'}", []],
    ["{'ssn': '078051120'}", [["ssn", "078051120"]]],
    ['"user_ssn": "219 09 9999"', [["ssn", "219 09 9999"]]],
    ["{'ssn_last4': '6789', 'ssns': '078051120'}", []],
    ["{'password': 'correct horse battery staple'}", [["secret", "correct horse battery staple"]]],
    ["{'password': 'P@s5'}", [["secret", "P@s5"]]],
    ["{'password': 'not set', 'password_policy': 'at least 8 chars'}", []],
    ["{'api_key': 'a8Fk2LmQ9zX4vB7nR1tY'}", [["secret", "a8Fk2LmQ9zX4vB7nR1tY"]]],
  ])("%s", (text, expected) => expect(found(text)).toEqual(expected));

  it("reads a JWT only when its header decodes to JSON with alg", () => {
    const header = Buffer.from('{"alg":"HS256"}').toString("base64url");
    const jwt = `${header}.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl`;
    expect(found(`token ${jwt}`)).toEqual([["secret", jwt]]);
    const fake = `eyJub3RhbGciOjF9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl`;
    expect(found(fake)).toEqual([]);
  });

  it("uses the field name as context", () => {
    expect(found("4155552671", "phone")).toEqual([["phone", "4155552671"]]);
    expect(found("4155552671", "order_id")).toEqual([]);
    expect(found("123456789", "ssn")).toEqual([["ssn", "123456789"]]);
    expect(found("1.2.3.4", "version")).toEqual([]);
    expect(found("1.2.3.4", "client_ip")).toEqual([["ip", "1.2.3.4"]]);
    expect(found("hunter2!", "password")).toEqual([["secret", "hunter2!"]]);
    expect(found("********", "password")).toEqual([]);
    expect(found("a8F3k2LmQ9xR7tV1wZ4c", "apiKey")).toEqual([["secret", "a8F3k2LmQ9xR7tV1wZ4c"]]);
    expect(found("user.name", "key")).toEqual([]);
    expect(found("Bearer", "token_type")).toEqual([]);
    expect(found("de89 3704 0044 0532 0130 00", "iban")).toEqual([["iban", "de89 3704 0044 0532 0130 00"]]);
    expect(found("5105105105105100", "order_id")).toEqual([]);
    expect(found("5105105105105100", "card")).toEqual([["credit_card", "5105105105105100"]]);
  });

  it("splits keys into words", () => {
    expect(keyWords("clientIPAddress")).toEqual(["client", "ip", "address"]);
    expect(keyWords("hotel_name")).toEqual(["hotel", "name"]);
    expect(keyContext("hotel").hint).toBeUndefined();
    expect(keyContext("created_at").negative).toBe(true);
    expect(keyContext("public_key").hint).toBeUndefined();
  });

  it("splits a trailing number off a word, except in names whose digits belong to them", () => {
    expect(keyWords("tel2")).toEqual(["tel", "2"]);
    expect(keyWords("email2")).toEqual(["email", "2"]);
    expect(keyWords("homePhone2")).toEqual(["home", "phone", "2"]);
    expect(keyWords("api_key_2")).toEqual(["api", "key", "2"]);
    for (const word of ["ipv4", "ipv6", "x509", "sha256", "sha1", "md5", "s3", "utf8", "base64", "oauth2"]) {
      expect(keyWords(word)).toEqual([word]);
    }
    expect(keyWords("client_ipv4")).toEqual(["client", "ipv4"]);
    expect(keyWords("IPv4Address")).toEqual(["ipv4", "address"]);
    expect(keyWords("remoteIPv6")).toEqual(["remote", "ipv6"]);
    expect(keyWords("SHA256")).toEqual(["sha256"]);
    expect(keyWords("Tel2")).toEqual(["tel", "2"]);
    expect(keyWords("2fa")).toEqual(["2fa"]);
  });

  it.each([
    ["tel2", "phone"],
    ["mobile2", "phone"],
    ["fax2", "phone"],
    ["phone2", "phone"],
    ["email2", "email"],
    ["ssn2", "ssn"],
    ["card2", "credit_card"],
    ["pan2", "credit_card"],
    ["iban2", "iban"],
    ["ip2", "ip"],
    ["ipv4", "ip"],
    ["ipv6", "ip"],
    ["ipv4_2", "ip"],
    ["IPv4Address", "ip"],
    ["remoteIPv6", "ip"],
    ["password2", "secret"],
    ["apiKey2", "secret"],
    ["access_token_3", "secret"],
  ])("a numbered field keeps its context: %s -> %s", (key, hint) => {
    expect(keyContext(key).hint).toBe(hint);
  });

  it("numbered names that say 'not PII' stay negative, and names with digits of their own give no hint", () => {
    expect(keyContext("id2").negative).toBe(true);
    expect(keyContext("version2").negative).toBe(true);
    expect(keyContext("sha256").negative).toBe(true);
    expect(keyContext("md5").negative).toBe(true);
    for (const key of ["x509", "s3", "utf8", "base64", "oauth2", "item2", "2", "v2"]) {
      expect(keyContext(key)).toEqual({ negative: false });
    }
  });

  it("tokenizes numbered fields in a tool result", () => {
    const cases: [string, string][] = [
      ["tel2", "5550100"],
      ["mobile2", "5550100"],
      ["fax2", "5550100"],
      ["ssn2", "078051120"],
      ["card2", "9999123456789019"],
      ["pan2", "9999123456789019"],
      ["password2", "hunter2hunter"],
      ["iban2", "gb82west12345698765432"],
    ];
    for (const [key, value] of cases) {
      const interceptor = createPiiInterceptor(policyFromManifest());
      const result = interceptor.afterCall("s", "t", {
        content: [{ type: "text", text: JSON.stringify({ [key]: value }) }],
      });
      const text = (result.content as { text: string }[])[0]!.text;
      expect({ key, leaked: text.includes(value) }).toEqual({ key, leaked: false });
    }
    // hard negatives: the same values under numbered names that are not PII
    expect(found("5550100", "item2")).toEqual([]);
    expect(found("078051120", "id2")).toEqual([]);
    expect(found("9999123456789019", "ref2")).toEqual([]);
  });

  // Field names that describe a value rather than hold it; version suffixes; the last named type decides.
  const tokenizedJson = (obj: Record<string, unknown>) => {
    const interceptor = createPiiInterceptor(policyFromManifest());
    const result = interceptor.afterCall("s", "t", { content: [{ type: "text", text: JSON.stringify(obj) }] });
    return (result.content as { text: string }[])[0]!.text;
  };

  it.each([
    "password_policy",
    "password_updated_at",
    "passwordUpdatedAt",
    "password_reset_url",
    "password_reset",
    "password_length",
    "password_min_length",
    "min_password_length",
    "password_max",
    "password_strength",
    "password_expires",
    "password_expiry",
    "password_expired",
    "password_expiration_date",
    "password_changed",
    "password_created",
    "password_set",
    "password_required",
    "password_enabled",
    "password_rules",
    "password_requirements",
    "password_uri",
    "password_link",
    "password_time",
    "password_hint",
    "password_type",
    "secret_count",
    "pin_length",
    "passphrase_rule",
    "api_key_created_at",
    "apiKeyExpiresAt",
    "access_token_expires_at",
    "token_count",
    "client_secret_expires_at",
    "session_count",
    "auth_url",
    "public_key",
    "public_key_v2",
    "api_key_id",
    "AWS_ACCESS_KEY_ID",
    "token_id",
    "secret_name",
    "token_label",
    "refresh_token_expires_in",
    "api_key_version",
  ])("a name that describes a secret gives no secret hint: %s", (key) => {
    expect(keyContext(key).hint).toBeUndefined();
  });

  it.each([
    ["password", "password"],
    ["password_hash", "password"],
    ["new_password", "password"],
    ["reset_password", "password"],
    ["db_password2", "password"],
    ["secret", "password"],
    ["pin", "password"],
    ["email_password", "password"],
    ["password_reset_token", "token"],
    ["api_key", "token"],
    ["api_key_2", "token"],
    ["api_key_v2", "token"],
    ["apiKeyV2", "token"],
    ["api_key_v_2", "token"],
    ["APIKeyV3", "token"],
    ["private_key_v1", "token"],
    ["privateKeyV1", "token"],
    ["private_key_pem", "token"],
    ["access_token_v2", "token"],
    ["client_secret_v2", "password"],
    ["card_token", "token"],
    ["session_id", "token"],
    ["stripe_key_v2", "generic"],
    ["stripeKeyV2", "generic"],
    ["stripe_key", "generic"],
    ["secret_id", "token"],
    ["VAULT_SECRET_ID", "token"],
    ["id_token", "token"],
    ["password_confirmation", "password"],
  ])("a secret name stays a secret: %s -> %s", (key, kind) => {
    expect(keyContext(key)).toEqual({ hint: "secret", secretKind: kind, negative: false });
  });

  it("drops only a version word from a name: v plus a number", () => {
    expect(keyContext("key_v")).toEqual({ negative: false });
    expect(keyContext("v")).toEqual({ negative: false });
    expect(keyContext("v2")).toEqual({ negative: false });
    expect(keyContext("api_version").negative).toBe(true);
    expect(keyContext("api_key_version").negative).toBe(true);
  });

  it.each([
    "phone_count",
    "phoneCount",
    "phone_id",
    "phone_ids",
    "phone_type",
    "phone_kind",
    "phone_status",
    "phone_verified",
    "phone_enabled",
    "phone_country",
    "phone_country_code",
    "telephone_country",
    "phone_ext",
    "phone_extension",
    "phone_format",
    "phone_length",
    "phone_updated_at",
    "phone_created",
    "phone_number_type",
    "microphone",
    "microphone_id",
    "headphones",
    "smartphone",
    "email_verified",
    "emailVerified",
    "email_count",
    "email_status",
    "email_type",
    "card_type",
    "card_count",
    "card_brand",
    "card_expiry",
    "card_last4",
    "credit_card_type",
    "ssn_last4",
    "ssn_verified",
    "iban_country",
    "ip_count",
    "mobile_version",
  ])("a name that describes a contact value gives no hint: %s", (key) => {
    expect(keyContext(key).hint).toBeUndefined();
  });

  it.each([
    ["phone_number", "phone"],
    ["phoneNumber", "phone"],
    ["home_phone", "phone"],
    ["homephone", "phone"],
    ["cellphone", "phone"],
    ["telephone", "phone"],
    ["country_phone", "phone"],
    ["phone_v2", "phone"],
    ["mobile", "phone"],
    ["email", "email"],
    ["email_address", "email"],
    ["emailAddress", "email"],
    ["sender", "email"],
    ["card_number", "credit_card"],
    ["cardNumber", "credit_card"],
    ["credit_card", "credit_card"],
    ["creditcardnumber", "credit_card"],
    ["ssn", "ssn"],
    ["social_security_number", "ssn"],
    ["user_ssn", "ssn"],
    ["iban", "iban"],
    ["client_ip", "ip"],
    ["sender_ip", "ip"],
  ])("a contact name keeps its hint: %s -> %s", (key, hint) => {
    expect(keyContext(key)).toEqual({ hint, negative: false });
  });

  it("describing words make a name negative only where they say 'not PII'", () => {
    expect(keyContext("phone_count")).toEqual({ negative: true });
    expect(keyContext("phone_id")).toEqual({ negative: true });
    expect(keyContext("password_updated_at")).toEqual({ negative: true });
    expect(keyContext("secret_count")).toEqual({ negative: true });
    expect(keyContext("phone_country")).toEqual({ negative: false });
    expect(keyContext("password_policy")).toEqual({ negative: false });
    expect(keyContext("microphone")).toEqual({ negative: false });
  });

  it("leaves describing fields alone in a tool result", () => {
    const stamp = "2024-05-01T10:00:00Z";
    const cases: Record<string, unknown>[] = [
      { password_policy: "at least 8 characters, one digit" },
      { password_updated_at: stamp, password_length: 12, password_reset_url: "https://x.example/reset" },
      { created_at: stamp, password_expires: stamp },
      { password_set: "yes" },
      { pin_length: "6" },
      { secret_count: "1234" },
      { phone_count: 12345678 },
      { phone_count: 5550100 },
      { phone_count: "5550100" },
      { phone_id: "4155552671" },
      { phone_ids: [4155552671] },
      { microphone: "5550100" },
      { stats: { phone_count: 12345678 } },
      { phone_country: "US", phone_ext: "1234567" },
      { email_verified: true, card_type: "visa", card_count: 12345678 },
    ];
    for (const obj of cases) expect(tokenizedJson(obj)).toBe(JSON.stringify(obj));
  });

  it("does not hunt a value of a describing field elsewhere", () => {
    const interceptor = createPiiInterceptor(policyFromManifest());
    const call = (text: string) =>
      (interceptor.afterCall("s", "t", { content: [{ type: "text", text }] }).content as { text: string }[])[0]!.text;
    const first = JSON.stringify({ password_updated_at: "2024-05-01T10:00:00Z", created_at: "2024-05-01T10:00:00Z" });
    expect(call(first)).toBe(first);
    const later = JSON.stringify({ created: "2024-05-01T10:00:00Z", msg: "see https://x.example/reset" });
    expect(call(later)).toBe(later);
  });

  it("tokenizes secrets under versioned names and contact values under contact names", () => {
    const key = "Zx8Qw3Lp9Rt5Vb2Nm7Kc4Hd6";
    for (const name of [
      "api_key_v2",
      "apiKeyV2",
      "private_key_v1",
      "stripe_key_v2",
      "api_key_2",
      "password_reset_token",
    ]) {
      const out = tokenizedJson({ [name]: key });
      expect({ name, out }).toEqual({ name, out: JSON.stringify({ [name]: "[SECRET_1]" }) });
    }
    for (const [name, value] of [
      ["phone_number", "4155552671"],
      ["phoneNumber", "4155552671"],
      ["home_phone", "5550100"],
      ["cellphone", "5550100"],
      ["email_address", "ada@example.com"],
      ["card_number", "4111111111111111"],
      ["cardNumber", "4111111111111111"],
    ] as const) {
      const out = tokenizedJson({ [name]: value });
      expect({ name, leaked: out.includes(value) }).toEqual({ name, leaked: false });
    }
    // a password under a contact word is still a password
    expect(tokenizedJson({ email_password: "hunter2hunter" })).toBe('{"email_password":"[SECRET_1]"}');
    expect(tokenizedJson({ card_pin: "48151623" })).toBe('{"card_pin":"[SECRET_1]"}');
  });

  it("takes a password or secret at any length where the name says so; long prose stays text", () => {
    const cs = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const random = (n: number) => Array.from({ length: n }, (_, i) => cs[(i * 7919 + n) % cs.length]).join("");
    for (const n of [40, 256, 257, 400, 1200, 20_000]) {
      const v = random(n);
      for (const key of ["password", "client_secret", "db_password2"]) {
        expect({ n, key, field: found(v, key) }).toEqual({ n, key, field: [["secret", v]] });
        const line = `${key.toUpperCase()}=${v}`;
        expect({ n, key, text: found(line) }).toEqual({ n, key, text: [["secret", v]] });
      }
    }
    // a long lower-case run is no word
    const lower = "qwhdkeltmzpxnacvbrsyufjgoiqwhdkeltmzpxnacvbrsyufjgoi";
    expect(found(lower, "password")).toEqual([["secret", lower]]);
    expect(found("sunshine", "password")).toEqual([]);
    // placeholders of any length are not secrets
    expect(found("*".repeat(300), "password")).toEqual([]);
    expect(found("x".repeat(300), "client_secret")).toEqual([]);
    // prose in a password-named field (a policy text) is not a password
    const prose = "Passwords must be at least 12 characters long, contain a digit and a symbol. ".repeat(4).trim();
    expect(prose.length).toBeGreaterThan(256);
    expect(found(prose, "password_requirements")).toEqual([]);
    expect(found("correct horse battery staple", "password")).toEqual([["secret", "correct horse battery staple"]]);
  });

  it("tokenizes long passwords and secrets in a tool result", () => {
    const v = `Zq8v4Lw2Rk9xT3mN${"a1B2c3D4".repeat(60)}`;
    for (const text of [JSON.stringify({ password: v }), JSON.stringify({ client_secret: v }), `PASSWORD=${v}`]) {
      const interceptor = createPiiInterceptor(policyFromManifest());
      const result = interceptor.afterCall("s", "t", { content: [{ type: "text", text }] });
      const out = (result.content as { text: string }[])[0]!.text;
      expect(out).not.toContain(v);
      expect(out).toContain("[SECRET_1]");
    }
  });

  it("resolves overlaps: longest wins, then the more specific type", () => {
    const m = (type: string, start: number, end: number) => ({ type, start, end, confidence: 0.9 });
    expect(resolveOverlaps([m("phone", 0, 10), m("credit_card", 0, 19)])).toEqual([m("credit_card", 0, 19)]);
    expect(resolveOverlaps([m("phone", 5, 15), m("ssn", 5, 15)])).toEqual([m("ssn", 5, 15)]);
    expect(resolveOverlaps([m("ip", 20, 30), m("email", 0, 10)])).toEqual([m("email", 0, 10), m("ip", 20, 30)]);
    // ::ffff:192.0.2.128 is one IPv6 address, not an IPv4 inside it
    expect(found("peer ::ffff:192.0.2.128 left")).toEqual([["ip", "::ffff:192.0.2.128"]]);
  });

  it("finds IPv6 addresses with and without ::, and not times or colon-separated counts", () => {
    for (const address of [
      "2001:db8:85a3:0:0:8a2e:370:7334",
      "fe80::1",
      "2001:db8::8a2e:370:7334",
      "::1",
      "0:0:0:0:0:ffff:192.0.2.1",
    ]) {
      expect(found(`peer ${address} left`)).toEqual([["ip", address]]);
    }
    const times = "created: Sun Dec 06 2026 19:04:05 GMT+0000\nmodified: 12:30:45.123\nratio 1:2:3:4:5";
    expect(found(times).filter(([type]) => type === "ip")).toEqual([]);
  });

  it("runs only the detectors the policy turns on, plus custom patterns", () => {
    const only = policyFromManifest({ tokenize: ["email"], patterns: [{ name: "employee_id", regex: "E-\\d{6}" }] });
    const text = "alice@example.com 415-555-2671 E-123456";
    expect(detectInString(text, only).map((m) => [m.type, text.slice(m.start, m.end)])).toEqual([
      ["email", "alice@example.com"],
      ["employee_id", "E-123456"],
    ]);
  });
});

describe("assignments in text read their name like a JSON field", () => {
  const policy = policyFromManifest();
  it("leaves names that describe a secret alone, and keeps the ones that hold one", () => {
    for (const text of [
      "password_updated_at: 2024-05-01T10:00:00Z",
      "PASSWORD_RESET_URL=https://x.example/reset",
      "token_expires_at=2024-05-01T10:00:00Z",
    ]) {
      expect({ text, found: detectInString(text, policy).map((m) => m.type) }).toEqual({ text, found: [] });
    }
    for (const text of [
      "DB_PASSWORD=Tr0ub4dor&3x",
      "GITHUB_TOKEN=ghx9Rk2LmQ8vTz4Wp7Yc",
      "x-api-key: Zx8Qw3Lp9Rt5Vb2Nm7Kc",
    ]) {
      expect({ text, found: detectInString(text, policy).map((m) => m.type) }).toEqual({ text, found: ["secret"] });
    }
  });
});
