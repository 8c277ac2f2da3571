/**
 * A one-line progress counter on stderr for work that takes over a second. Only on a terminal and never with --json,
 * so pipes, CI logs and machine output stay clean.
 */
import type { CliContext } from "../context.js";

export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

export function createProgress(ctx: CliContext, label: string, delayMs = 1000): Progress {
  const stream = ctx.stderr as { isTTY?: boolean; write(text: string): boolean };
  const enabled = !ctx.json && Boolean(stream.isTTY);
  const start = Date.now();
  let shown = false;
  return {
    update(done, total) {
      if (!enabled || Date.now() - start < delayMs) return;
      shown = true;
      stream.write(`\r${ctx.errStyle.dim(`${label} ${done}/${total}`)}`);
    },
    done() {
      if (shown) stream.write("\r\u001b[2K");
    },
  };
}
