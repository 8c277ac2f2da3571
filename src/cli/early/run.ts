/** `skills run <skill>`: the skill's servers start while the run's handler loads (commands/shared/earlyServers.ts). */
import { startSkillServersEarly } from "../../commands/shared/earlyServers.js";
import type { EarlyStart } from "../commandSpec.js";
import { parseRunSettings } from "../parse/execution.js";
import { lastString } from "../parse/values.js";

export const early: EarlyStart = async (ctx, [skill], options) => {
  // Options the handler will refuse (a usage error, exit 2) start nothing: it would only be ended again.
  let configPath: string | undefined;
  try {
    configPath = parseRunSettings(ctx, options).configPath;
    // Only whether the input parses counts here: a start plan is shared by every input of a kind (planArgv in
    // src/cli/startPlan.ts), so what starts may depend on nothing more of it.
    const input = lastString(options.input);
    if (input !== undefined && input !== "" && !input.startsWith("@")) JSON.parse(input);
  } catch {
    return async () => {};
  }
  return startSkillServersEarly({
    cwd: ctx.cwd,
    ref: String(skill),
    ...(configPath !== undefined ? { configPath } : {}),
  });
};
