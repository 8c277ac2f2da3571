/** How a personal value is shown in output that people read (scan results, warnings about cassettes). */

/** Keeps the first and last character; enough to recognise a value you know, not to learn one you don't. */
export function maskValue(value: string): string {
  if (value.length <= 4) return "•".repeat(value.length);
  return `${value[0]}${"•".repeat(Math.min(value.length - 2, 24))}${value[value.length - 1]}`;
}
