/** SSN, payment card, IP and IBAN detectors: shapes confirmed by checksums and ranges. */
// isIP is a pure string check (no sockets); the import graph test allows node:net for it alone.
import { isIP } from "node:net";
import type { KeyContext } from "../keyContext.js";
import type { PiiMatch } from "../../types.js";
import { cardIssuerValid, ibanValid, ipv4Valid, luhnValid, ssnValid } from "../validators.js";
import { isVersionContext } from "./contact.js";
import { type TextFeatures, cleanLeft, cleanRight, digitsOf, isAlnumCode } from "./text.js";

const SSN_RE = /\b(\d{3})([- ])(\d{2})\2(\d{4})\b/g;

export function detectSsn(text: string, ctx: KeyContext, f: TextFeatures, out: PiiMatch[]): void {
  if (f.digits < 9) return;
  if (ctx.hint === "ssn") {
    const trimmed = text.trim();
    const m = /^(\d{3})[- ]?(\d{2})[- ]?(\d{4})$/.exec(trimmed);
    if (m && ssnValid(m[1]!, m[2]!, m[3]!)) {
      const start = text.indexOf(trimmed);
      out.push({ type: "ssn", start, end: start + trimmed.length, confidence: 0.99 });
      return;
    }
  }
  if (ctx.negative || f.maxRun < 9) return;
  SSN_RE.lastIndex = 0;
  for (let m = SSN_RE.exec(text); m; m = SSN_RE.exec(text)) {
    const end = m.index + m[0].length;
    if (!cleanLeft(text, m.index) || !cleanRight(text, end)) continue;
    if (!ssnValid(m[1]!, m[3]!, m[4]!)) continue;
    const confidence = ctx.hint === "ssn" ? 0.99 : m[2] === "-" ? 0.85 : 0.6;
    out.push({ type: "ssn", start: m.index, end, confidence });
  }
}

const CARD_RE = /\b\d(?:[ -]?\d){11,18}\b/g;

/** Printed cards group digits in fours (Amex/Diners 4-6-5 / 4-6-4), with one kind of separator. */
function cardGroupsValid(value: string): boolean {
  const groups = value.split(/[ -]/);
  if (groups.length === 1) return true;
  if (value.includes(" ") && value.includes("-")) return false;
  if (groups.length > 5 || groups[0]!.length !== 4) return false;
  for (let i = 1; i < groups.length - 1; i++) {
    const n = groups[i]!.length;
    if (n < 4 || n > 6) return false;
  }
  const last = groups[groups.length - 1]!.length;
  return last >= 1 && last <= 6;
}

export function detectCard(text: string, ctx: KeyContext, f: TextFeatures, out: PiiMatch[]): void {
  if (f.maxRun < 12) return;
  CARD_RE.lastIndex = 0;
  for (let m = CARD_RE.exec(text); m; m = CARD_RE.exec(text)) {
    const end = m.index + m[0].length;
    if (!cleanLeft(text, m.index) || !cleanRight(text, end)) continue;
    const digits = digitsOf(m[0]);
    if (digits.length < 12 || digits.length > 19 || !luhnValid(digits)) continue;
    const separated = digits.length !== m[0].length;
    if (separated && !cardGroupsValid(m[0])) continue;
    const issuer = cardIssuerValid(digits);
    let confidence: number;
    if (ctx.hint === "credit_card") confidence = 0.99;
    else if (!issuer) continue;
    else if (ctx.negative) confidence = separated ? 0.7 : 0;
    else confidence = separated ? 0.95 : 0.85;
    if (confidence > 0) out.push({ type: "credit_card", start: m.index, end, confidence });
  }
}

const IPV4_RE = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
function isIpv6Code(c: number): boolean {
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 46;
}

