/**
 * `skills repl`: a session fed from stdin. On a terminal it prompts (`>>>`, `...`); otherwise it reads blocks
 * separated by a `%%` line or a blank line and prints each block's result (one JSON object per line with --json).
 */
import { createInterface } from "node:readline";
import { BlockReader, openRepl } from "../../commands/repl.js";
import type { RunResult } from "../../contracts/run.js";
import { EXIT } from "../../errors.js";
import { terminalSafeJson } from "../../core/text/terminal.js";
import type { CommandHandler } from "../commandSpec.js";
import { print, printErr } from "../context.js";
import { parseLanguage, parseNamedTools, parseRunSettings } from "../parse/execution.js";
import { lastString } from "../parse/values.js";
import { renderRunResult } from "../render/run.js";
import { createStatusLine } from "../statusLine.js";

export const handler: CommandHandler = async (ctx, _args, options) => {
  const language = parseLanguage(lastString(options.lang) ?? "python");
  const status = createStatusLine(ctx);
  const session = await openRepl({
    ...parseRunSettings(ctx, options),
    ...parseNamedTools(options),
    onStatus: status.set,
    language,
  }).finally(status.clear);
  const interactive = Boolean(process.stdin.isTTY) && !ctx.json;
  let failed = 0;
  let count = 0;
  const show = (run: RunResult) => {
    count++;
    if (!run.ok) failed++;
    // One line per block, control characters a program printed escaped as everywhere else in --json output.
    if (ctx.json) print(ctx, terminalSafeJson({ block: count, ...run }));
    else {
      const showResult = run.result !== undefined && run.result !== null;
      print(ctx, renderRunResult(run, ctx.style, { title: `[${count}]`, showResult, debug: ctx.debug }));
    }
  };
  try {
    if (interactive) {
      printErr(
        ctx,
        ctx.errStyle.dim(
          `skills repl (${language}${session.tools.length ? `, tools: ${session.tools.join(", ")}` : ""}). ` +
            "A blank line or %% runs the block; Ctrl-D quits.",
        ),
      );
    }
    for (const warning of session.warnings) printErr(ctx, ctx.errStyle.yellow(`warning: ${warning}`));
    const reader = new BlockReader(language);
    const lines = createInterface({
      input: process.stdin,
      terminal: interactive,
      output: interactive ? process.stderr : undefined,
    });
    // Ctrl-D while a block runs closes the interface before the loop asks for the next line: a prompt() after that
    // would put the terminal back in raw mode and keep stdin open, and the REPL would wait for a second Ctrl-D.
    let closed = false;
    lines.once("close", () => {
      closed = true;
    });
    const prompt = () => {
      if (interactive && !closed) {
        lines.setPrompt(reader.pending ? "... " : ">>> ");
        lines.prompt();
      }
    };
    prompt();
    for await (const line of lines) {
      const block = reader.push(line);
      if (block !== undefined) show(await session.execute(block));
      prompt();
    }
    const rest = reader.flush();
    if (rest !== undefined) show(await session.execute(rest));
  } finally {
    await session.close();
  }
  ctx.exitCode = failed > 0 ? EXIT.CHECK_FAILED : EXIT.OK;
};
