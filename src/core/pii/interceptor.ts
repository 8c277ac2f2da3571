/**
 * The bridge hooks. Tool results are tokenized before the program sees them; tokens in tool arguments are restored
 * before the call reaches the server; what leaves the run (result, logs, errors) is checked on the way out.
 *
 * Modes: `off` passes everything through. `default` tokenizes results and also tokenizes whatever still matches a
 * detector (or equals a value seen in a tool result) in the outgoing value, so a run's output holds only tokens.
 * `strict` does the same on results but refuses (SkillsError PII_LEAK) an outgoing value that still holds PII.
 */
import { SkillsError } from "../../errors.js";
import type { JsonObject } from "../../mcp/types.js";
import { toolKey } from "../../mcp/types.js";
import type { ToolCallInterceptor } from "../../sandbox/types.js";
import { PiiAuditLog } from "./audit.js";
import { scanPii } from "./scan.js";
import { restoreJson, tokenizeJson, tokenizeTextOrJson } from "./tokenize.js";
import type { PiiAudit, PiiPolicy, PiiType } from "./types.js";
import { TokenVault, type VaultEntry } from "./vault.js";
import { type IgnoreRules, walkJson } from "./walk.js";

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
    afterCall(server, tool, result) {
      if (off) return result;
      const key = toolKey(server, tool);
      return tokenizeResult(result, policy, vault, (type) => log.record("tokenized", type, key));
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
      const scrubbed = scrubKnownValues(value, vault, count);
      return typeof scrubbed === "string"
        ? tokenizeTextOrJson(scrubbed, policy, vault, count)
        : tokenizeJson(scrubbed, policy, vault, count);
    },
    scrub(text) {
      if (off) return text;
      const count = (type: PiiType) => log.record("scrubbed", type);
      return tokenizeTextOrJson(scrubKnownValues(text, vault, count) as string, policy, vault, count);
    },
    audit: () => log.snapshot(vault),
  };
}

type Count = (type: PiiType) => void;

function isCallToolResult(value: unknown): value is { content: unknown[]; structuredContent?: unknown } {
  return typeof value === "object" && value !== null && Array.isArray((value as { content?: unknown }).content);
}

/** MCP result: text content (JSON-aware), embedded text resources, structuredContent. Anything else: walked. */
function tokenizeResult(result: unknown, policy: PiiPolicy, vault: TokenVault, count: Count): unknown {
  if (!isCallToolResult(result)) return tokenizeJson(result, policy, vault, count);
  const content = result.content.map((item) => {
    if (typeof item !== "object" || item === null) return item;
    const part = item as { type?: unknown; text?: unknown; resource?: { text?: unknown } };
    if (part.type === "text" && typeof part.text === "string") {
      const text = tokenizeTextOrJson(part.text, policy, vault, count);
      return text === part.text ? item : { ...part, text };
    }
    if (part.type === "resource" && typeof part.resource?.text === "string") {
      const text = tokenizeTextOrJson(part.resource.text, policy, vault, count);
      return text === part.resource.text ? item : { ...part, resource: { ...part.resource, text } };
    }
    return item;
  });
  const out: Record<string, unknown> = { ...result, content };
  if (result.structuredContent !== undefined) {
    out.structuredContent = tokenizeJson(result.structuredContent, policy, vault, count);
  }
  return out;
}

/** Values already seen in tool results, wherever they turn up again (even where no detector would fire). */
function knownValuesIn(value: unknown, vault: TokenVault): VaultEntry[] {
  if (vault.size === 0) return [];
  const haystack = typeof value === "string" ? value : JSON.stringify(value ?? null);
  const present: VaultEntry[] = [];
  for (const entry of vault.entries()) {
    if (entry.value.length < 3) continue;
    const needle = typeof value === "string" ? entry.value : JSON.stringify(entry.value).slice(1, -1);
    if (haystack.includes(needle)) present.push(entry);
  }
  return present.sort((a, b) => b.value.length - a.value.length);
}

function replaceKnown(text: string, entries: VaultEntry[], count: Count): string {
  let out = text;
  for (const entry of entries) {
    if (!out.includes(entry.value)) continue;
    const parts = out.split(entry.value);
    for (let i = 1; i < parts.length; i++) count(entry.type);
    out = parts.join(entry.token);
  }
  return out;
}

function scrubKnownValues(value: unknown, vault: TokenVault, count: Count): unknown {
  const present = knownValuesIn(value, vault);
  if (present.length === 0) return value;
  if (typeof value === "string") return replaceKnown(value, present, count);
  return walkJson(value, NO_IGNORE, (text) => {
    const replaced = replaceKnown(text, present, count);
    return replaced === text ? undefined : replaced;
  });
}

const NO_IGNORE: IgnoreRules = { ignoreKeys: new Set(), ignorePointers: [] };

function refuseLeaks(value: unknown, policy: PiiPolicy, vault: TokenVault, log: PiiAuditLog): void {
  const counts = new Map<PiiType, number>();
  let pointer: string | undefined;
  for (const entry of knownValuesIn(value, vault)) counts.set(entry.type, (counts.get(entry.type) ?? 0) + 1);
  for (const finding of scanPii(value, policy)) {
    counts.set(finding.type, (counts.get(finding.type) ?? 0) + 1);
    pointer ??= finding.path;
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
