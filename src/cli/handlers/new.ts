/** `skills new <name>`: scaffold a skill that passes `skills validate --strict`, or make one from a logged run. */
import { newSkill } from "../../commands/new.js";
import { newSkillFromRun } from "../../commands/new/fromRun.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { parseFromRun } from "../parse/new.js";
import { allStrings, lastString } from "../parse/values.js";
import { renderNew } from "../render/new.js";
import { renderNewFromRun } from "../render/newFromRun.js";

export const handler: CommandHandler = async (ctx, [name], options) => {
  const fromRun = parseFromRun(options);
  if (fromRun) {
    const result = await newSkillFromRun({ name: String(name), ...fromRun, cwd: ctx.cwd });
    emit(ctx, result, renderNewFromRun);
    ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
    return;
  }
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
