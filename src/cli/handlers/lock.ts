/** `skills lock [skills..] [--check]`: pin each skill's tool dependencies in tools.lock.json. */
import { lockErrorKind, lockSkills } from "../../commands/lock.js";
import { terminalSafeDeep } from "../../core/text/terminal.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { lastString } from "../parse/values.js";
import { renderLock } from "../render/lock.js";
import { createStatusLine } from "../statusLine.js";

export const handler: CommandHandler = async (ctx, [skills], options) => {
  const status = createStatusLine(ctx);
  const configPath = lastString(options.config);
  const result = await lockSkills({
    cwd: ctx.cwd,
    paths: ((skills as unknown[] | undefined) ?? []).map(String),
    check: Boolean(options.check),
    ...(configPath ? { configPath } : {}),
    ...(options.refresh ? { refresh: true } : {}),
    onStatus: status.set,
  }).finally(status.clear);
  // a server's error messages and tool names reach the text: shown with their control characters escaped
  emit(ctx, result, (locked, context) => renderLock(terminalSafeDeep(locked), context));
  const kind = lockErrorKind(result);
  ctx.exitCode = kind === "input" ? EXIT.USAGE : result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
};
