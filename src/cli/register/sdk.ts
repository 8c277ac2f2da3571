/** `skills sdk`: generate the typed SDK tree (servers/<server>/<tool>.ts|.py) from the configured MCP servers. */
import { parseSdkLanguage, sdk } from "../../commands/sdk.js";
import { EXIT } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit } from "../context.js";
import { createProgress } from "../render/progress.js";
import { renderSdk } from "../render/sdk.js";
import { allStrings, lastString } from "./options.js";

interface SdkCliOptions {
  lang?: unknown;
  out?: unknown;
  servers?: unknown;
  config?: unknown;
  refresh?: boolean;
  check?: boolean;
}

export const registerSdk: RegisterCommand = (cli, ctx, run) => {
  cli
    .command("sdk", "Generate typed TypeScript/Python wrappers for the MCP tools (writes <out>/servers/)")
    .option("--lang <lang>", "ts | python | both (default both)")
    .option("--out <dir>", "Folder that receives servers/ (default: the current folder)")
    .option("--servers <names>", "Only these servers (comma-separated or repeated)", { type: [String] })
    .option("--config <file>", "Use this .mcp.json instead of the nearest one", { type: [String] })
    .option("--refresh", "Ask the servers again instead of using the catalog cache")
    .option("--check", "Write nothing; exit 1 when the tree on disk differs from a fresh one (for CI)")
    .option("--json", "Print the result as JSON")
    .example("skills sdk --lang both --out /tmp/sdk")
    .example("skills sdk --lang python --servers filesystem,memory")
    .example("skills sdk --check")
    .action(
      run(async (options: SdkCliOptions) => {
        const servers = allStrings(options.servers)
          ?.flatMap((value) => value.split(","))
          .map((value) => value.trim())
          .filter((value) => value.length > 0);
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
          ...(servers && servers.length > 0 ? { servers } : {}),
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
      }),
    );
};
