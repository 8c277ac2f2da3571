/**
 * Keeps option values as the user typed them. cac hands argv to mri without a list of string options, and mri turns
 * every value that reads as a number into one: `--code " "` became the program `0`, `--input 1e3` the text `1000`,
 * `--name 007` the name `7`. Before parsing, each such value gets a NUL in front (argv can never hold one, and a NUL
 * is not a number to `+value`); after parsing, the NUL comes off again. Values that survive the round trip
 * (`--timeout 5000`) are left alone: they reach the option parsers as numbers, which read them with Number().
 */
import type { CAC } from "cac";

const MARK = "\u0000";

/** Would mri change this text by reading it as a number? (mri: `x = +val; x * 0 === 0 ? x : val`.) */
function changedByMri(text: string): boolean {
  const n = +text;
  return n * 0 === 0 && String(n) !== text;
}

function protect(text: string): string {
  return changedByMri(text) ? MARK + text : text;
}

/** argv with every value mri would turn into a different number marked; what follows `--` is not parsed by mri. */
export function protectArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  let passThrough = false;
  for (const [index, token] of argv.entries()) {
    if (passThrough || index < 2) out.push(token);
    else if (token === "--") {
      passThrough = true;
      out.push(token);
    } else if (token.startsWith("-")) {
      const eq = token.indexOf("=");
      out.push(eq > 0 ? token.slice(0, eq + 1) + protect(token.slice(eq + 1)) : token);
    } else out.push(protect(token));
  }
  return out;
}

/** A parsed value with the marks taken off (strings, arrays of them, and cac's nested `--a.b` objects). */
export function unprotect(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith(MARK) ? value.slice(MARK.length) : value;
  if (Array.isArray(value)) return value.map(unprotect);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = unprotect(item);
    return out;
  }
  return value;
}

/**
 * `cli.parse(argv, { run: false })` with every value as typed: what the matched command's action then receives.
 * A repeatable option (registered with `type: []`, so it is always an array) holds text only, and one given without a
 * value is refused here (with `missing`'s error for it, else cac's own message): cac checks only options that are not
 * arrays.
 */
export function parseKeepingStrings(
  cli: CAC,
  argv: readonly string[],
  missing: (option: string) => Error | undefined = () => undefined,
): void {
  cli.parse(protectArgv(argv), { run: false });
  cli.args = unprotect(cli.args) as typeof cli.args;
  cli.options = unprotect(cli.options) as typeof cli.options;
  for (const option of [...cli.globalCommand.options, ...(cli.matchedCommand?.options ?? [])]) {
    const value: unknown = cli.options[option.name];
    if (!Array.isArray(value)) continue;
    if (option.required && value.includes(true)) {
      const own = missing(option.name);
      if (own) throw own;
      const error = new Error(`option \`${option.rawName}\` value is missing`);
      error.name = "CACError";
      throw error;
    }
    // A number in the list read back as typed (protectArgv marked the ones that would not): every value is text.
    cli.options[option.name] = value.map((item) => (typeof item === "number" ? String(item) : item));
  }
}
