/**
 * The bridge hooks. Tool results are tokenized before the program sees them; tokens in tool arguments are restored
 * before the call reaches the server; what leaves the run (result, logs, errors) is checked on the way out.
 *
 * Modes: `off` passes everything through. `default` tokenizes results and also tokenizes whatever still matches a
 * detector (or equals a value seen in a tool result) in the outgoing value, so a run's output holds only tokens.
 * `strict` does the same on results but refuses (SkillsError PII_LEAK) an outgoing value that still holds PII.
 */
import { SkillsError } from "../../errors.js";
import type { JsonObject } from "../../contracts/json.js";
import { toolKey } from "../../contracts/tools.js";
import type { ToolCallInterceptor } from "../../contracts/run.js";
import { PiiAuditLog } from "./vault/audit.js";
import { scanPii } from "./scan.js";
import { retokenizeKnown, tokenizeJson, tokenizeTextOrJson } from "./tokenize/json.js";
import { knownOutsideTokens, tokenizeString } from "./tokenize/strings.js";
import { restoreJson } from "./vault/restore.js";
import type { PiiAudit, PiiPolicy, PiiType } from "./types.js";
import { TokenVault, type VaultEntry } from "./vault/vault.js";
import { walkJson } from "./json/walk.js";
import { type Occurrence, WatchIndex } from "./vault/watch.js";

export interface PiiInterceptor extends ToolCallInterceptor {
  readonly policy: PiiPolicy;
  checkOutput(value: unknown): unknown;
  /**
   * Tokenizes a message bound for the program that did not come as a tool result (a backend's error message, say),
   * in every mode but off, and never throws: the program must not learn a value from an error either.
   */
  scrub(text: string): string;
  audit(): PiiAudit;
}

export function createPiiInterceptor(policy: PiiPolicy): PiiInterceptor {
  const vault = new TokenVault();
  const log = new PiiAuditLog(policy.mode);
  const off = policy.mode === "off";

  return {
    policy,
    afterCall(server, tool, result, args) {
      if (off) return result;
      const key = toolKey(server, tool);
      // Known values the program sent in clear (a guess) come back as it sent them, not as the token that would
      // confirm them. Tokenizing is synchronous, so the set belongs to this one result.
      vault.exempt = args !== undefined && vault.size > 0 ? sentInClear(args, vault) : NONE;
      try {
        return tokenizeResult(result, policy, vault, (type) => log.record("tokenized", type, key));
      } finally {
        vault.exempt = NONE;
      }
    },
    beforeCall(server, tool, args) {
      if (off || vault.size === 0) return args;
      const key = toolKey(server, tool);
      return restoreJson(args, vault, (type) => log.record("restored", type, key)) as JsonObject;
    },
    checkOutput(value) {
      if (off) return value;
      if (policy.mode === "strict") {
        refuseLeaks(value, policy, vault, log);
        return value;
      }
      const count = (type: PiiType) => log.record("scrubbed", type);
      const scrubbed = scrubKnownValues(value, vault, policy, count);
      return typeof scrubbed === "string"
        ? tokenizeTextOrJson(scrubbed, policy, vault, count)
        : tokenizeJson(scrubbed, policy, vault, count);
    },
    scrub(text) {
      if (off) return text;
      const count = (type: PiiType) => log.record("scrubbed", type);
      return tokenizeTextOrJson(scrubKnownValues(text, vault, policy, count) as string, policy, vault, count);
    },
    audit: () => log.snapshot(vault),
  };
}

type Count = (type: PiiType) => void;

const NONE: ReadonlySet<string> = new Set();

/** The known values that occur in arguments as the program wrote them (tokens are not values). */
function sentInClear(args: JsonObject, vault: TokenVault): ReadonlySet<string> {
  const text = JSON.stringify(args);
  const found = knownOccurrences(text, vault.allIndex());
  return found.length === 0 ? NONE : new Set(found.map((o) => o.entry.value));
}

function isCallToolResult(value: unknown): value is { content: unknown[]; structuredContent?: unknown } {
  return typeof value === "object" && value !== null && Array.isArray((value as { content?: unknown }).content);
}

type Part = Record<string, unknown>;

/** How a result's parts are tokenized: its texts (JSON-aware), and anything else. */
interface PartTokenizer {
  text(value: string): string;
  json(value: unknown, reuse?: (text: string) => string | undefined): unknown;
}

/**
 * An MCP result, every part of it: text content and embedded text resources JSON-aware, structuredContent (where a
 * string equal to a text content's text takes that text's tokenized form, so nothing is counted twice), resource
 * links, uris, annotations, `_meta` and any other field. Only binary payloads (image / audio `data`, resource `blob`)
 * are left as they are. A value found by its field name in a later part is then looked for in the earlier ones.
 */
function tokenizeResult(result: unknown, policy: PiiPolicy, vault: TokenVault, count: Count): unknown {
  const mark = vault.watched.length;
  const out = tokenizeParts(result, {
    text: (value) => tokenizeTextOrJson(value, policy, vault, count),
    json: (value, reuse) => tokenizeJson(value, policy, vault, count, reuse),
  });
  if (vault.watched.length === mark) return out;
  const fresh = new WatchIndex(vault.watched.slice(mark)).present(JSON.stringify(out ?? null));
  if (fresh.length === 0) return out;
  const index = new WatchIndex(fresh);
  return tokenizeParts(out, {
    text: (value) => retokenizeKnown(value, index, policy, vault, count) as string,
    json: (value, reuse) => retokenizeKnown(value, index, policy, vault, count, reuse),
  });
}

