/** `skills compat [skills..]`: check skills against the tools they depend on (live servers or a git ref). */
import { compat } from "../../commands/compat.js";
import { reachesFailOn } from "../../core/compat/judge.js";
import { RULES } from "../../core/compat/rules.js";
import { terminalSafeDeep, terminalSafeJson } from "../../core/text/terminal.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { print } from "../context.js";
import { parseCompatOptions } from "../parse/compat.js";
import {
  compatJson,
  renderCompatGithub,
  renderCompatJunit,
  renderCompatMarkdown,
  renderCompatText,
} from "../render/compat.js";
import { renderRules } from "../render/compatRules.js";
import { createStatusLine } from "../statusLine.js";

export const handler: CommandHandler = async (ctx, [skills], raw) => {
  // Every option is checked before a server starts or a file is read.
  const options = parseCompatOptions(raw, ctx.json);
  if (options.rules) {
    print(ctx, options.format === "json" ? terminalSafeJson({ rules: RULES }, 2) : renderRules(RULES, ctx));
    return;
  }
  const status = createStatusLine(ctx);
  const result = await compat({
    cwd: ctx.cwd,
    paths: ((skills as unknown[] | undefined) ?? []).map(String),
    against: options.against,
    strict: options.strict,
    fix: options.fix,
    typecheck: options.typecheck,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.refresh ? { refresh: true } : {}),
    onStatus: status.set,
  }).finally(status.clear);
  const { failOn } = options;
  // Servers write the descriptions and messages the output quotes: JSON keeps the exact text (control characters
  // escaped), every other format shows a control character as an escape instead of letting it act on a terminal.
  const shown = options.format === "json" ? result : terminalSafeDeep(result);
  if (options.format === "json") print(ctx, terminalSafeJson(compatJson(result), 2));
  else if (options.format === "md") print(ctx, renderCompatMarkdown(shown, failOn));
  else if (options.format === "junit") print(ctx, renderCompatJunit(shown, failOn));
  else if (options.format === "github") print(ctx, renderCompatGithub(shown, failOn));
  else print(ctx, renderCompatText(shown, ctx, failOn));
  ctx.exitCode = result.skills.some((skill) => reachesFailOn(skill.status, failOn)) ? EXIT.CHECK_FAILED : EXIT.OK;
};
