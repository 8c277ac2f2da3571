/** `skills doctor`: what isolation this machine gives, interpreters, and (with --servers) the MCP servers. */
import { runDoctor } from "../../commands/doctor.js";
import { EXIT } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit } from "../context.js";
import { renderDoctor } from "../render/doctor.js";
import { lastString } from "./options.js";

export const registerDoctor: RegisterCommand = (cli, ctx, run) => {
  cli
    .command("doctor", "Check the sandbox isolation, interpreters and (with --servers) the MCP servers")
    .option("--servers", "Start every server in .mcp.json and list its tools")
    .option("--config <file>", "Use this .mcp.json instead of the nearest one", { type: [String] })
    .option("--json", "Print the report as JSON")
    .action(
      run(async (options: { servers?: boolean; config?: unknown }) => {
        const result = await runDoctor({
          cwd: ctx.cwd,
          servers: Boolean(options.servers),
          configPath: lastString(options.config),
        });
        emit(ctx, result, renderDoctor);
        ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
      }),
    );
};
