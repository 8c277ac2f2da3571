import { describe, expect, it } from "vitest";
import {
  JsonSyntaxError,
  TokenVault,
  policyFromManifest,
  scanPii,
  tokenizeJsonText,
  tokenizeTextOrJson,
} from "../../../src/core/pii/index.js";
import { textFeatures } from "../../../src/core/pii/detect/detectors/text.js";
import { lexJson, rawOffset } from "../../../src/core/pii/json/lexer.js";
import { piiLiteralReader } from "../../../src/core/pii/json/sniff.js";
import { SkillsError } from "../../../src/errors.js";

const policy = policyFromManifest();

describe("JSON lexer and scanning", () => {
  it("reports every literal with offsets, pointer segments and field", () => {
    const text = '{"a": ["x", 12, {"b~/c": "y"}], "n": null, "t": true, "f": -1.5e3}';
    const seen: [string, string, string, string | undefined][] = [];
    lexJson(text, policy, (lit) =>
      seen.push([lit.kind, text.slice(lit.start, lit.end), `/${lit.segments.join("/")}`, lit.field]),
    );
    expect(seen).toEqual([
      ["key", '"a"', "/a", undefined],
      ["string", '"x"', "/a/0", "a"],
      ["number", "12", "/a/1", "a"],
      ["key", '"b~/c"', "/a/2/b~/c", undefined],
      ["string", '"y"', "/a/2/b~/c", "b~/c"],
      ["key", '"n"', "/n", undefined],
      ["key", '"t"', "/t", undefined],
      ["key", '"f"', "/f", undefined],
      ["number", "-1.5e3", "/f", "f"],
    ]);
  });

  it.each([
    ['{"a": 1', "expected ',' or '}'"],
    ['{"a" 1}', "expected ':'"],
    ["[1, 2", "expected ',' or ']'"],
    ['{"a": "x}', "unterminated string"],
    ['{"a": tru}', "unexpected character"],
    ['{"a": 1} x', "unexpected text after the JSON value"],
    ['{"a": "\\q"}', "invalid string escape"],
    ["", "unexpected end of JSON"],
  ])("rejects %j with a message and offset", (text, message) => {
    let error: unknown;
    try {
      lexJson(text, policy, () => {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as JsonSyntaxError).message).toContain(message);
    expect((error as JsonSyntaxError).offset).toBeGreaterThanOrEqual(0);
  });

  it("fails closed on JSON nested too deeply to read: not a syntax error (which would mean: read it as text)", () => {
    const deep = `${'{"phone": '.repeat(20000)}"5550100"${"}".repeat(20000)}`;
    expect(() => lexJson(deep, policy, () => {})).toThrow(/nested too deeply to be read for personal data/);
    const ignoring = policyFromManifest({ ignore_fields: ["note"] });
    expect(() => tokenizeJsonText(deep, ignoring, new TokenVault(), () => {})).toThrow(SkillsError);
    expect(() => tokenizeTextOrJson(deep, ignoring, new TokenVault(), () => {})).toThrow(SkillsError);
  });

  it("maps decoded offsets to raw offsets across escapes", () => {
    const raw = '"a\\n\\u00e9b"';
    expect(rawOffset(raw, 0)).toBe(1);
    expect(rawOffset(raw, 1)).toBe(2);
    expect(rawOffset(raw, 2)).toBe(4);
    expect(rawOffset(raw, 3)).toBe(10);
  });

  it("gives findings in JSON text as raw offsets, pointers and key flags", () => {
    const text = '{\n  "contacts": [\n    {"email": "a\\tb alice@example.com"},\n    {"bob@example.org": 1}\n  ]\n}';
    const findings = scanPii(text, policy);
    expect(findings.map((f) => [f.type, text.slice(f.start, f.end), f.path, f.inKey ?? false])).toEqual([
      ["email", "alice@example.com", "/contacts/0/email", false],
      ["email", "bob@example.org", "/contacts/1/bob@example.org", true],
    ]);
  });

  it("scans parsed values with offsets inside the string at the path", () => {
    const value = { users: [{ phone: 14155552671, note: "call (415) 555-2671" }] };
    expect(scanPii(value, policy).map((f) => [f.type, f.path, f.start, f.end])).toEqual([
      ["phone", "/users/0/phone", 0, 11],
      ["phone", "/users/0/note", 5, 19],
    ]);
  });

  it("treats text that is not JSON as text in auto mode, and refuses it in json mode", () => {
    const text = "{ not json, write to alice@example.com";
    expect(scanPii(text, policy).map((f) => f.type)).toEqual(["email"]);
    expect(() => scanPii(text, policy, { format: "json" })).toThrow(JsonSyntaxError);
    expect(scanPii('{"email": "x@example.com"}', policy, { format: "text" })[0]?.path).toBe("");
  });

  it("skips ignored fields by name and by pointer pattern (with *)", () => {
    const ignoring = policyFromManifest({ ignore_fields: ["support_email", "/rows/*/owner"] });
    const value = {
      support_email: "help@example.com",
      rows: [{ owner: "a@example.com", email: "b@example.com" }],
      owner: "c@example.com",
    };
    expect(scanPii(value, ignoring).map((f) => f.path)).toEqual(["/rows/0/email", "/owner"]);
    expect(scanPii(JSON.stringify(value), ignoring).map((f) => f.path)).toEqual(["/rows/0/email", "/owner"]);
  });

  it("finds nothing in off mode", () => {
    expect(scanPii("alice@example.com", policyFromManifest(undefined, "off"))).toEqual([]);
  });

  // The JSON text reader decides about most literals before cutting them out (prose by a search for secret prefixes)
  // and hands the detectors the character features it computed: it must find what the detectors find in each value.
  it("finds in JSON text what the detectors find in each parsed value, prose and secrets in prose included", () => {
    const texts = [
      "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor",
      "use the key sk-proj-abcdefghijklmnopqrstuvwx12 for the api",
      "Authorization: Bearer abcDEF123456ghiJKL789mno",
      "header basic YWxpY2U6c2VjcmV0cGFzcw== was sent",
      "connect to postgres://admin:s3cretPass99@db.example.internal/app",
      "token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0",
      "AKIAIOSFODNN7EXAMPLE was in the logs",
      "github token ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked",
      "the config said password=Tr0ub4dor&3x yesterday",
      "call me at +1 415 555 2671 tonight, or write to alice@example.com",
      "seen from 10.0.0.7 and fe80::1ff:fe23:4567:890a",
      "paid with card 4111 1111 1111 1111 and iban DE89370400440532013000",
      "ssn 078-05-1120 on file",
      "short",
      "0123456789abcdef0123456789abcdef01234567",
    ];
    const withoutEmail = policyFromManifest({ tokenize: ["secret", "phone", "ip"] });
    for (const used of [policy, withoutEmail]) {
      const value = {
        rows: texts.map((text, i) => ({ note: text, [`k${i}`]: i, api_key: i === 3 ? "abcd1234efgh5678ijkl" : "n/a" })),
        "bob@example.org": "a\tb carol@example.com",
      };
      const text = JSON.stringify(value);
      const inText = scanPii(text, used, { format: "json" });
      const inValues = scanPii(value, used);
      const valueAt = (path: string) =>
        path
          .split("/")
          .slice(1)
          .reduce<unknown>((v, step) => (v as Record<string, unknown>)[step], value) as string;
      expect(inValues.length).toBeGreaterThanOrEqual(12);
      expect(inText.map((f) => [f.type, f.path, f.inKey ?? false])).toEqual(
        inValues.map((f) => [f.type, f.path, f.inKey ?? false]),
      );
      // same spans: the raw text of each finding is the value's (none of these matches spans an escape)
      expect(inText.map((f) => text.slice(f.start, f.end))).toEqual(
        inValues.map((f) => (f.inKey ? f.path.split("/").pop()! : valueAt(f.path)).slice(f.start, f.end)),
      );
    }
  });

  it("hands the detectors a literal's features only while they are still the ones computed for it", () => {
    const text = '["call +1 415 555 2671 now", "2024-05-01", "alice@example.com"]';
    const reader = piiLiteralReader(text, policy);
    const phoneFrom = text.indexOf("call");
    const phoneTo = text.indexOf('"', phoneFrom);
    expect(reader.skip(phoneFrom, phoneTo, undefined, "string")).toBe(false);
    expect(reader.featuresOf(phoneFrom)?.maxRun).toBe(11);
    expect(reader.featuresOf(phoneFrom + 1)).toBeUndefined();
    // a literal it skips does not replace the one it let through, but the shared features it overwrote are gone
    const plainFrom = text.indexOf("2024");
    expect(reader.skip(plainFrom, text.indexOf('"', plainFrom), undefined, "string")).toBe(true);
    expect(reader.featuresOf(plainFrom)).toBeUndefined();
    expect(reader.featuresOf(phoneFrom)).toBeUndefined();
    expect(reader.skip(phoneFrom, phoneTo, undefined, "string")).toBe(false);
    textFeatures("something else");
    expect(reader.featuresOf(phoneFrom)).toBeUndefined();
  });
});

describe("tokenizing JSON text in place", () => {
  const run = (text: string) => tokenizeJsonText(text, policy, new TokenVault(), () => {});

  it("rewrites only the literals that change, re-encoding escaped strings", () => {
    expect(run('{ "a" : "x\\ty alice@example.com",\n  "n": 1.5e3, "b": "plain" }')).toBe(
      '{ "a" : "x\\ty [EMAIL_1]",\n  "n": 1.5e3, "b": "plain" }',
    );
  });

  it("turns a phone-field number into a token string, leaves other numbers", () => {
    expect(run('{"phone": 14155552671, "count": 14155552672}')).toBe('{"phone": "[PHONE_1]", "count": 14155552672}');
  });

  it("reads JSON held in a string field of JSON text as JSON, with its field names", () => {
    const inner = JSON.stringify({ card: "6011000990139424", iban: "gb82west12345698765432", n: 1 });
    const out = run(JSON.stringify({ doc: inner, note: "plain" }));
    expect(JSON.parse(JSON.parse(out).doc)).toEqual({ card: "[CREDIT_CARD_1]", iban: "[IBAN_1]", n: 1 });
    expect(JSON.parse(out).note).toBe("plain");
  });

  it("reads a string under a field named for what it holds with that meaning, even if it is JSON", () => {
    const out = JSON.parse(run(JSON.stringify({ cards: JSON.stringify(["9999123456789019"]), n: 1 })));
    expect(out.cards).toBe('["[CREDIT_CARD_1]"]');
  });

  it("applies ignore pointers to the tool result, not to a document kept inside one of its strings", () => {
    const ignoring = policyFromManifest({ ignore_fields: ["/owner"] });
    const text = JSON.stringify({
      owner: "help@corp.example",
      payload: JSON.stringify({ owner: "alice@example.com" }),
    });
    const out = JSON.parse(tokenizeJsonText(text, ignoring, new TokenVault(), () => {}));
    expect(out).toEqual({ owner: "help@corp.example", payload: '{"owner":"[EMAIL_1]"}' });
  });

  it("reads JSON text that starts with a byte order mark as JSON, and keeps the mark", () => {
    expect(run('\ufeff{"iban": "gb82west12345698765432"}')).toBe('\ufeff{"iban": "[IBAN_1]"}');
  });

  it("reads a phone-field number written as a float, with an exponent or with a sign", () => {
    expect(run('{"phone": 4155552671.0, "tel": 4.155552672e9, "mobile": -4155552673, "n": 4155552674.5}')).toBe(
      '{"phone": "[PHONE_1]", "tel": "[PHONE_2]", "mobile": "[PHONE_3]", "n": 4155552674.5}',
    );
  });

  it("hides the same value in strings of other fields once a phone field gave it away, not in their numbers", () => {
    // 14155552671 is only a phone because of its field name: found again in the note; the count stays a number
    expect(run('{"count": 14155552671, "phone": 14155552671, "note": "14155552671"}')).toBe(
      '{"count": 14155552671, "phone": "[PHONE_1]", "note": "[PHONE_1]"}',
    );
  });

  it("reuses keys across records without mixing up keys that share a prefix or need escapes", () => {
    const text = JSON.stringify([
      { email: "a@example.com", note: "x" },
      { emails: "b@example.com", note: "y" },
      { 'e"mail': "c@example.com", note: "z" },
      { email: "d@example.com", "note\\": "415-555-2671" },
    ]);
    const paths: string[] = [];
    lexJson(text, policy, (lit) => {
      if (lit.kind === "string") paths.push(`/${lit.segments.join("/")}`);
    });
    expect(paths).toEqual([
      "/0/email",
      "/0/note",
      "/1/emails",
      "/1/note",
      '/2/e"mail',
      "/2/note",
      "/3/email",
      "/3/note\\",
    ]);
    expect(JSON.parse(run(text))).toEqual([
      { email: "[EMAIL_1]", note: "x" },
      { emails: "[EMAIL_2]", note: "y" },
      { 'e"mail': "[EMAIL_3]", note: "z" },
      { email: "[EMAIL_4]", "note\\": "[PHONE_1]" },
    ]);
  });

  it("finds keys that are PII, also when the same key slot held a clean key before", () => {
    const text = JSON.stringify([{ id: 1 }, { "alice@example.com": 2 }, { id: 3 }]);
    expect(run(text)).toBe('[{"id":1},{"[EMAIL_1]":2},{"id":3}]');
  });
});

describe("numbers in phone / ssn / card fields", () => {
  const run = (text: string) => tokenizeJsonText(text, policy, new TokenVault(), () => {});
  it("takes an SSN kept as a number that lost its leading zero, and hunts it in strings as written", () => {
    expect(run('{"ssn": 78051120, "social_security_number": 1234567.0, "note": "member 78051120"}')).toBe(
      '{"ssn": "[SSN_1]", "social_security_number": "[SSN_2]", "note": "member [SSN_1]"}',
    );
  });
});
