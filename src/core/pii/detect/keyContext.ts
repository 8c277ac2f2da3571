/**
 * Field names as context. A value under `email` or `ssn` is more likely what it looks like; a value under `version`,
 * `id` or `created_at` is less likely. Keys are split into words (camelCase, snake_case, kebab-case) first, so
 * `hotel` is not a `tel` and `ipAddress` is an `ip`. Numbers and `v2`-style versions are not words of the name. The
 * last word naming a type decides (`email_password` is a password), and a word after it that describes the value
 * rather than holding it cancels the hint (`password_policy`, `phone_count`, `email_verified`).
 */
import type { BuiltinPiiType } from "../types.js";

export interface KeyContext {
  /** The type the field name suggests. */
  hint?: BuiltinPiiType;
  /** For secrets: a password-like field takes any value; a token-like field needs a high-entropy value. */
  secretKind?: "password" | "token" | "generic";
  /** The field name says "not PII" (versions, ids, hashes, timestamps, ports). */
  negative: boolean;
}

export const NO_CONTEXT: KeyContext = { negative: false };

const EMAIL_WORDS = new Set(["email", "emails", "mail", "mailto", "emailaddress", "recipient", "sender"]);
const PHONE_WORDS = new Set([
  "phone",
  "phones",
  "telephone",
  "tel",
  "mobile",
  "cell",
  "cellphone",
  "fax",
  "msisdn",
  "phonenumber",
  "landline",
]);
const SSN_WORDS = new Set(["ssn", "ssns", "socialsecurity", "socialsecuritynumber", "sin", "tin", "taxid"]);
const CARD_WORDS = new Set(["card", "cards", "cc", "ccnumber", "pan", "creditcard", "cardnumber", "debitcard"]);
const IP_WORDS = new Set(["ip", "ips", "ipv4", "ipv6", "ipaddress", "ipaddr", "remoteaddr", "clientip", "remoteip"]);
const IBAN_WORDS = new Set(["iban", "ibans"]);
const PASSWORD_WORDS = new Set(["password", "passwd", "pwd", "passphrase", "secret", "secrets", "pass", "pin"]);
const TOKEN_WORDS = new Set([
  "token",
  "tokens",
  "apikey",
  "accesskey",
  "secretkey",
  "privatekey",
  "auth",
  "authorization",
  "credential",
  "credentials",
  "bearer",
  "session",
  "sessionid",
  "cookie",
  "jwt",
  "accesstoken",
  "refreshtoken",
  "clientsecret",
  // a Vault AppRole `secret_id` is a login credential, unlike other ids
  "secretid",
]);
const NEGATIVE_WORDS = new Set([
  "version",
  "versions",
  "ver",
  "id",
  "ids",
  "uuid",
  "guid",
  "sha",
  "sha1",
  "sha256",
  "sha512",
  "md5",
  "hash",
  "commit",
  "checksum",
  "digest",
  "etag",
  "timestamp",
  "time",
  "date",
  "created",
  "updated",
  "modified",
  "at",
  "port",
  "isbn",
  "order",
  "sku",
  "build",
  "revision",
  "rev",
  "count",
  "size",
  "bytes",
  "seq",
  "sequence",
  "invoice",
  "ref",
  "tracking",
  "duration",
  "price",
  "amount",
  "total",
  "latitude",
  "longitude",
  "lat",
  "lng",
  "lon",
  "ms",
  "index",
  "line",
  "offset",
]);

/**
 * Words that say the field describes the value rather than being it: `password_policy`, `password_updated_at`,
 * `secret_count`, `api_key_expires_at`. They cancel a secret hint when they come after the word that names the secret
 * (`password_reset_url` is a link, `password_reset_token` is still a token). `password_hash` stays a secret.
 */
