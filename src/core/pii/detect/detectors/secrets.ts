/**
 * Secrets: well-known key prefixes, JWTs, Bearer tokens, private key blocks, `password=...` assignments in text, and
 * values of fields named like passwords or tokens.
 */
import { type KeyContext, keyContext } from "../keyContext.js";
import type { PiiMatch } from "../../types.js";
import { jwtHeaderValid, shannonEntropy } from "../validators.js";
import { TOKEN_SHAPE, type TextFeatures, secretPossible } from "./text.js";

/** What every secret found by its prefix (below) holds: without it, none of them is looked for. */
export const PREFIX_FILTER =
  /sk-|[sr]k_|gh[pousr]_|github_pat_|A[SK]IA|xox[abpr]-|eyJ|[Bb]earer|BEARER|[Bb]asic |BASIC |BEGIN/;
const ASSIGN_FILTER = /pass|pwd|secret|key|token/i;

const PREFIXED: RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{20,}/g, // Anthropic
  /\bsk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, // OpenAI
  /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g, // Stripe
  /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{22,255}/g, // GitHub fine-grained tokens
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/g, // Slack
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]{0,16384}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----/g,
];
const JWT_RE = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;
const BEARER_RE = /\bbearer\s+([A-Za-z0-9._~+/-]{16,}=*)/gi;
const BASIC_RE = /\bbasic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/gi;
/** scheme://user:password@host */
const URL_CREDENTIALS_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@/]+)@/gi;
/** NAME=value / NAME: value where NAME contains password, secret, token, api key (AWS_SECRET_ACCESS_KEY=..., too). */
const ASSIGN_RE =
  /(?<![A-Za-z0-9])([A-Za-z0-9_.-]*?(?:password|passwd|pwd|passphrase|secret|api[_-]?key|access[_-]?key|token)[A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']?([^\s"',;&<>]{6,})/gi;
/**
 * A quoted field of dict-like text (a Python repr, JSON inside a log line): `'password': 'correct horse battery'`.
 * Its quoted value may hold spaces; the field name must be a password or secret name, at most with one prefix
 * (`db_password`, `client_secret`), so `'password_policy': 'at least 8 chars'` is not taken.
 */
const QUOTED_ASSIGN_RE =
  /(["'])((?:[A-Za-z0-9]+[_.-])?(?:password|passwd|pwd|passphrase|secret))\1\s*[:=]\s*(["'])([^"'\n\\]{4,256})\3/gi;
const PLACEHOLDER =
  /^(?:\*+|x+|•+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|redacted|hidden|null|none|n\/a|true|false|required|optional)$/i;

/** Enough randomness to be a key rather than a word: length, entropy, letters and digits. */
function looksRandom(value: string, minLength: number, minEntropy: number): boolean {
  if (value.length < minLength || /\s/.test(value)) return false;
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return shannonEntropy(value) >= minEntropy;
}

/** Longer than any word: a run of lower-case letters this long is a generated password, not a word. */
const LONGEST_WORD = 48;
/** Passphrases are short; a longer value with spaces in a password-named place is prose (a policy, a description). */
const LONGEST_PASSPHRASE = 256;

/**
 * A password-ish value: not a placeholder, and not a plain lower-case word. A value without spaces is taken at any
 * length: the name says it is a password, and a long generated one is still one.
 */
