/** `skills sdk`: generate the typed SDK tree (servers/<server>/<tool>.ts|.py) from the configured MCP servers. */
import { sdk } from "../../commands/sdk.js";
import { EXIT } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { parseSdkLanguage } from "../parse/sdk.js";
import { commaList, lastString } from "../parse/values.js";
import { createProgress } from "../render/progress.js";
import { renderSdk } from "../render/sdk.js";

export const handler: CommandHandler = async (ctx, _args, options) => {
  const servers = commaList(options.servers);
  const out = lastString(options.out);
  const configPath = lastString(options.config);
  const progress = {
    servers: createProgress(ctx, "servers answered"),
    files: createProgress(ctx, "files written"),
  };
  const result = await sdk({
    cwd: ctx.cwd,
    env: ctx.env,
    lang: parseSdkLanguage(lastString(options.lang)),
    ...(out ? { out } : {}),
    ...(configPath ? { configPath } : {}),
    ...(servers ? { servers } : {}),
    ...(options.refresh ? { refresh: true } : {}),
    ...(options.check ? { check: true } : {}),
    onProgress: (stage, done, total) => {
      if (stage === "files" && done === 1) progress.servers.done();
      progress[stage].update(done, total);
    },
  }).finally(() => {
    progress.servers.done();
    progress.files.done();
  });
  emit(ctx, result, renderSdk);
  ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
};
