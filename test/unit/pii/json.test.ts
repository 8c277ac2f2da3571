import { describe, expect, it } from "vitest";
import { JsonSyntaxError, policyFromManifest, scanPii } from "../../../src/core/pii/index.js";
import { lexJson, rawOffset } from "../../../src/core/pii/jsonLexer.js";

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
    [`${"[".repeat(20000)}${"]".repeat(20000)}`, "JSON nested too deeply"],
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
});
