import { describe, expect, it } from "vitest";
import {
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

  it("resolves overlaps: longest wins, then the more specific type", () => {
    const m = (type: string, start: number, end: number) => ({ type, start, end, confidence: 0.9 });
    expect(resolveOverlaps([m("phone", 0, 10), m("credit_card", 0, 19)])).toEqual([m("credit_card", 0, 19)]);
    expect(resolveOverlaps([m("phone", 5, 15), m("ssn", 5, 15)])).toEqual([m("ssn", 5, 15)]);
    expect(resolveOverlaps([m("ip", 20, 30), m("email", 0, 10)])).toEqual([m("email", 0, 10), m("ip", 20, 30)]);
    // ::ffff:192.0.2.128 is one IPv6 address, not an IPv4 inside it
    expect(found("peer ::ffff:192.0.2.128 left")).toEqual([["ip", "::ffff:192.0.2.128"]]);
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
