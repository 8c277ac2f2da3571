/** `skills diff <skill> [<a>..<b>]`: the interface diff between two versions (default: last release .. work tree). */
import { diff } from "../../commands/diff.js";
import { terminalSafeDeep } from "../../core/text/terminal.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { renderDiff } from "../render/diff.js";

export const handler: CommandHandler = async (ctx, [skill, range], _options) => {
  const result = await diff({
    cwd: ctx.cwd,
    skill: String(skill),
    ...(range !== undefined ? { range: String(range) } : {}),
  });
  emit(ctx, result, (r, c) => renderDiff(terminalSafeDeep(r), c));
};
