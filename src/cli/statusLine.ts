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
