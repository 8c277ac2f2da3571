/** `skills run <skill>`: the skill's servers start while the run's handler loads (commands/shared/earlyServers.ts). */
import { startSkillServersEarly } from "../../commands/shared/earlyServers.js";
import type { EarlyStart } from "../commandSpec.js";
import { lastString } from "../parse/values.js";

export const early: EarlyStart = (ctx, [skill], options) => {
  const configPath = lastString(options.config);
  return startSkillServersEarly({
    cwd: ctx.cwd,
    ref: String(skill),
    ...(configPath !== undefined ? { configPath } : {}),
  });
};
