/** What the argv parser hands over (strings, numbers, booleans, arrays for repeatable options) as plain values. */

/** The last value of a string option given once or several times (`type: [String]` makes it an array). */
export function lastString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  if (last === undefined || last === true || last === false) return undefined;
  return String(last);
}

/** Every value of a repeatable string option. */
export function allStrings(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).filter((item) => typeof item !== "boolean").map(String);
}

/** A repeatable option whose values may also be comma-separated (`--servers a,b --servers c`); blanks dropped. */
export function commaList(value: unknown): string[] | undefined {
  const items = allStrings(value)
    ?.flatMap((item) => item.split(","))
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  return items && items.length > 0 ? items : undefined;
}
