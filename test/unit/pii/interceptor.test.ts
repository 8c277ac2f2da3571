import { describe, expect, it } from "vitest";
import { SkillsError } from "../../../src/errors.js";
import { createPiiInterceptor, policyFromManifest } from "../../../src/core/pii/index.js";

const text = (t: string) => ({ content: [{ type: "text", text: t }] });

describe("createPiiInterceptor", () => {
  it("tokenizes tool results with stable per-run tokens, keeping the server's JSON formatting", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    const json =
      '{\n  "rows": [\n    { "email": "alice@example.com", "phone": "+1 415 555 2671", "n": 3 },\n    { "email": "bob@example.com" }\n  ]\n}';
    const first = pii.afterCall("memory", "read_graph", text(json)) as { content: { text: string }[] };
    expect(first.content[0]?.text).toBe(
      '{\n  "rows": [\n    { "email": "[EMAIL_1]", "phone": "[PHONE_1]", "n": 3 },\n    { "email": "[EMAIL_2]" }\n  ]\n}',
    );
    const again = pii.afterCall("memory", "search_nodes", text("alice@example.com again")) as {
      content: { text: string }[];
    };
    expect(again.content[0]?.text).toBe("[EMAIL_1] again");
  });

  it("handles text, JSON text, resources, structuredContent and leaves images alone", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    const image = { type: "image", data: "YWxpY2VAZXhhbXBsZS5jb20=", mimeType: "image/png" };
    const result = pii.afterCall("s", "t", {
      content: [
        { type: "text", text: "mail carol@example.com" },
        { type: "text", text: '{"broken json": carol@example.com' },
        { type: "resource", resource: { uri: "file:///x", text: "ip 10.0.0.7" } },
        image,
      ],
      structuredContent: { contact: { email: "carol@example.com", ssn: "078-05-1120" } },
      isError: false,
    });
    expect(result).toEqual({
      content: [
        { type: "text", text: "mail [EMAIL_1]" },
        { type: "text", text: '{"broken json": [EMAIL_1]' },
        { type: "resource", resource: { uri: "file:///x", text: "ip [IP_1]" } },
        image,
      ],
      structuredContent: { contact: { email: "[EMAIL_1]", ssn: "[SSN_1]" } },
      isError: false,
    });
  });

  it("walks results that are not MCP results, and returns the same object when nothing is found", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    expect(pii.afterCall("s", "t", ["dave@example.com", 1])).toEqual(["[EMAIL_1]", 1]);
    const clean = { content: [{ type: "text", text: "nothing here" }] };
    expect(pii.afterCall("s", "t", clean)).toEqual(clean);
  });

  it("restores known tokens anywhere in the arguments, including keys, and leaves unknown ones", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    pii.afterCall("memory", "read_graph", text('{"email":"erin@example.com","phone":"(415) 555-2671"}'));
    const args = pii.beforeCall("filesystem", "write_file", {
      path: "/tmp/out.txt",
      content: "to: [EMAIL_1], tel [PHONE_1], other [EMAIL_9] [NOT A TOKEN]",
      nested: [{ "[EMAIL_1]": ["[PHONE_1]"] }],
    });
    expect(args).toEqual({
      path: "/tmp/out.txt",
      content: "to: erin@example.com, tel (415) 555-2671, other [EMAIL_9] [NOT A TOKEN]",
      nested: [{ "erin@example.com": ["(415) 555-2671"] }],
    });
    const untouched = { a: "no tokens" };
    expect(pii.beforeCall("s", "t", untouched)).toBe(untouched);
  });

  it("gives a value found once the same token where it turns up again as a bare word, even without a detector", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    const result = pii.afterCall("crm", "get", {
      content: [{ type: "text", text: '{"phone": "4155552671", "note": "call 4155552671. Or 41555526710"}' }],
    }) as { content: { text: string }[] };
    expect(result.content[0]?.text).toBe('{"phone": "[PHONE_1]", "note": "call [PHONE_1]. Or 41555526710"}');
    const later = pii.afterCall("crm", "log", { content: [{ type: "text", text: "dialled 4155552671 twice" }] }) as {
      content: { text: string }[];
    };
    expect(later.content[0]?.text).toBe("dialled [PHONE_1] twice");
  });

  it("default mode: tokenizes what leaves the run, including values seen in results that no detector would catch", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    pii.afterCall("crm", "get", { content: [], structuredContent: { phone: "4155552671" } });
    expect(pii.checkOutput("called 4155552671 and wrote frank@example.com")).toBe(
      "called [PHONE_1] and wrote [EMAIL_1]",
    );
    expect(pii.checkOutput({ summary: ["4155552671"] })).toEqual({ summary: ["[PHONE_1]"] });
    expect(pii.checkOutput({ ok: true, count: 2 })).toEqual({ ok: true, count: 2 });
    const audit = pii.audit();
    expect(audit.types.phone).toEqual({ values: 1, tokenized: 1, restored: 0, scrubbed: 2 });
    expect(audit.types.email).toEqual({ values: 1, tokenized: 0, restored: 0, scrubbed: 1 });
  });

  it("strict mode refuses output that still holds PII, without naming the values", () => {
    const pii = createPiiInterceptor(policyFromManifest({ mode: "strict" }));
    pii.afterCall("crm", "get", { content: [], structuredContent: { phone: "4155552671" } });
    expect(pii.checkOutput({ text: "all tokens: [PHONE_1]" })).toEqual({ text: "all tokens: [PHONE_1]" });
    let error: unknown;
    try {
      pii.checkOutput({ rows: [{ note: "ring 4155552671" }, { to: "grace@example.com" }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SkillsError);
    const leak = error as SkillsError;
    expect(leak.code).toBe("PII_LEAK");
    expect(leak.data.pointer).toBe("/rows/1/to");
    expect(leak.data.types).toEqual({ phone: 1, email: 1 });
    expect(JSON.stringify({ message: leak.message, data: leak.data })).not.toMatch(/4155552671|grace@example\.com/);
    expect(pii.audit().refused).toBe(1);
  });

  it("scrubs messages bound for the program (e.g. tool errors) in every mode, without throwing", () => {
    const strict = createPiiInterceptor(policyFromManifest({ mode: "strict" }));
    strict.afterCall("crm", "get", { content: [], structuredContent: { phone: "4155552671" } });
    const message = "crm/update: invalid contact 4155552671 / oscar@example.com";
    expect(strict.scrub(message)).toBe("crm/update: invalid contact [PHONE_1] / [EMAIL_1]");
    expect(strict.audit().refused).toBe(0);
    expect(createPiiInterceptor(policyFromManifest(undefined, "off")).scrub(message)).toBe(message);
  });

  it("fails closed on structuredContent nested too deeply to walk: an error, never untokenized data", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    let deep: unknown = "alice@example.com";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => pii.afterCall("s", "t", { content: [], structuredContent: deep })).toThrow(RangeError);
  });

  it("off mode passes everything through", () => {
    const pii = createPiiInterceptor(policyFromManifest(undefined, "off"));
    const result = text("alice@example.com");
    expect(pii.afterCall("s", "t", result)).toBe(result);
    expect(pii.checkOutput("alice@example.com")).toBe("alice@example.com");
    expect(pii.audit()).toEqual({ mode: "off", types: {}, from: {}, to: {}, refused: 0 });
  });

  it("audits counts per type and per tool, never values", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    pii.afterCall("memory", "read_graph", text("heidi@example.com, ivan@example.com, heidi@example.com, 10.1.1.1"));
    pii.beforeCall("filesystem", "write_file", { content: "[EMAIL_1] [EMAIL_2] [IP_1]" });
    pii.beforeCall("memory", "create_entities", { names: ["[EMAIL_1]"] });
    const audit = pii.audit();
    expect(audit).toEqual({
      mode: "default",
      types: {
        email: { values: 2, tokenized: 3, restored: 3, scrubbed: 0 },
        ip: { values: 1, tokenized: 1, restored: 1, scrubbed: 0 },
      },
      from: { "memory/read_graph": { email: 3, ip: 1 } },
      to: { "filesystem/write_file": { email: 2, ip: 1 }, "memory/create_entities": { email: 1 } },
      refused: 0,
    });
    expect(JSON.stringify(audit)).not.toMatch(/heidi|ivan|10\.1\.1\.1/);
  });

  it("gives tokens that say nothing about the value: a new run numbers from 1 again", () => {
    const a = createPiiInterceptor(policyFromManifest());
    const b = createPiiInterceptor(policyFromManifest());
    a.afterCall("s", "t", text("judy@example.com"));
    const fromA = a.afterCall("s", "t", text("mallory@example.com")) as { content: { text: string }[] };
    const fromB = b.afterCall("s", "t", text("mallory@example.com")) as { content: { text: string }[] };
    expect(fromA.content[0]?.text).toBe("[EMAIL_2]");
    expect(fromB.content[0]?.text).toBe("[EMAIL_1]");
    expect(b.beforeCall("s", "t", { to: "[EMAIL_2]" })).toEqual({ to: "[EMAIL_2]" });
  });
});

