/**
 * Field names as context. A value under `email` or `ssn` is more likely what it looks like; a value under `version`,
 * `id` or `created_at` is less likely. Keys are split into words (camelCase, snake_case, kebab-case) first, so
 * `hotel` is not a `tel` and `ipAddress` is an `ip`.
 */
import type { BuiltinPiiType } from "./types.js";

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

const cache = new Map<string, KeyContext>();

/** Context of a field name (cached: a JSON document repeats the same keys many times). */
export function keyContext(key: string | undefined): KeyContext {
  if (key === undefined || key === "") return NO_CONTEXT;
  const hit = cache.get(key);
  if (hit) return hit;
  const ctx = classifyKey(key);
  if (cache.size > 10_000) cache.clear();
  cache.set(key, ctx);
  return ctx;
}

function classifyKey(key: string): KeyContext {
  // A number is not a word of the name: `api_key_2` is an `api_key`, `email2` an `email`.
  const words = keyWords(key).filter((w) => !/^[0-9]+$/.test(w));
  const joined = words.join("");
  const has = (set: Set<string>) => set.has(joined) || words.some((w) => set.has(w));
  if (has(EMAIL_WORDS) || joined.includes("email")) return { hint: "email", negative: false };
  if (has(PHONE_WORDS) || joined.includes("phone")) return { hint: "phone", negative: false };
  if (has(SSN_WORDS)) return { hint: "ssn", negative: false };
  if (has(IBAN_WORDS)) return { hint: "iban", negative: false };
  if (has(CARD_WORDS) || joined.includes("creditcard") || joined.includes("cardnumber")) {
    return { hint: "credit_card", negative: false };
  }
  if (has(IP_WORDS)) return { hint: "ip", negative: false };
  // Public keys, key ids and hints are not secrets even though their names say "key" or "password".
  const notSecret = words.includes("public") || words.includes("hint") || words.includes("type");
  if (!notSecret && has(PASSWORD_WORDS)) return { hint: "secret", secretKind: "password", negative: false };
  if (notSecret) return has(NEGATIVE_WORDS) ? { negative: true } : NO_CONTEXT;
  if (has(TOKEN_WORDS) || joined.endsWith("token") || joined.endsWith("apikey") || joined.endsWith("secret")) {
    return { hint: "secret", secretKind: "token", negative: false };
  }
  if (words[words.length - 1] === "key" && !has(NEGATIVE_WORDS)) {
    return { hint: "secret", secretKind: "generic", negative: false };
  }
  if (has(NEGATIVE_WORDS) || joined.endsWith("id")) return { negative: true };
  return NO_CONTEXT;
}
