/**
 * What a recorder does before a cassette is written: secrets are replaced (values from the server config's env and
 * headers, well-known token shapes, values under secret-named keys) and personal-looking values are flagged.
 * Cassettes get committed, so a secret must never reach one; PII is only flagged because tests may need it.
 */

import { REDACTED_PREFIX } from "./argMatch.js";
import { escapePointerToken, isPlainObject, unescapePointerToken } from "../json/index.js";
import type { PiiFlag, Redaction } from "./types.js";

const SECRET_SHAPES: { name: string; regex: RegExp }[] = [
  { name: "private-key", regex: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g },
  { name: "aws-access-key", regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { name: "github-token", regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { name: "slack-token", regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { name: "openai-key", regex: /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b/g },
  { name: "google-api-key", regex: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: "stripe-key", regex: /\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}\b/g },
  { name: "jwt", regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g },
  { name: "bearer", regex: /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g },
];

const SECRET_KEY =
  /^(?:authorization|password|passwd|secret|client[_-]?secret|api[_-]?key|x-api-key|access[_-]?token|refresh[_-]?token|private[_-]?key|token)$/i;

/** Shortest config value replaced where it appears inside a longer string (short ones only when equal). */
const MIN_SUBSTRING_SECRET = 8;
const MIN_EXACT_SECRET = 4;

export interface RedactOptions {
  /** Values from the server config (env values, header values) that must never be written. */
  secrets?: string[];
}

export interface RedactResult<T> {
  value: T;
  redactions: Redaction[];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function redactString(text: string, secrets: string[]): { text: string; reasons: string[] } {
  const reasons: string[] = [];
  for (const secret of secrets) {
    if (text === secret) return { text: `${REDACTED_PREFIX}:config]`, reasons: ["config"] };
  }
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SUBSTRING_SECRET && out.includes(secret)) {
      out = out.replace(new RegExp(escapeRegex(secret), "g"), `${REDACTED_PREFIX}:config]`);
      reasons.push("config");
    }
  }
  for (const shape of SECRET_SHAPES) {
    shape.regex.lastIndex = 0;
    if (shape.regex.test(out)) {
      shape.regex.lastIndex = 0;
      out = out.replace(shape.regex, `${REDACTED_PREFIX}:${shape.name}]`);
      reasons.push(shape.name);
    }
  }
  return { text: out, reasons };
}

/** Returns a redacted copy and where each replacement happened (pointers relative to `base`). */
export function redactSecrets<T>(value: T, options: RedactOptions = {}, base = ""): RedactResult<T> {
  const secrets = [...new Set((options.secrets ?? []).filter((s) => s.length >= MIN_EXACT_SECRET))].sort(
    (a, b) => b.length - a.length,
  );
  const redactions: Redaction[] = [];
  const walk = (node: unknown, pointer: string, key: string | undefined): unknown => {
    if (typeof node === "string") {
      if (key !== undefined && SECRET_KEY.test(key) && node.length > 0 && !node.startsWith(REDACTED_PREFIX)) {
        redactions.push({ pointer, reason: `key:${key}` });
        return `${REDACTED_PREFIX}:key]`;
      }
      const { text, reasons } = redactString(node, secrets);
      if (reasons.length > 0) redactions.push({ pointer, reason: [...new Set(reasons)].join(",") });
      return text;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${pointer}/${i}`, undefined));
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(node)) out[k] = walk(child, `${pointer}/${escapePointerToken(k)}`, k);
      return out;
    }
    return node;
  };
  return { value: walk(value, base, undefined) as T, redactions };
}

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const PII_SHAPES: { type: string; regex: RegExp; check?: (match: string) => boolean }[] = [
  { type: "email", regex: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  {
    type: "credit_card",
    regex: /\b(?:\d[ -]?){12,18}\d\b/g,
    check: (match) => {
      const digits = match.replace(/\D/g, "");
      return digits.length >= 13 && digits.length <= 19 && luhn(digits);
    },
  },
  { type: "ssn", regex: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g },
  { type: "phone", regex: /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b/g },
  {
    type: "ip",
    regex: /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\.?\d)/g,
    check: (match) => match.split(".").every((part) => Number(part) <= 255) && !match.startsWith("127."),
  },
];

/** Types of personal data in one string, in PII_SHAPES order. */
function piiTypesIn(text: string): string[] {
  const seen = new Set<string>();
  for (const shape of PII_SHAPES) {
    for (const match of text.matchAll(shape.regex)) {
      if (!shape.check || shape.check(match[0])) seen.add(shape.type);
    }
  }
  return [...seen];
}

/**
 * Types of personal-looking values per string in the tree (no values are kept). A key that looks like personal data
 * (`{"ada@example.com": {...}}`) is flagged at its own pointer. Pointers hold keys as written: show them to a person
 * only through `maskPiiInPointer`.
 */
export function flagPii(value: unknown, base = ""): PiiFlag[] {
  const flags: PiiFlag[] = [];
  const walk = (node: unknown, pointer: string): void => {
    if (typeof node === "string") {
      for (const type of piiTypesIn(node)) flags.push({ pointer, type });
    } else if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, `${pointer}/${i}`);
    } else if (isPlainObject(node))
      for (const [k, child] of Object.entries(node)) {
        const at = `${pointer}/${escapePointerToken(k)}`;
        for (const type of piiTypesIn(k)) flags.push({ pointer: at, type });
        walk(child, at);
      }
  };
  walk(value, base);
  return flags;
}

/**
 * A pointer fit to print: in every segment, what looks like personal data (the same shapes `flagPii` flags) is
 * replaced by `mask` of it, so `/result/ada@example.com/phone` reads `/result/a•••m/phone`.
 */
export function maskPiiInPointer(pointer: string, mask: (value: string) => string): string {
  return pointer
    .split("/")
    .map((segment, i) => {
      if (i === 0) return segment;
      const key = unescapePointerToken(segment);
      const spans: [number, number][] = [];
      for (const shape of PII_SHAPES) {
        for (const match of key.matchAll(shape.regex)) {
          if (!shape.check || shape.check(match[0])) spans.push([match.index, match.index + match[0].length]);
        }
      }
      if (spans.length === 0) return segment;
      // Overlapping matches (a card number read as a phone, too) are masked as one.
      spans.sort((a, b) => a[0] - b[0]);
      const merged: [number, number][] = [];
      for (const [start, end] of spans) {
        const last = merged[merged.length - 1];
        if (last && start <= last[1]) last[1] = Math.max(last[1], end);
        else merged.push([start, end]);
      }
      let out = "";
      let done = 0;
      for (const [start, end] of merged) {
        out += key.slice(done, start) + mask(key.slice(start, end));
        done = end;
      }
      return escapePointerToken(out + key.slice(done));
    })
    .join("/");
}