describe("values that come back (review findings)", () => {
  const first = (result: unknown) => (result as { content: { text: string }[] }).content[0]!.text;

  it("hides a value restored into arguments wherever a tool hands it back, glued to anything", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    pii.afterCall("s", "read", text('{"email": "ada.lovelace@example.com", "ssn": "078-05-1120"}'));
    const sent = pii.beforeCall("everything", "echo", { message: "9[EMAIL_1]9 x[SSN_1]" });
    expect(sent).toEqual({ message: "9ada.lovelace@example.com9 x078-05-1120" });
    // an echo, a file name made from the value, a URL, JSON text with the value inside a longer string
    expect(first(pii.afterCall("everything", "echo", text("Echo: 9ada.lovelace@example.com9 x078-05-1120")))).toBe(
      "Echo: 9[EMAIL_1]9 x[SSN_1]",
    );
    expect(first(pii.afterCall("fs", "list", text("[FILE] ada.lovelace@example.com.txt")))).toBe(
      "[FILE] [EMAIL_1].txt",
    );
    expect(first(pii.afterCall("fs", "list", text('{"entries": ["out/ada.lovelace@example.com.txt"], "n": 1}')))).toBe(
      '{"entries": ["out/[EMAIL_1].txt"], "n": 1}',
    );
    // two known values glued together are two tokens, not a new address that would leave part of one in clear
    pii.beforeCall("everything", "echo", { message: "[EMAIL_1][EMAIL_1]" });
    expect(first(pii.afterCall("everything", "echo", text("ada.lovelace@example.comada.lovelace@example.com")))).toBe(
      "[EMAIL_1][EMAIL_1]",
    );
  });

  it("hides a value found only by its field name wherever it turns up again, also earlier in the same result", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    expect(first(pii.afterCall("s", "t", text('{"note": "5550100", "phone": "5550100", "alt": "555-0100"}')))).toBe(
      '{"note": "[PHONE_1]", "phone": "[PHONE_1]", "alt": "555-0100"}',
    );
    expect(first(pii.afterCall("s", "t", text('{"password": "hunter2hunter", "x": {"y": "hunter2hunter"}}')))).toBe(
      '{"password": "[SECRET_1]", "x": {"y": "[SECRET_1]"}}',
    );
    // in a later result: as a string, inside a word boundary; not a number of another field (a count that happens
    // to be equal stays a number), not inside a longer number
    expect(first(pii.afterCall("s", "t", text('{"a": "tel:5550100", "b": 5550100, "c": 155501009}')))).toBe(
      '{"a": "tel:[PHONE_1]", "b": 5550100, "c": 155501009}',
    );
    expect(first(pii.afterCall("s", "t", text("see 5550100 or hunter2hunter")))).toBe("see [PHONE_1] or [SECRET_1]");
  });

  it("reads JSON held in a structuredContent string as JSON: quotes, field names and ignore rules", () => {
    const policy = policyFromManifest({ ignore_fields: ["support_email", "/rows/*/owner"] });
    const pii = createPiiInterceptor(policy);
    const file = JSON.stringify({
      phone: 4155550000,
      ssn: 123456789,
      support_email: "help@corp.example",
      rows: [{ owner: "own@corp.example", mail: "row@corp.example" }],
    });
    const result = pii.afterCall("filesystem", "read_text_file", {
      content: [{ type: "text", text: file }],
      structuredContent: { content: file },
    }) as { content: { text: string }[]; structuredContent: { content: string } };
    const expected = {
      phone: "[PHONE_1]",
      ssn: "[SSN_1]",
      support_email: "help@corp.example",
      rows: [{ owner: "own@corp.example", mail: "[EMAIL_1]" }],
    };
    expect(JSON.parse(result.content[0]!.text)).toEqual(expected);
    expect(JSON.parse(result.structuredContent.content)).toEqual(expected);
    // the same text in both places is counted once
    expect(pii.audit().from).toEqual({ "filesystem/read_text_file": { email: 1, phone: 1, ssn: 1 } });
    // only in structuredContent, without a text copy: still found, with the field names
    const only = pii.afterCall("s", "t", { content: [], structuredContent: { content: '{"tel": "2125550147"}' } });
    expect(only).toEqual({ content: [], structuredContent: { content: '{"tel": "[PHONE_2]"}' } });
  });

  it("tokenizes every part of a result but binary payloads: links, uris, annotations, _meta, other fields", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    const result = pii.afterCall("everything", "t", {
      content: [
        {
          type: "resource_link",
          uri: "demo://session/ada@example.com",
          name: "ada@example.com",
          description: "for ada@example.com",
        },
        { type: "resource", resource: { uri: "mailto:bob@example.com", blob: "Ym9iQGV4YW1wbGUuY29t" } },
        {
          type: "text",
          text: "hi",
          annotations: { audience: ["carol@example.com"] },
          _meta: { by: "dan@example.com" },
        },
        { type: "image", data: "ZGFuQGV4YW1wbGUuY29t", mimeType: "image/png", _meta: { of: "eve@example.com" } },
      ],
      _meta: { requestedBy: "fay@example.com" },
      extra: "gus@example.com",
      isError: false,
    });
    expect(result).toEqual({
      content: [
        { type: "resource_link", uri: "demo://session/[EMAIL_1]", name: "[EMAIL_1]", description: "for [EMAIL_1]" },
        { type: "resource", resource: { uri: "mailto:[EMAIL_2]", blob: "Ym9iQGV4YW1wbGUuY29t" } },
        { type: "text", text: "hi", annotations: { audience: ["[EMAIL_3]"] }, _meta: { by: "[EMAIL_4]" } },
        { type: "image", data: "ZGFuQGV4YW1wbGUuY29t", mimeType: "image/png", _meta: { of: "[EMAIL_5]" } },
      ],
      _meta: { requestedBy: "[EMAIL_6]" },
      extra: "[EMAIL_7]",
      isError: false,
    });
  });

  it("default mode scrubs a known value the program returns as a number or inside one, and leaves ignored fields alone", () => {
    const pii = createPiiInterceptor(policyFromManifest({ ignore_fields: ["owner"] }));
    pii.afterCall("s", "t", text('{"phone": "5550100", "email": "own@corp.example", "owner": "x"}'));
    expect(pii.checkOutput({ c: 5550100, d: 15550100, owner: "own@corp.example", e: "own@corp.example" })).toEqual({
      c: "[PHONE_1]",
      d: "1[PHONE_1]", // what leaves the run is scrubbed wherever the value sits, even inside a longer number
      owner: "own@corp.example",
      e: "[EMAIL_1]",
    });
    const strict = createPiiInterceptor(policyFromManifest({ ignore_fields: ["owner"], mode: "strict" }));
    strict.afterCall("s", "t", text('{"email": "own@corp.example"}'));
    expect(strict.checkOutput({ owner: "own@corp.example" })).toEqual({ owner: "own@corp.example" });
    expect(() => strict.checkOutput({ c: "own@corp.example" })).toThrow(SkillsError);
  });
});

