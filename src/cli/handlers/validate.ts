/** `skills validate [paths..]`: check skill folders against the format. */
import { validate } from "../../commands/validate.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { createProgress } from "../render/progress.js";
import { parseProfile } from "../parse/validate.js";
import { lastString } from "../parse/values.js";
import { renderValidate } from "../render/validate.js";

export const handler: CommandHandler = async (ctx, [paths], options) => {
  const profile = parseProfile(options.profile);
  const progress = createProgress(ctx, "validating");
  const result = await validate({
    ...(profile ? { profile } : {}),
    ...(lastString(options.config) ? { configPath: lastString(options.config)! } : {}),
    paths: ((paths as unknown[] | undefined) ?? []).map(String),
    strict: Boolean(options.strict),
    cwd: ctx.cwd,
    onProgress: progress.update,
  }).finally(progress.done);
  emit(ctx, result, renderValidate);
  ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
};
