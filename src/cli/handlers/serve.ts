/**
 * `skills serve`: runs until the client goes away (stdio: stdin closes) or a signal (SIGTERM, SIGINT, SIGHUP) asks it
 * to stop; then it ends every run, session, sandbox and server before exiting. With stdio, stdout carries the
 * protocol: everything for the operator goes to stderr.
 */
import { SERVE_NESTED_ENV } from "../../commands/serve/liveTools.js";
import { startServe } from "../../commands/serve/serve.js";
import { terminalSafe } from "../../core/text/terminal.js";
import { EXIT, SkillsError } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { print, printErr } from "../context.js";
import { parseRunSettings } from "../parse/execution.js";
import { parseServeOptions } from "../parse/serve.js";
import { renderInternalError, renderServerEvent, renderServeStart, renderServeSummary } from "../render/serve.js";

const STOP_SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;

export const handler: CommandHandler = async (ctx, _args, options) => {
  if (ctx.env[SERVE_NESTED_ENV]) {
    // Started by another skills serve as one of its servers: serving again would start itself again, without end.
    throw new SkillsError("USAGE", "this skills serve was started as a server of another skills serve", {
      hint: "leave the entry that runs skills serve out of the .mcp.json that skills serve reads (or pass --config)",
    });
  }
  const settings = parseRunSettings(ctx, options);
  const serve = parseServeOptions(options, ctx.env);
  const handle = await startServe({
    ...settings,
    ...serve,
    onServerEvent: (event) => printErr(ctx, renderServerEvent(event, ctx.errStyle)),
    onInternalError: (error) => printErr(ctx, renderInternalError(error, ctx.errStyle)),
  });
  const stop = (): void => void handle.close();
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  try {
    printErr(ctx, renderServeStart(handle, ctx.errStyle));
    // Over HTTP, stdout says where to connect (one JSON line with --json): scripts that pass --http 0 read the port.
    if (handle.transport === "http") {
      print(ctx, ctx.json ? JSON.stringify({ url: handle.url, port: handle.port }) : terminalSafe(handle.url ?? ""));
    }
    const summary = await handle.closed;
    printErr(ctx, renderServeSummary(summary));
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
  }
  ctx.exitCode = EXIT.OK;
};