describe("values that come back, second review", () => {
  const first = (result: unknown) => (result as { content: { text: string }[] }).content[0]!.text;

  it("never finds a known value inside a token: tokens stay whole in results and in output", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    const rows = Array.from({ length: 30 }, (_, i) => ({ user: `u${i}@corp.example`, pin: `SECRET${i % 3}x` }));
    const out = JSON.parse(first(pii.afterCall("s", "t", text(JSON.stringify(rows))))) as Record<string, string>[];
    for (const row of out) {
      expect(row.user).toMatch(/^\[EMAIL_\d+\]$/);
      expect(row.pin).toMatch(/^\[SECRET_\d\]$/);
    }
    // tokens passed back restore to the real values, not to other tokens
    expect(pii.beforeCall("s", "t", { a: out[29]!.user!, b: out[0]!.pin! })).toEqual({
      a: "u29@corp.example",
      b: "SECRET0x",
    });
    expect(pii.checkOutput(`${out[0]!.pin} and ${out[1]!.user}`)).toBe(`${out[0]!.pin} and ${out[1]!.user}`);
  });

  it("lets a detector's match that holds a known value whole win: no part of the new value stays in clear", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    pii.afterCall("s", "t", text('{"password": "hunter2hunter"}'));
    expect(first(pii.afterCall("s", "t", text('{"from": "hunter2hunter@corp-internal.example"}')))).toBe(
      '{"from": "[EMAIL_1]"}',
    );
  });

  it("hides a value found by field name in a later part of the same result in the earlier parts", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    const result = pii.afterCall("evil", "contact", {
      content: [{ type: "text", text: "Ada Lovelace, direct line 5550100, door code Tr0ub4dor&3" }],
      structuredContent: { phone: "5550100", password: "Tr0ub4dor&3" },
    });
    expect(result).toEqual({
      content: [{ type: "text", text: "Ada Lovelace, direct line [PHONE_1], door code [SECRET_1]" }],
      structuredContent: { phone: "[PHONE_1]", password: "[SECRET_1]" },
    });
  });

  it("hides a restored value that a tool quotes JSON-escaped, in results, errors and output", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    pii.afterCall("s", "t", text('{"password": "Tr0ub\\"4dor&3"}'));
    expect(pii.beforeCall("evil", "save", { note: "[SECRET_1]" })).toEqual({ note: 'Tr0ub"4dor&3' });
    expect(first(pii.afterCall("evil", "save", text('Saved {"note":"Tr0ub\\"4dor&3"}')))).toBe(
      'Saved {"note":"[SECRET_1]"}',
    );
    expect(pii.scrub('note too long: {"note":"Tr0ub\\"4dor&3"}')).toBe('note too long: {"note":"[SECRET_1]"}');
  });

  it("does not hunt for short values found by field name alone (a PIN of 2024 is not every 2024)", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    expect(first(pii.afterCall("s", "t", text('{"pin": "2024", "created": "2024-01-05", "year": 2024}')))).toBe(
      '{"pin": "[SECRET_1]", "created": "2024-01-05", "year": 2024}',
    );
  });

  it("tokenizes a card number in structuredContent that JSON.parse could not hold exactly", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    // as the SDK hands it over: parsed from the server's JSON, the 19-digit number rounded
    const structuredContent = JSON.parse('{"card": 9333333333333338, "pan": 6233333333333333301, "count": 1048577}');
    const result = pii.afterCall("s", "t", { content: [], structuredContent });
    expect(result).toEqual({
      content: [],
      structuredContent: { card: "[CREDIT_CARD_1]", pan: "[CREDIT_CARD_2]", count: 1048577 },
    });
  });

  it("names a strict refusal's place without the value when the value is a key", () => {
    const pii = createPiiInterceptor(policyFromManifest({ mode: "strict" }));
    try {
      pii.checkOutput({ "zed@example.com": 1 });
      expect.unreachable("strict mode let an email through");
    } catch (error) {
      expect(error).toBeInstanceOf(SkillsError);
      const data = (error as SkillsError).data as { pointer?: string };
      expect(data.pointer).toBe("/[EMAIL_1]");
      expect(JSON.stringify(error)).not.toContain("zed@example.com");
      expect((error as SkillsError).message).not.toContain("zed@example.com");
    }
  });
});

