/**
 * `skills serve`: runs until the client goes away (stdio: stdin closes) or a signal (SIGTERM, SIGINT, SIGHUP) asks it
 * to stop; then it ends every run, session, sandbox and server before exiting. With stdio, stdout carries the
 * protocol: everything for the operator goes to stderr.
 */
import { startServe } from "../../commands/serve/serve.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { print, printErr } from "../context.js";
import { parseRunSettings } from "../parse/execution.js";
import { parseServeOptions } from "../parse/serve.js";
import { renderServerEvent, renderServeStart, renderServeSummary } from "../render/serve.js";

const STOP_SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;

export const handler: CommandHandler = async (ctx, _args, options) => {
  const settings = parseRunSettings(ctx, options);
  const serve = parseServeOptions(options, ctx.env);
  const handle = await startServe({
    ...settings,
    ...serve,
    onServerEvent: (event) => printErr(ctx, renderServerEvent(event, ctx.errStyle)),
    onInternalError: (error) =>
      printErr(
        ctx,
        ctx.errStyle.red(`skills serve: internal error: ${error instanceof Error ? error.message : String(error)}`),
      ),
  });
  const stop = (): void => void handle.close();
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  try {
    printErr(ctx, renderServeStart(handle, ctx.errStyle));
    // Over HTTP, stdout says where to connect (one JSON line with --json): scripts that pass --http 0 read the port.
    if (handle.transport === "http") {
      print(ctx, ctx.json ? JSON.stringify({ url: handle.url, port: handle.port }) : (handle.url ?? ""));
    }
    const summary = await handle.closed;
    printErr(ctx, renderServeSummary(summary));
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
  }
  ctx.exitCode = EXIT.OK;
};
