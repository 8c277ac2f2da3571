/**
 * `skills review --base <ref> [--head <ref>] [--format text|json|md|github] [--allow-breaking]`: the skills a change
 * touches, checked. Exit 1 when a finding blocks, 0 otherwise, 2 on bad usage.
 */
import { review } from "../../commands/review.js";
import { reviewJson } from "../../core/review/report.js";
import { terminalSafeDeep, terminalSafeJson } from "../../core/text/terminal.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { print } from "../context.js";
import { parseReviewOptions } from "../parse/versioning.js";
import { renderReviewGithub, renderReviewMarkdown, renderReviewText } from "../render/review.js";
import { createStatusLine } from "../statusLine.js";

export const handler: CommandHandler = async (ctx, _args, raw) => {
  const options = parseReviewOptions(raw, ctx.json);
  const status = createStatusLine(ctx);
  const result = await review({
    cwd: ctx.cwd,
    base: options.base,
    ...(options.head ? { head: options.head } : {}),
    allowBreaking: options.allowBreaking,
    onStatus: status.set,
  }).finally(status.clear);
  // the messages quote the pull request (file names, descriptions): no control character reaches a terminal or log
  const shown = options.format === "json" ? result : terminalSafeDeep(result);
  if (options.format === "json") print(ctx, terminalSafeJson(reviewJson(result), 2));
  else if (options.format === "md") print(ctx, renderReviewMarkdown(shown));
  else if (options.format === "github") print(ctx, renderReviewGithub(shown));
  else print(ctx, renderReviewText(shown, ctx));
  ctx.exitCode = result.blocking > 0 ? EXIT.CHECK_FAILED : EXIT.OK;
};
