/** `skills test [skills..]`: run the skills' test cases (replay by default, --live, --record). */
import { runTests } from "../../commands/test.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit, print } from "../context.js";
import { parseConcurrency } from "../parse/test.js";
import { lastString } from "../parse/values.js";
import { renderSkillProgress, renderTest } from "../render/test.js";

export const handler: CommandHandler = async (ctx, [skills], options) => {
  const result = await runTests({
    cwd: ctx.cwd,
    paths: ((skills as unknown[] | undefined) ?? []).map(String),
    record: Boolean(options.record),
    live: Boolean(options.live),
    filter: lastString(options.filter),
    junit: lastString(options.junit),
    concurrency: parseConcurrency(options.concurrency),
    strict: Boolean(options.strict),
    configPath: lastString(options.config),
    ...(options.requireIsolation ? { requireIsolation: true } : {}),
    onSkillDone: (skill) => {
      if (!ctx.json) print(ctx, renderSkillProgress(skill, ctx.style));
    },
  });
  emit(ctx, result, renderTest);
  ctx.exitCode = result.summary.errors > 0 ? EXIT.USAGE : result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
};
