/**
 * Text a program produced, made safe to print on a terminal. A program's stdout, stderr, result, error message or
 * traceback may hold escape sequences that set the window title (OSC), clear the screen or move the cursor (CSI),
 * rewrite a line (`\r`), or reorder what the reader sees (bidi overrides): printed raw, a program could fake the
 * toolkit's own "✓ ok" line. Every such character is shown as an escape instead (`\x1b`, `\r`, `\u202e`), so the
 * reader sees what the program sent. Newlines and tabs stay; `\r\n` line ends become `\n`.
 *
 * What is escaped: C0 controls but `\n` and `\t` (U+0000–U+001F), DEL (U+007F), C1 controls (U+0080–U+009F: 0x9b is
 * a one-byte CSI on some terminals), and the bidirectional formatting characters (U+061C, U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069), which can make a line read differently from its bytes ("Trojan Source").
 * `--json` output is not passed through this: JSON escapes control characters itself and keeps the exact text.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /\r\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same set, for a cheap test before any copying (most text has none). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ANY_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const NAMED: Record<string, string> = { "\r": "\\r", "\b": "\\b", "\f": "\\f", "\v": "\\v", "\u0000": "\\0" };

function escapeChar(char: string): string {
  if (char === "\r\n") return "\n";
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** `text` with every terminal control character shown as an escape (see above); unchanged when it has none. */
export function terminalSafe(text: string): string {
  if (!ANY_UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, escapeChar);
}

/** True when `text` holds a character terminalSafe would escape (a `\r\n` line end does not count). */
export function hasTerminalControls(text: string): boolean {
  return ANY_UNSAFE.test(text.replace(/\r\n/g, "\n"));
}

/** Characters JSON.stringify leaves raw that a terminal still acts on: DEL, C1 controls, bidi formatting. */
const JSON_RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text for machines that may still land on a terminal: JSON.stringify escapes C0 controls itself; the rest of
 * the set above is written as `\uXXXX` too. Outside strings JSON holds none of these, so the text parses back to
 * exactly the same value.
 */
export function terminalSafeJson(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent) ?? "null";
  return text.replace(JSON_RAW_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A result object with every string in it made terminalSafe, for renderers that print text other parties wrote (a
 * server's descriptions and error messages, code from a skill) next to their own styling. Arrays and plain objects
 * are copied; everything else is returned as it is.
 */
export function terminalSafeDeep<T>(value: T): T {
  if (typeof value === "string") return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((item) => terminalSafeDeep(item)) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) out[terminalSafe(key)] = terminalSafeDeep(member);
    return out as T;
  }
  return value;
}
