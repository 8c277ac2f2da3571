/** `skills release <skill> [--bump major|minor|patch]`: tag a release after validation, tests, compat and the bump. */
import { release } from "../../commands/release.js";
import { terminalSafeDeep } from "../../core/text/terminal.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { parseBump } from "../parse/versioning.js";
import { renderRelease } from "../render/release.js";
import { createStatusLine } from "../statusLine.js";

export const handler: CommandHandler = async (ctx, [skill], options) => {
  const bump = parseBump(options);
  const status = createStatusLine(ctx);
  const result = await release({
    cwd: ctx.cwd,
    skill: String(skill),
    ...(bump ? { bump } : {}),
    dryRun: Boolean(options.dryRun),
    onStatus: status.set,
  }).finally(status.clear);
  emit(ctx, result, (r, c) => renderRelease(terminalSafeDeep(r), c));
  ctx.exitCode = EXIT.OK;
};