const SECRET_DESCRIBING_WORDS = new Set([
  "policy",
  "policies",
  "rule",
  "rules",
  "requirement",
  "requirements",
  "count",
  "counts",
  "length",
  "len",
  "min",
  "max",
  "strength",
  "expires",
  "expiry",
  "expired",
  "expiration",
  "updated",
  "created",
  "changed",
  "modified",
  "reset",
  "at",
  "date",
  "time",
  "timestamp",
  "url",
  "uri",
  "link",
  "enabled",
  "disabled",
  "required",
  "set",
  "type",
  "hint",
  "status",
  "format",
  "version",
  "versions",
  // `api_key_id`, `AWS_ACCESS_KEY_ID`: key ids are not secrets (`session_id` names a session token as a whole)
  "id",
  "ids",
  // `secret_name` (a Kubernetes secret's name), `token_label`
  "name",
  "names",
  "label",
]);

/**
 * Words that say a contact or number field describes the value rather than being it: `phone_count`, `phone_id`,
 * `phone_country`, `email_verified`, `card_type`, `ssn_last4`. They cancel the hint when they come after the word that
 * names the type (`country_phone` is still a phone).
 */
const CONTACT_DESCRIBING_WORDS = new Set([
  "count",
  "counts",
  "id",
  "ids",
  "type",
  "types",
  "kind",
  "status",
  "verified",
  "validated",
  "confirmed",
  "enabled",
  "disabled",
  "required",
  "country",
  "ext",
  "extension",
  "format",
  "length",
  "len",
  "updated",
  "created",
  "changed",
  "modified",
  "at",
  "date",
  "time",
  "timestamp",
  "policy",
  "hint",
  "last",
  "first",
  "bin",
  "brand",
  "expiry",
  "expires",
  "expiration",
  "version",
  "versions",
]);

/** Words that contain "phone" but name no phone number: a `microphone` is a device, a `francophone` a speaker. */
const NOT_PHONE_RE =
  /(?:micro|head|ear|smart|xylo|saxo|sousa|vibra|mega|gramo|dicta|homo|allo|franco|anglo|speaker)phones?/g;

/**
 * Words whose digits are part of the name, so they are not split: `ipv4` is an IP, not an `ipv`; `sha256` and `md5`
 * are hashes. Other words lose a trailing number (`tel2` -> `tel`, `2`), so numbered fields keep their context.
 */
const DIGIT_WORDS = new Set([
  "ipv4",
  "ipv6",
  "sha1",
  "sha224",
  "sha256",
  "sha384",
  "sha512",
  "md5",
  "crc32",
  "x509",
  "s3",
  "utf8",
  "utf16",
  "base64",
  "b64",
  "oauth2",
  "http2",
  "e164",
]);

/** Split a key into lower-case words: "clientIPAddress" -> ["client", "ip", "address"], "tel2" -> ["tel", "2"]. */
export function keyWords(key: string): string[] {
  const words = key
    // `IPv4Address` is ipv4, address (not i, pv4, address)
    .replace(/IPv(?=[46])/g, "Ipv")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
  const out: string[] = [];
  for (const word of words) {
    const m = DIGIT_WORDS.has(word) ? null : /^([a-z]+)([0-9]+)$/.exec(word);
    if (m) out.push(m[1]!, m[2]!);
    else out.push(word);
  }
  return out;
}

/**
 * The shell's working-directory variables: `PWD` is not short for "password" there, and its value (a path) must not
 * become a secret token (nor, through the vault's known values, the same path under HOME). Upper case only, as the
 * shell writes them: a JSON field `pwd` is still a password.
 */
const SHELL_PATH_VARIABLES = new Set(["PWD", "OLDPWD"]);

const cache = new Map<string, KeyContext>();

/** Context of a field name (cached: a JSON document repeats the same keys many times). */
export function keyContext(key: string | undefined): KeyContext {
  if (key === undefined || key === "") return NO_CONTEXT;
  if (SHELL_PATH_VARIABLES.has(key)) return { negative: true };
  const hit = cache.get(key);
  if (hit) return hit;
  const ctx = classifyKey(key);
  if (cache.size > 10_000) cache.clear();
  cache.set(key, ctx);
  return ctx;
}

type Hint = { hint: BuiltinPiiType; secretKind?: "password" | "token"; at: number };

/**
 * The words that name the field: numbers and version suffixes are dropped, so `api_key_2`, `api_key_v2` and `apiKeyV2`
 * are all an `api_key`.
 */
