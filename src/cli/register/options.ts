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

/** Where a long step shows what it is doing: a status line on stderr after a second, on a terminal, never with --json. */
export interface StatusLine {
  set(message: string): void;
  clear(): void;
}

export function createStatusLine(
  ctx: { json: boolean; stderr: unknown; errStyle: { dim(text: string): string } },
  delayMs = 1000,
): StatusLine {
  const stream = ctx.stderr as { isTTY?: boolean; write(text: string): boolean };
  const enabled = !ctx.json && Boolean(stream.isTTY);
  let timer: NodeJS.Timeout | undefined;
  let shown = false;
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (shown) stream.write("\r\u001b[2K");
    shown = false;
  };
  return {
    set(message) {
      if (!enabled) return;
      clear();
      timer = setTimeout(() => {
        shown = true;
        stream.write(`\r${ctx.errStyle.dim(`${message}…`)}`);
      }, delayMs);
      timer.unref();
    },
    clear,
  };
}
