/** `scanPii`: what would be tokenized, with positions, without changing anything. */
import { detectInString } from "./detect/detect.js";
import { JsonSyntaxError, lexJson, rawOffset } from "./json/lexer.js";
import { NO_CONTEXT, keyContext } from "./detect/keyContext.js";
import { toPointer } from "./json/pointer.js";
import { looksLikeJson, piiLiteralReader } from "./json/sniff.js";
import type { PiiFinding, PiiPolicy } from "./types.js";
import { hintTakesNumbers, walkJson } from "./json/walk.js";

export type ScanFormat = "auto" | "json" | "text";

export interface ScanPiiOptions {
  /** For string input: `json` requires JSON (throws JsonSyntaxError), `text` never parses, `auto` tries JSON first. */
  format?: ScanFormat;
}

/**
 * Findings in a string (JSON text or plain text) or a parsed JSON value. For text input, start/end are offsets in the
 * text itself (so a caller can turn them into line:col); for a parsed value they are offsets in the string at `path`.
 */
export function scanPii(input: unknown, policy: PiiPolicy, options: ScanPiiOptions = {}): PiiFinding[] {
  if (policy.mode === "off") return [];
  if (typeof input !== "string") return scanValue(input, policy);
  const format = options.format ?? "auto";
  if (format === "text") return scanText(input, policy);
  if (format === "json") return scanJsonText(input, policy);
  if (looksLikeJson(input)) {
    try {
      return scanJsonText(input, policy);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
    }
  }
  return scanText(input, policy);
}

export function scanText(text: string, policy: PiiPolicy): PiiFinding[] {
  return detectInString(text, policy, NO_CONTEXT).map((m) => ({ ...m, path: "" }));
}

export function scanValue(value: unknown, policy: PiiPolicy): PiiFinding[] {
  const findings: PiiFinding[] = [];
  walkJson(value, policy, (text, ctx, segments, inKey) => {
    for (const m of detectInString(text, policy, ctx)) {
      findings.push({ ...m, path: toPointer(segments), ...(inKey ? { inKey } : {}) });
    }
    return undefined;
  });
  return findings;
}

/** Findings in JSON text with offsets into the raw text. Throws JsonSyntaxError when the text is not JSON. */
export function scanJsonText(text: string, policy: PiiPolicy): PiiFinding[] {
  const findings: PiiFinding[] = [];
  const reader = piiLiteralReader(text, policy);
  lexJson(
    text,
    policy,
    (lit) => {
      const ctx = lit.kind === "key" ? NO_CONTEXT : keyContext(lit.field);
      if (lit.kind === "number" && !hintTakesNumbers(ctx)) return;
      // An unescaped literal's value is its raw characters: the features the pre-filter computed on them hold.
      const known = lit.kind === "number" || lit.escaped ? undefined : reader.featuresOf(lit.start + 1);
      const matches = detectInString(lit.value, policy, ctx, known);
      if (matches.length === 0) return;
      const raw = lit.escaped ? text.slice(lit.start, lit.end) : "";
      const base = lit.kind === "number" ? 0 : 1;
      const at = (index: number) => lit.start + (lit.escaped ? rawOffset(raw, index) : base + index);
      const path = toPointer(lit.segments);
      for (const m of matches) {
        const finding: PiiFinding = { ...m, start: at(m.start), end: at(m.end), path };
        if (lit.kind === "key") finding.inKey = true;
        findings.push(finding);
      }
    },
    reader.skip,
  );
  return findings;
}