describe("values that come back, third review", () => {
  it("counts a value once where structuredContent repeats a text content that gives it away only later", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    const result = pii.afterCall("s", "t", {
      content: [{ type: "text", text: "Ada 5550100" }],
      structuredContent: { text: "Ada 5550100", phone: "5550100" },
    });
    expect(result).toEqual({
      content: [{ type: "text", text: "Ada [PHONE_1]" }],
      structuredContent: { text: "Ada [PHONE_1]", phone: "[PHONE_1]" },
    });
    expect(pii.audit().types.phone).toEqual({ values: 1, tokenized: 2, restored: 0, scrubbed: 0 });
  });

  it("reads JSON kept in a string with the field's meaning for its top-level values", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    const value = { ssn: '["078051120"]', password: '["hunter2hunter"]', iban: '["gb82west12345698765432"]' };
    const result = pii.afterCall("s", "t", { content: [], structuredContent: value });
    expect(result).toEqual({
      content: [],
      structuredContent: { ssn: '["[SSN_1]"]', password: '["[SECRET_1]"]', iban: '["[IBAN_1]"]' },
    });
  });

  it("does not hunt values under 6 characters: a PIN sent to a tool does not rewrite every later date", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    pii.afterCall("s", "t", text('{"user": "ann", "pin": "2024"}'));
    expect(pii.beforeCall("s", "t", { pin: "[SECRET_1]" })).toEqual({ pin: "2024" });
    const later = pii.afterCall("s", "t", text('{"created": "2024-05-01T10:00:00Z", "year": 2024, "n": 12024}'));
    expect((later as { content: { text: string }[] }).content[0]!.text).toBe(
      '{"created": "2024-05-01T10:00:00Z", "year": 2024, "n": 12024}',
    );
    expect(pii.checkOutput({ year: 2024 })).toEqual({ year: 2024 });
  });
});

