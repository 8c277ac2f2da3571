/** `skills doctor`: what isolation this machine gives, interpreters, and (with --servers) the MCP servers. */
import { runDoctor } from "../../commands/doctor.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { lastString } from "../parse/values.js";
import { renderDoctor } from "../render/doctor.js";

export const handler: CommandHandler = async (ctx, _args, options) => {
  const result = await runDoctor({
    cwd: ctx.cwd,
    servers: Boolean(options.servers),
    configPath: lastString(options.config),
  });
  emit(ctx, result, renderDoctor);
  ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
};
