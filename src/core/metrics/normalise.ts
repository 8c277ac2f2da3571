/**
 * Error messages (and, later, search queries) with their values taken out, so the run log can keep them and
 * `skills insights` can group them: "KeyError: 'ada@example.com'" and "KeyError: 'bob'" both become "KeyError: '…'".
 * Quoted text, numbers, paths, URLs, ids and PII tokens become placeholders, then the PII detectors run over what is
 * left (all built-in types, low threshold) and anything they find becomes <pii>. Only the first line is kept.
 */
import { BUILTIN_PII_TYPES, detectInString, type PiiPolicy } from "../pii/index.js";

export const MAX_MESSAGE_CHARS = 240;

const POLICY: PiiPolicy = {
  mode: "strict",
  types: new Set(BUILTIN_PII_TYPES),
  patterns: [],
  ignoreKeys: new Set(),
  ignorePointers: [],
  minConfidence: 0.3,
};

const RULES: [RegExp, string][] = [
  // PII tokens the bridge put in place of values ([EMAIL_1]).
  [/\[[A-Z][A-Z0-9_]*_\d+\]/g, "<pii>"],
  [/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, "<url>"],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, "<email>"],
  // Quoted text: the values a message quotes (Python's repr, JSON, shell quotes).
  [/"(?:[^"\\\n]|\\.)*"/g, '"…"'],
  [/'(?:[^'\\\n]|\\.)*'/g, "'…'"],
  [/`[^`\n]*`/g, "`…`"],
  [/(?:~|\.{1,2})?(?:\/[^\s/:'"`,;()[\]{}]+)+\/?/g, "<path>"],
  [/\b[A-Za-z]:\\[^\s'"]+/g, "<path>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<id>"],
  [/\b(?=[0-9a-f]*\d)[0-9a-f]{12,}\b/gi, "<id>"],
  // Words that mix letters and digits (keys, passwords, ids): values, not words of the message.
  [/(?<![\w<])(?=[^\s'"`]*[A-Za-z])(?=[^\s'"`]*\d)[^\s'"`<>,;()[\]{}]{6,}/g, "<value>"],
  [/[-+]?\b\d[\d_,.:]*(?:e[-+]?\d+)?\b/gi, "N"],
];

/** The message's first line without its values; "" for an empty message. */
export function normaliseMessage(message: string): string {
  const first = message.split(/\r?\n/).find((line) => line.trim() !== "") ?? "";
  let text = first.length > 4 * MAX_MESSAGE_CHARS ? first.slice(0, 4 * MAX_MESSAGE_CHARS) : first;
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  text = maskDetected(text);
  text = text.replace(/\s+/g, " ").trim();
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…` : text;
}

function maskDetected(text: string): string {
  const matches = detectInString(text, POLICY);
  if (matches.length === 0) return text;
  let out = "";
  let at = 0;
  for (const match of [...matches].sort((a, b) => a.start - b.start)) {
    if (match.start < at) continue;
    out += `${text.slice(at, match.start)}<pii>`;
    at = match.end;
  }
  return out + text.slice(at);
}
