/** `skills list`: the skills under the configured roots. */
import { listSkills } from "../../commands/list.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { parseProfile } from "../parse/validate.js";
import { renderList } from "../render/list.js";

export const handler: CommandHandler = async (ctx, _args, options) => {
  const profile = parseProfile(options.profile);
  const result = await listSkills({ cwd: ctx.cwd, strict: Boolean(options.strict), ...(profile ? { profile } : {}) });
  emit(ctx, result, renderList);
  ctx.exitCode = EXIT.OK;
};
