/**
 * Escaping of everything a server sends (names, descriptions, enum values) before it lands in generated source.
 * The rule: server text only ever appears inside a string literal we quote ourselves, inside a comment whose
 * terminator it cannot spell, or as a sanitised identifier. Nothing is emitted raw.
 */

/** Characters that are invisible, reorder text ("trojan source" bidi controls) or break lines in some tools. */
// biome-ignore lint/complexity/useRegexLiterals: a literal would hold raw control characters
const SUSPICIOUS = new RegExp(
  "[\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb]",
);
/** Line terminators besides LF that some language or editor honours. */
// biome-ignore lint/complexity/useRegexLiterals: a literal would hold raw control characters
const LINE_BREAKS = new RegExp("\\r\\n?|[\\u000b\\u000c\\u0085\\u2028\\u2029]", "g");

/** Printable ASCII without `"` and `\\`: such text needs no escaping in any literal or comment. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** Text whose lines need no cleaning: no control characters but LF and tab, nothing invisible, no surrogates. */
// biome-ignore lint/complexity/useRegexLiterals: a literal would hold raw control characters
const NEEDS_CLEANING = new RegExp(
  "[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb\\ud800-\\udfff]",
);

function isLoneSurrogate(char: string): boolean {
  const code = char.charCodeAt(0);
  return char.length === 1 && code >= 0xd800 && code <= 0xdfff;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

/** A Python string literal (double-quoted) for any text; safe on one line. */
export function pyString(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  let out = '"';
  for (const char of text) out += pyChar(char, false);
  return `${out}"`;
}

function pyChar(char: string, keepNewline: boolean): string {
  switch (char) {
    case "\\":
      return "\\\\";
    case '"':
      return '\\"';
    case "\n":
      return keepNewline ? "\n" : "\\n";
    case "\t":
      return keepNewline ? "\t" : "\\t";
    case "\r":
      return "\\r";
  }
  const code = char.codePointAt(0)!;
  if (isLoneSurrogate(char)) return `\\u${hex(code, 4)}`;
  if (SUSPICIOUS.test(char)) return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  return char;
}

/**
 * A Python docstring literal, indented by `indent` on continuation lines. Backslashes and every `"` are escaped, so
 * the text can neither close the literal nor start an escape sequence.
 */
export function pyDocstring(text: string, indent: string): string {
  const lines = normalizeLines(text).map((line) => line.replace(/\s+$/, ""));
  const joined = lines.join("\n");
  if (!/["\\]/.test(joined)) return wrapDocstring(lines, indent);
  // A lone `"` reads better raw and cannot close the literal; `""`, `"""` and a final `"` are escaped.
  const chars = [...joined];
  let out = "";
  chars.forEach((char, index) => {
    if (
      char === '"' &&
      chars[index - 1] !== '"' &&
      chars[index + 1] !== '"' &&
      index !== 0 &&
      index !== chars.length - 1
    )
      out += char;
    else out += pyChar(char, true);
  });
  return wrapDocstring(out.split("\n"), indent);
}

function wrapDocstring(lines: string[], indent: string): string {
  if (lines.length === 1) return `${indent}"""${lines[0]}"""`;
  const body = lines.map((line, index) => (index === 0 || line === "" ? line : `${indent}${line}`)).join("\n");
  return `${indent}"""${body}\n${indent}"""`;
}

/** A single-line Python comment text (no `#`): line breaks and control characters become spaces. */
export function pyComment(text: string): string {
  return oneLine(text);
}

/** A TypeScript string literal (double-quoted), ASCII-safe for line and format characters. */
export function tsString(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === "\\") out += "\\\\";
    else if (char === '"') out += '\\"';
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (isLoneSurrogate(char) || SUSPICIOUS.test(char)) out += `\\u${hex(code, 4)}`;
    else out += char;
  }
  return `${out}"`;
}

/** Lines of a JSDoc comment body: `*\/` is broken up, so the text cannot end the comment. */
export function jsDocLines(text: string): string[] {
  return normalizeLines(text).map((line) => line.replace(/\*\//g, "*\\/").replace(/\s+$/, ""));
}

/** A JSDoc block at `indent`; empty string when there is no text. */
export function jsDoc(text: string | undefined, indent = ""): string {
  if (text === undefined || text.trim() === "") return "";
  const lines = jsDocLines(text.trim());
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((line) => (line ? `${indent} * ${line}` : `${indent} *`)).join("\n")}\n${indent} */\n`;
}

/** Splits on every line terminator any language or editor knows; drops control and invisible characters. */
function normalizeLines(text: string): string[] {
  if (!NEEDS_CLEANING.test(text)) return text.split("\n");
  let clean = "";
  for (const char of text.replace(LINE_BREAKS, "\n")) {
    if (char === "\n" || char === "\t") clean += char;
    else if (isLoneSurrogate(char)) clean += "\ufffd";
    else if (SUSPICIOUS.test(char)) clean += " ";
    else clean += char;
  }
  return clean.split("\n");
}

/** Text on one line, for comments and one-line summaries. */
export function oneLine(text: string): string {
  return normalizeLines(text).join(" ").replace(/\s+/g, " ").trim();
}

/** A TS comment text on one line (used inside `/* *\/` notes): cannot close the comment. */
export function tsCommentText(text: string): string {
  return oneLine(text).replace(/\*\//g, "*\\/");
}
