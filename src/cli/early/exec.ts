/** `skills exec`: the program's sandbox starts while the exec handler loads (commands/shared/earlyWorker.ts). */
import { startWorkerEarly } from "../../commands/shared/earlyWorker.js";
import type { SkillLanguage } from "../../contracts/skill.js";
import type { EarlyStart } from "../commandSpec.js";
import { parseLanguage, parseRunSettings } from "../parse/execution.js";
import { lastString } from "../parse/values.js";

export const early: EarlyStart = async (ctx, _args, options) => {
  let language: SkillLanguage;
  try {
    language = parseLanguage(lastString(options.lang));
    parseRunSettings(ctx, options);
  } catch {
    // The handler refuses it with its own message (a usage error); nothing is started.
    return async () => {};
  }
  return startWorkerEarly({
    cwd: ctx.cwd,
    language,
    ...(options.requireIsolation ? { requireIsolation: true } : {}),
  });
};
