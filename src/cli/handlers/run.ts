/** `skills run <skill>`: run a skill in the sandbox with validated input. */
import { runSkill } from "../../commands/run.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { parseRunSettings } from "../parse/execution.js";
import { lastString } from "../parse/values.js";
import { renderRun } from "../render/run.js";
import { createStatusLine } from "../statusLine.js";

export const handler: CommandHandler = async (ctx, [skill], options) => {
  const status = createStatusLine(ctx);
  const result = await runSkill({
    onStatus: status.set,
    ...parseRunSettings(ctx, options),
    ref: String(skill),
    input: lastString(options.input),
    cells: Boolean(options.cells),
  }).finally(status.clear);
  emit(ctx, result, renderRun);
  ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
};