export function detectIp(text: string, ctx: KeyContext, f: TextFeatures, out: PiiMatch[]): void {
  if (ctx.negative && ctx.hint !== "ip") return;
  const confidence = ctx.hint === "ip" ? 0.99 : 0.85;
  if (f.dots >= 3 && f.maxRun >= 4) {
    IPV4_RE.lastIndex = 0;
    for (let m = IPV4_RE.exec(text); m; m = IPV4_RE.exec(text)) {
      const end = m.index + m[0].length;
      if (!cleanLeft(text, m.index) || !ipv4Valid(m[0])) continue;
      if (end < text.length && text[end] === "." && /\d/.test(text[end + 1] ?? "")) continue;
      if (end < text.length && isAlnumCode(text.charCodeAt(end))) continue;
      if (ctx.hint !== "ip" && isVersionContext(text, m.index)) continue;
      out.push({ type: "ip", start: m.index, end, confidence });
    }
  }
  if (f.colons >= 6 || (f.colons >= 2 && f.doubleColon)) {
    // Each colon grows into the widest run of hex digits, colons and dots around it; runs are tried once.
    let covered = -1;
    for (let colon = text.indexOf(":"); colon !== -1; colon = text.indexOf(":", colon + 1)) {
      if (colon < covered) continue;
      let start = colon;
      while (start > 0 && isIpv6Code(text.charCodeAt(start - 1))) start--;
      let end = colon + 1;
      while (end < text.length && isIpv6Code(text.charCodeAt(end))) end++;
      covered = end;
      let value = text.slice(start, end);
      if (value.indexOf(":") === value.lastIndexOf(":")) continue;
      if (start > 0 && isAlnumCode(text.charCodeAt(start - 1))) continue;
      // An IPv6 address has "::" or at least six colons (six before an IPv4 tail, else seven): times such as
      // 19:04:05, common in tool results, are not worth isIP's two calls.
      if (!value.includes("::") && value.split(":").length < 7) continue;
      if (isIP(value) !== 6) value = value.replace(/[.:]+$/, "");
      if (isIP(value) !== 6 || !/\d/.test(value) || (value.length < 6 && value !== "::1")) continue;
      out.push({ type: "ip", start, end: start + value.length + zoneLength(text, start + value.length), confidence });
    }
  }
}

// An IPv6 zone id (RFC 4007 / 6874): `fe80::1%eth0`, `fe80::1%25en0` in URLs; interface names or numbers.
const ZONE_RE = /%[0-9A-Za-z_~-](?:[0-9A-Za-z_.~-]*[0-9A-Za-z_~-])?/y;

/** Length of the zone id right after an IPv6 address at `at`, or 0; it is part of the address. */
function zoneLength(text: string, at: number): number {
  if (text.charCodeAt(at) !== 37) return 0;
  ZONE_RE.lastIndex = at;
  const m = ZONE_RE.exec(text);
  if (!m || m[0].length > 65) return 0;
  return m[0].length;
}

const IBAN_RE = /\b[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)\b/g;

export function detectIban(text: string, ctx: KeyContext, f: TextFeatures, out: PiiMatch[]): void {
  if (f.digits < 6) return;
  if (ctx.hint === "iban") {
    const trimmed = text.trim();
    const compact = trimmed.replace(/[ -]/g, "").toUpperCase();
    if (/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact) && ibanValid(compact)) {
      const start = text.indexOf(trimmed);
      out.push({ type: "iban", start, end: start + trimmed.length, confidence: 0.99 });
      return;
    }
  }
  if (!f.ibanStart) return;
  IBAN_RE.lastIndex = 0;
  for (let m = IBAN_RE.exec(text); m; m = IBAN_RE.exec(text)) {
    // A grouped IBAN followed by more words may have swallowed one group too many: drop groups from the end.
    let candidate = m[0];
    while (!ibanValid(candidate.replace(/ /g, "")) && candidate.lastIndexOf(" ") > 4) {
      candidate = candidate.slice(0, candidate.lastIndexOf(" "));
    }
    if (!ibanValid(candidate.replace(/ /g, ""))) continue;
    out.push({ type: "iban", start: m.index, end: m.index + candidate.length, confidence: 0.97 });
  }
}