describe("fourth review", () => {
  it("reads a structuredContent copy of a text content with its own field name", () => {
    const pii = createPiiInterceptor(policyFromManifest({ mode: "strict" }));
    const result = pii.afterCall("crm", "getphone", {
      content: [{ type: "text", text: "5550100" }],
      structuredContent: { phone: "5550100" },
    });
    expect(result).toEqual({
      content: [{ type: "text", text: "[PHONE_1]" }],
      structuredContent: { phone: "[PHONE_1]" },
    });
    expect(() => pii.checkOutput("call 5550100")).toThrow(SkillsError);
  });

  it("does not confirm a guess: a known value the program sent in clear comes back as it was sent", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    pii.afterCall("crm", "contacts", text('{"phone": "5550100", "card": "4111111111111111"}'));
    const guesses = { message: "5550099 5550100 5550101 4111111111111111" };
    expect(pii.beforeCall("crm", "echo", guesses)).toEqual(guesses);
    const echoed = pii.afterCall("crm", "echo", text(`Echo: ${guesses.message}`), guesses);
    expect(echoed).toEqual(text(`Echo: ${guesses.message}`));
    // the same echo for a program that sent tokens is tokenized as usual
    const sent = { message: "[PHONE_1] [CREDIT_CARD_1]" };
    const restored = pii.beforeCall("crm", "echo", sent);
    expect(pii.afterCall("crm", "echo", text(`Echo: ${restored.message}`), sent)).toEqual(
      text("Echo: [PHONE_1] [CREDIT_CARD_1]"),
    );
  });
});

describe("regressions the review found", () => {
  it("does not hunt a plain word found only by context (a URL's password) through the rest of the text", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    const compose = "DATABASE_URL=postgres://postgres:postgres@db:5432/postgres\nimage: postgres:16\n";
    const out = (pii.afterCall("fs", "read", text(compose)) as { content: { text: string }[] }).content[0]!.text;
    expect(out).toBe("DATABASE_URL=postgres://postgres:[SECRET_1]@db:5432/postgres\nimage: postgres:16\n");
  });

  it("reads log lines that only look like JSON as text, with what they hold tokenized", () => {
    const pii = createPiiInterceptor(policyFromManifest());
    const lines = ["[2024-05-01T10:00:00.123Z] INFO login ada@example.com", "[1] retry", '{"level":"info"} done'];
    const result = pii.afterCall("logs", "tail", { content: [], structuredContent: { lines } });
    expect(result).toEqual({
      content: [],
      structuredContent: {
        lines: ["[2024-05-01T10:00:00.123Z] INFO login [EMAIL_1]", "[1] retry", '{"level":"info"} done'],
      },
    });
  });
});