function looksLikePassword(value: string): boolean {
  if (value.length < 4 || PLACEHOLDER.test(value) || TOKEN_SHAPE.test(value)) return false;
  if (value.length > LONGEST_PASSPHRASE && /\s/.test(value)) return false;
  return /[^a-z]/.test(value) || value.length > LONGEST_WORD;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function detectSecret(text: string, ctx: KeyContext, f: TextFeatures, out: PiiMatch[]): void {
  if (ctx.hint === "secret" && fieldValueIsSecret(text, ctx)) {
    const trimmed = text.trim();
    const start = text.indexOf(trimmed);
    out.push({ type: "secret", start, end: start + trimmed.length, confidence: 0.95 });
    return;
  }
  const possible = secretPossible(f);
  if (possible.prefixed && PREFIX_FILTER.test(text)) {
    for (const re of PREFIXED) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        out.push({ type: "secret", start: m.index, end: m.index + m[0].length, confidence: 0.99 });
      }
    }
    JWT_RE.lastIndex = 0;
    for (let m = JWT_RE.exec(text); m; m = JWT_RE.exec(text)) {
      if (!jwtHeaderValid(m[0].slice(0, m[0].indexOf(".")))) continue;
      out.push({ type: "secret", start: m.index, end: m.index + m[0].length, confidence: 0.99 });
    }
    BEARER_RE.lastIndex = 0;
    for (let m = BEARER_RE.exec(text); m; m = BEARER_RE.exec(text)) {
      const token = m[1]!;
      if (!looksRandom(token, 16, 3)) continue;
      const start = m.index + m[0].length - token.length;
      out.push({ type: "secret", start, end: start + token.length, confidence: 0.95 });
    }
    BASIC_RE.lastIndex = 0;
    for (let m = BASIC_RE.exec(text); m; m = BASIC_RE.exec(text)) {
      const token = m[1]!;
      // Basic credentials are base64 of "user:password".
      if (!/^[\x20-\x7e]+:[\x20-\x7e]*$/.test(Buffer.from(token, "base64").toString("latin1"))) continue;
      const start = m.index + m[0].length - token.length;
      out.push({ type: "secret", start, end: start + token.length, confidence: 0.95 });
    }
  }
  if (f.at && text.includes("://")) {
    URL_CREDENTIALS_RE.lastIndex = 0;
    for (let m = URL_CREDENTIALS_RE.exec(text); m; m = URL_CREDENTIALS_RE.exec(text)) {
      const password = m[1]!;
      if (PLACEHOLDER.test(password) || TOKEN_SHAPE.test(password)) continue;
      const start = m.index + m[0].length - 1 - password.length;
      out.push({ type: "secret", start, end: start + password.length, confidence: 0.95 });
    }
  }
  if (!possible.assignment || !ASSIGN_FILTER.test(text)) return;
  ASSIGN_RE.lastIndex = 0;
  for (let m = ASSIGN_RE.exec(text); m; m = ASSIGN_RE.exec(text)) {
    const name = m[1]!.toLowerCase();
    const value = m[2]!;
    const passwordLike = /pass|pwd|secret/.test(name);
    // The same reading of the name as for a JSON field: password_updated_at, PASSWORD_RESET_URL hold no secret.
    if (keyContext(m[1]!).hint !== "secret") continue;
    if (passwordLike ? !looksLikePassword(value) : !looksRandom(value, 12, 3)) continue;
    if (TOKEN_SHAPE.test(value)) continue;
    const start = m.index + m[0].length - value.length;
    out.push({ type: "secret", start, end: start + value.length, confidence: 0.9 });
  }
  QUOTED_ASSIGN_RE.lastIndex = 0;
  for (let m = QUOTED_ASSIGN_RE.exec(text); m; m = QUOTED_ASSIGN_RE.exec(text)) {
    const value = m[4]!;
    // Values without spaces or stops, 6 characters and more, are ASSIGN_RE's (found above).
    if (!/[\s,;&<>]/.test(value) && value.length >= 6) continue;
    if (value.trim() !== value || !looksLikePassword(value)) continue;
    // A phrase is a passphrase if it has a digit or a symbol, or four words and more ('not set' is not one).
    if (/\s/.test(value) && !/[^A-Za-z\s]/.test(value) && value.split(/\s+/).length < 4) continue;
    const start = m.index + m[0].length - 1 - value.length;
    out.push({ type: "secret", start, end: start + value.length, confidence: 0.9 });
  }
}

function fieldValueIsSecret(text: string, ctx: KeyContext): boolean {
  const value = text.trim();
  if (TOKEN_SHAPE.test(value)) return false;
  if (ctx.secretKind === "password") return looksLikePassword(value);
  if (ctx.secretKind === "token") return UUID_RE.test(value) || looksRandom(value, 12, 3);
  return !UUID_RE.test(value) && looksRandom(value, 16, 3.5);
}
