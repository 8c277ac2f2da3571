/** Email and phone detectors. */
import type { KeyContext } from "../keyContext.js";
import type { PiiMatch } from "../../types.js";
import { type TextFeatures, cleanLeft, cleanRight, continuesDigitRun, digitsOf } from "./text.js";

/** The domain after an '@' (sticky: tried only where an '@' is). */
const EMAIL_DOMAIN_RE = /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/y;

/** A-Z a-z 0-9 . _ % + - */
function isLocalPartCode(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 46 ||
    c === 95 ||
    c === 37 ||
    c === 43 ||
    c === 45
  );
}

/** "logo@2x.png" is a file name, not an address. */
const FILE_TLDS = new Set([
  "png",
  "jpg",
  "jpeg",
  "gif",
  "svg",
  "webp",
  "ico",
  "js",
  "mjs",
  "cjs",
  "ts",
  "tsx",
  "jsx",
  "css",
  "scss",
  "json",
  "md",
  "txt",
  "pdf",
  "zip",
  "gz",
  "tgz",
  "tar",
  "html",
  "htm",
  "xml",
  "yml",
  "yaml",
  "py",
  "rb",
  "go",
  "rs",
  "java",
  "lock",
  "map",
  "wasm",
  "sh",
  "exe",
  "dll",
]);

export function detectEmail(text: string, ctx: KeyContext, f: TextFeatures, out: PiiMatch[]): void {
  if (!f.at) return;
  // Anchored on each '@': a regex searching for the local part would retry at every letter of the text.
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > 0 && isLocalPartCode(text.charCodeAt(start - 1))) start--;
    while (text.charCodeAt(start) === 46) start++;
    if (start === at) continue;
    EMAIL_DOMAIN_RE.lastIndex = at + 1;
    const domain = EMAIL_DOMAIN_RE.exec(text);
    if (!domain) continue;
    const value = text.slice(start, at + 1 + domain[0].length);
    const local = text.slice(start, at);
    // scheme://user:password@host is a credential in a URL (the secret detector takes the password), not an email
    if (
      start > 0 &&
      text.charCodeAt(start - 1) === 58 &&
      /:\/\/[^\s/@]*$/.test(text.slice(Math.max(0, start - 256), start - 1))
    ) {
      continue;
    }
    if (local.length === 0 || local.endsWith(".") || local.includes("..")) continue;
    const tld = value.slice(value.lastIndexOf(".") + 1).toLowerCase();
    if (FILE_TLDS.has(tld) && ctx.hint !== "email") continue;
    out.push({ type: "email", start, end: start + value.length, confidence: ctx.hint === "email" ? 0.99 : 0.9 });
  }
}

/** +CC then groups: E.164 with optional spaces, dots, dashes, parentheses. */
const PHONE_INTL_RE = /\+[1-9][0-9 ().-]{6,22}[0-9]/g;
/** North American: (NXX) NXX-XXXX, NXX-NXX-XXXX, NXX.NXX.XXXX, with an optional leading 1. */
const PHONE_NANP_RE = /(?:\b1[ .-]?)?(?:\(\d{3}\)[ .-]?|\b\d{3}[ .-])\d{3}[ .-]\d{4}\b/g;
/** National formats with a trunk 0: 020 7946 0958, 06 12 34 56 78, (030) 1234567. */
const PHONE_TRUNK_RE = /(?:\(0\d{1,4}\)|\b0\d{1,4})(?:[ -]\d{2,8}){1,4}\b/g;
/** A whole field value in a phone-named field: digits with the usual separators and an optional extension. */
const PHONE_FIELD_RE = /^\+?[0-9 ().-]{7,24}(?:\s*(?:x|ext\.?)\s*\d{1,6})?$/i;

function separatorsSane(value: string): boolean {
  if (/[ .-]{2,}|[.-][ ]|[ ][.-]/.test(value)) return false;
  const open = value.split("(").length - 1;
  const close = value.split(")").length - 1;
  return open === close && open <= 1;
}

export function detectPhone(text: string, ctx: KeyContext, f: TextFeatures, out: PiiMatch[]): void {
  if (f.digits < 7) return;
  const boost = ctx.hint === "phone" ? 0.99 : 0;
  if (ctx.hint === "phone") {
    const trimmed = text.trim();
    const n = digitsOf(trimmed).length;
    if (PHONE_FIELD_RE.test(trimmed) && n >= 7 && n <= 15 && !/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
      const start = text.indexOf(trimmed);
      out.push({ type: "phone", start, end: start + trimmed.length, confidence: 0.99 });
      return;
    }
  }
  if (f.plus && f.maxRun >= 8) {
    PHONE_INTL_RE.lastIndex = 0;
    for (let m = PHONE_INTL_RE.exec(text); m; m = PHONE_INTL_RE.exec(text)) {
      const end = m.index + m[0].length;
      const n = digitsOf(m[0]).length;
      if (n < 8 || n > 15 || !separatorsSane(m[0])) continue;
      if (m.index > 0 && /[A-Za-z0-9]/.test(text[m.index - 1] ?? "")) continue;
      if (!cleanRight(text, end)) continue;
      out.push({ type: "phone", start: m.index, end, confidence: boost || (ctx.negative ? 0.6 : 0.9) });
    }
  }
  if (ctx.negative || f.maxRun < 10) return;
  PHONE_NANP_RE.lastIndex = 0;
  for (let m = PHONE_NANP_RE.exec(text); m; m = PHONE_NANP_RE.exec(text)) {
    const end = m.index + m[0].length;
    if (!cleanLeft(text, m.index) || !cleanRight(text, end) || !separatorsSane(m[0])) continue;
    if (continuesDigitRun(text, m.index, end)) continue;
    let d = digitsOf(m[0]);
    if (d.length === 11) d = d.slice(1);
    if (d[0] === "0" || d[0] === "1" || d[3] === "0" || d[3] === "1") continue;
    if (isVersionContext(text, m.index)) continue;
    out.push({ type: "phone", start: m.index, end, confidence: boost || 0.85 });
  }
  PHONE_TRUNK_RE.lastIndex = 0;
  for (let m = PHONE_TRUNK_RE.exec(text); m; m = PHONE_TRUNK_RE.exec(text)) {
    const end = m.index + m[0].length;
    const n = digitsOf(m[0]).length;
    // "0044 20 7946 0958": 00 is the international prefix, the number may be longer
    if (n < 10 || n > (m[0].startsWith("00") ? 15 : 12) || !separatorsSane(m[0])) continue;
    if (!cleanLeft(text, m.index) || !cleanRight(text, end) || continuesDigitRun(text, m.index, end)) continue;
    out.push({ type: "phone", start: m.index, end, confidence: boost || 0.75 });
  }
}

/** "v1.2.3.4", "version 10.0.0.1", "build 415.555.2671": numbers that name a release, not a person. */
export function isVersionContext(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 12), start);
  return /(?:\bversion|\bver|\bv|\brelease|\bbuild|\brev)[\s:=#]*$/i.test(before);
}
