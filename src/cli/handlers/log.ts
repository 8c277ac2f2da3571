/** `skills log <skill>`: releases with dates and interface changes, and what is not released yet. */
import { log } from "../../commands/log.js";
import { terminalSafeDeep } from "../../core/text/terminal.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { renderLog } from "../render/log.js";

export const handler: CommandHandler = async (ctx, [skill], _options) => {
  const result = await log({ cwd: ctx.cwd, skill: String(skill) });
  // tag messages, commit subjects and authors come from the repository: no control characters reach the terminal
  emit(ctx, result, (r, c) => renderLog(terminalSafeDeep(r), c));
};
