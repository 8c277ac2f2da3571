/**
 * Text from the run log and from servers (skill and tool names, messages, versions) on its way to a terminal: anyone
 * can edit a log line, so its C0 and C1 control characters (escape sequences included) are shown as `?`.
 */
export function withoutControlCharacters(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}
