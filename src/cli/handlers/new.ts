/** `skills new <name>`: scaffold a skill that passes `skills validate --strict`. */
import { newSkill } from "../../commands/new.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { allStrings, lastString } from "../parse/values.js";
import { renderNew } from "../render/new.js";

export const handler: CommandHandler = async (ctx, [name], options) => {
  const result = await newSkill({
    name: String(name),
    lang: lastString(options.lang),
    description: lastString(options.description),
    tools: allStrings(options.tools) ?? [],
    dir: lastString(options.dir),
    cwd: ctx.cwd,
  });
  emit(ctx, result, renderNew);
  ctx.exitCode = EXIT.OK;
};
