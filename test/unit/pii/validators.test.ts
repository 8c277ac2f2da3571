import { describe, expect, it } from "vitest";
import {
  cardIssuerValid,
  ibanValid,
  ipv4Valid,
  luhnValid,
  shannonEntropy,
  ssnValid,
} from "../../../src/core/pii/detect/validators.js";
import { jwtHeaderValid } from "../../../src/core/pii/detect/validators.js";

describe("validators", () => {
  it.each([
    ["4111111111111111", true],
    ["4111111111111112", false],
    ["378282246310005", true],
    ["6011111111111117", true],
    ["0", true],
    ["", false],
    ["12a4", false],
  ])("luhn %s -> %s", (digits, ok) => expect(luhnValid(digits)).toBe(ok));

  it.each([
    ["4111111111111111", true], // Visa 16
    ["4222222222222", true], // Visa 13
    ["411111111111111", false], // Visa 15: wrong length
    ["5555555555554444", true], // Mastercard
    ["2221000000000009", true], // Mastercard 2-series
    ["378282246310005", true], // Amex
    ["3782822463100051", false], // Amex 16: wrong length
    ["6011111111111117", true], // Discover
    ["3530111333300000", true], // JCB
    ["30569309025904", true], // Diners
    ["6200000000000005", true], // UnionPay
    ["1234567812345670", false], // no issuer
    ["9999999999999995", false],
  ])("issuer %s -> %s", (digits, ok) => expect(cardIssuerValid(digits)).toBe(ok));

  it.each([
    ["123", "45", "6789", true],
    ["000", "12", "3456", false],
    ["666", "12", "3456", false],
    ["900", "12", "3456", false],
    ["999", "12", "3456", false],
    ["123", "00", "3456", false],
    ["123", "45", "0000", false],
    ["899", "99", "9999", true],
  ])("ssn %s-%s-%s -> %s", (a, g, s, ok) => expect(ssnValid(a, g, s)).toBe(ok));

  it.each([
    ["DE89370400440532013000", true],
    ["GB82WEST12345698765432", true],
    ["NL91ABNA0417164300", true],
    ["DE89370400440532013001", false], // checksum
    ["DE8937040044053201300", false], // length
    ["XX89370400440532013000", false], // unknown country
    ["DE89370400440532013a00", false], // lower case
  ])("iban %s -> %s", (iban, ok) => expect(ibanValid(iban)).toBe(ok));

  it.each([
    ["192.168.1.1", true],
    ["255.255.255.255", true],
    ["0.0.0.0", true],
    ["256.1.1.1", false],
    ["01.2.3.4", false],
    ["1.2.3", false],
    ["1.2.3.4.5", false],
    ["1..3.4", false],
  ])("ipv4 %s -> %s", (ip, ok) => expect(ipv4Valid(ip)).toBe(ok));

  it("entropy is 0 for one repeated char and grows with variety", () => {
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
    expect(shannonEntropy("a8F3k2LmQ9xR7tV1wZ4c")).toBeGreaterThan(4);
  });

  it("jwt header must decode to JSON with alg", () => {
    const header = (obj: unknown) => Buffer.from(JSON.stringify(obj)).toString("base64url");
    expect(jwtHeaderValid(header({ alg: "HS256", typ: "JWT" }))).toBe(true);
    expect(jwtHeaderValid(header({ typ: "JWT" }))).toBe(false);
    expect(jwtHeaderValid(Buffer.from("not json").toString("base64url"))).toBe(false);
  });
});
