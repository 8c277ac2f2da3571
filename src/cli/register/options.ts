/** Small argv normalisers shared by the run/exec/repl registrations (cac hands over numbers and arrays). */

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
