/** `skills list`: the skills under the configured roots. */
import { listSkills } from "../../commands/list.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { renderList } from "../render/list.js";

export const handler: CommandHandler = async (ctx, _args, options) => {
  const result = await listSkills({ cwd: ctx.cwd, strict: Boolean(options.strict) });
  emit(ctx, result, renderList);
  ctx.exitCode = EXIT.OK;
};