function nameWords(key: string): string[] {
  const all = keyWords(key);
  const out: string[] = [];
  for (let i = 0; i < all.length; i++) {
    const w = all[i]!;
    if (/^[0-9]+$/.test(w)) continue;
    // `v2` was split into `v`, `2`: a version, not part of the name
    if (w === "v" && i + 1 < all.length && /^[0-9]+$/.test(all[i + 1]!)) continue;
    out.push(w);
  }
  return out;
}

const isPhoneWord = (w: string) => PHONE_WORDS.has(w) || w.replace(NOT_PHONE_RE, "").includes("phone");
const isEmailWord = (w: string) => EMAIL_WORDS.has(w) || w.includes("email");
const isCardWord = (w: string) => CARD_WORDS.has(w) || w.includes("creditcard") || w.includes("cardnumber");
const isTokenWord = (w: string) =>
  TOKEN_WORDS.has(w) || w.endsWith("token") || w.endsWith("apikey") || w.endsWith("secret");

/**
 * Where a type is named in the field: the index of the last word (or run of up to three words, `api_key`,
 * `social_security_number`) that names it, or -1.
 */
function lastNamed(words: string[], isWord: (w: string) => boolean, set: Set<string>): number {
  let at = -1;
  for (let i = 0; i < words.length; i++) {
    if (isWord(words[i]!)) at = i;
    let run = words[i]!;
    for (let j = i + 1; j < words.length && j < i + 3; j++) {
      run += words[j]!;
      if (set.has(run)) at = Math.max(at, j);
    }
  }
  if (set.has(words.join(""))) at = words.length - 1;
  return at;
}

function classifyKey(key: string): KeyContext {
  const words = nameWords(key);
  if (words.length === 0) return NO_CONTEXT;
  const joined = words.join("");
  const has = (set: Set<string>) => set.has(joined) || words.some((w) => set.has(w));
  const plain: KeyContext = has(NEGATIVE_WORDS) || joined.endsWith("id") ? { negative: true } : NO_CONTEXT;
  // The last word that names a type decides, as in English compounds: `email_password` is a password,
  // `card_token` a token, `sender_ip` an IP. On a tie the more specific type (earlier here) wins.
  const candidates: Hint[] = [
    { hint: "email", at: lastNamed(words, isEmailWord, EMAIL_WORDS) },
    { hint: "phone", at: lastNamed(words, isPhoneWord, PHONE_WORDS) },
    { hint: "ssn", at: lastNamed(words, (w) => SSN_WORDS.has(w), SSN_WORDS) },
    { hint: "iban", at: lastNamed(words, (w) => IBAN_WORDS.has(w), IBAN_WORDS) },
    { hint: "credit_card", at: lastNamed(words, isCardWord, CARD_WORDS) },
    { hint: "ip", at: lastNamed(words, (w) => IP_WORDS.has(w), IP_WORDS) },
    { hint: "secret", secretKind: "password", at: lastNamed(words, (w) => PASSWORD_WORDS.has(w), PASSWORD_WORDS) },
    { hint: "secret", secretKind: "token", at: lastNamed(words, isTokenWord, TOKEN_WORDS) },
  ];
  let best: Hint | undefined;
  for (const c of candidates) if (c.at >= 0 && (best === undefined || c.at > best.at)) best = c;
  const after = (set: Set<string>, from: number) => words.some((w, i) => i > from && set.has(w));
  if (best !== undefined && best.hint !== "secret") {
    // `phone_count`, `phone_id`, `email_verified`, `card_type`: about the value, not the value
    if (after(CONTACT_DESCRIBING_WORDS, best.at)) return plain;
    return { hint: best.hint, negative: false };
  }
  // Public keys, key ids and hints are not secrets even though their names say "key" or "password"; nor are names
  // that describe a secret (`password_policy`, `password_updated_at`, `secret_count`, `password_reset_url`).
  const notSecret = words.includes("public") || words.includes("hint") || words.includes("type");
  if (best !== undefined) {
    if (notSecret || after(SECRET_DESCRIBING_WORDS, best.at)) return plain;
    return { hint: "secret", secretKind: best.secretKind, negative: false };
  }
  if (!notSecret && words[words.length - 1] === "key" && !has(NEGATIVE_WORDS)) {
    return { hint: "secret", secretKind: "generic", negative: false };
  }
  return plain;
}
