/** `skills init [dir]`: a new skills project (config, servers, an example skill, the CI workflows). */
import { initProject } from "../../commands/init.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { renderInit } from "../render/init.js";
import { createStatusLine } from "../statusLine.js";

export const handler: CommandHandler = async (ctx, [dir], _options) => {
  const status = createStatusLine(ctx);
  const result = await initProject({
    cwd: ctx.cwd,
    ...(dir !== undefined ? { dir: String(dir) } : {}),
    onStatus: status.set,
  }).finally(status.clear);
  emit(ctx, result, renderInit);
};