function tokenizeParts(result: unknown, tok: PartTokenizer): unknown {
  if (!isCallToolResult(result)) return tok.json(result);
  const texts: { before: string; after: string }[] = [];
  const text = (value: string) => {
    const after = tok.text(value);
    texts.push({ before: value, after });
    return after;
  };
  const content = result.content.map((item) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) return tok.json(item);
    const part = item as Part;
    if (part.type === "text" && typeof part.text === "string") {
      return tokenizeFields(part, ["text"], tok, { text: text(part.text) });
    }
    if (part.type === "image" || part.type === "audio") return tokenizeFields(part, ["data"], tok, {});
    if (part.type === "resource" && typeof part.resource === "object" && part.resource !== null) {
      const resource = part.resource as Part;
      const inner =
        typeof resource.text === "string"
          ? tokenizeFields(resource, ["text"], tok, { text: text(resource.text) })
          : tokenizeFields(resource, ["blob"], tok, {});
      return tokenizeFields(part, ["resource"], tok, { resource: inner });
    }
    return tok.json(part);
  });
  const reuse = (value: string) => texts.find((t) => t.before.length === value.length && t.before === value)?.after;
  const out: Part = {};
  for (const [key, value] of Object.entries(result as Part)) {
    if (key === "content") out.content = content;
    else if (key === "isError") out.isError = value;
    else out[key] = tok.json(value, reuse);
  }
  return out;
}

/** `part` with every field tokenized, except `kept` ones, which take the values in `done` or stay as they are. */
function tokenizeFields(part: Part, kept: string[], tok: PartTokenizer, done: Part): Part {
  const rest: Part = {};
  for (const [key, value] of Object.entries(part)) if (!kept.includes(key)) rest[key] = value;
  const tokenized = tok.json(rest) as Part;
  const out: Part = {};
  for (const key of Object.keys(part)) {
    out[key] = kept.includes(key) ? (key in done ? done[key] : part[key]) : tokenized[key];
  }
  return out;
}

/**
 * Values already seen in tool results, wherever they turn up again (even where no detector would fire, even as a
 * number), outside the fields the policy leaves alone.
 */
function knownValuesIn(value: unknown, vault: TokenVault, policy: PiiPolicy): VaultEntry[] {
  if (vault.size === 0) return [];
  let haystack: string;
  if (typeof value === "string") haystack = value;
  else {
    const parts: string[] = [];
    walkJson(
      value,
      policy,
      (text) => {
        parts.push(text);
        return undefined;
      },
      true,
    );
    haystack = parts.join("\n");
  }
  return [...new Set(knownOccurrences(haystack, vault.allIndex()).map((o) => o.entry))];
}

/** Occurrences of known values (as written or JSON-escaped) outside the tokens in the text, not overlapping. */
function knownOccurrences(text: string, index: WatchIndex): Occurrence[] {
  const kept: Occurrence[] = [];
  let end = -1;
  for (const o of knownOutsideTokens(text, index)) {
    if (o.start < end) continue;
    kept.push(o);
    end = o.end;
  }
  return kept;
}

function replaceKnown(text: string, index: WatchIndex, count: Count): string {
  const found = knownOccurrences(text, index);
  if (found.length === 0) return text;
  let out = "";
  let last = 0;
  for (const o of found) {
    out += text.slice(last, o.start) + o.entry.token;
    count(o.entry.type);
    last = o.end;
  }
  return out + text.slice(last);
}

function scrubKnownValues(value: unknown, vault: TokenVault, policy: PiiPolicy, count: Count): unknown {
  const present = knownValuesIn(value, vault, policy);
  if (present.length === 0) return value;
  const index = new WatchIndex(present);
  if (typeof value === "string") return replaceKnown(value, index, count);
  return walkJson(
    value,
    policy,
    (text) => {
      const replaced = replaceKnown(text, index, count);
      return replaced === text ? undefined : replaced;
    },
    true,
  );
}

function refuseLeaks(value: unknown, policy: PiiPolicy, vault: TokenVault, log: PiiAuditLog): void {
  const counts = new Map<PiiType, number>();
  let pointer: string | undefined;
  for (const entry of knownValuesIn(value, vault, policy)) counts.set(entry.type, (counts.get(entry.type) ?? 0) + 1);
  for (const finding of scanPii(value, policy)) {
    counts.set(finding.type, (counts.get(finding.type) ?? 0) + 1);
    pointer ??= finding.path;
  }
  // A pointer names keys, and a key can be the value itself ({"zed@example.com": 1}): it is told in tokens too.
  if (pointer !== undefined) {
    const known = scrubKnownValues(pointer, vault, policy, () => {}) as string;
    pointer = tokenizeString(known, policy, vault, () => {}) ?? known;
  }
  if (counts.size === 0) return;
  log.refused();
  const summary = [...counts].map(([type, n]) => `${n} ${type}`).join(", ");
  throw new SkillsError(
    "PII_LEAK",
    `the run's output still contains personal data (${summary}); strict mode refuses it`,
    {
      ...(pointer ? { pointer } : {}),
      types: Object.fromEntries(counts),
      hint: "return tokens or aggregates instead of the values, or add the field to privacy.ignore_fields if it is not personal data",
    },
  );
}
