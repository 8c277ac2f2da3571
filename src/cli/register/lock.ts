/** `skills lock [skills..] [--check]`: pin each skill's tool dependencies in tools.lock.json. */
import { EXIT } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit } from "../context.js";
import { renderLock } from "../render/lock.js";
import { createStatusLine, lastString } from "./options.js";

interface LockCliOptions {
  check?: boolean;
  config?: unknown;
  refresh?: boolean;
}

export const registerLock: RegisterCommand = (cli, ctx, run) => {
  cli
    .command(
      "lock [...skills]",
      "Pin each skill's tool dependencies (server, version, schemas, hashes) in tools.lock.json",
    )
    .option("--check", "Write nothing; exit 1 when a lock is missing or stale (for CI)")
    .option("--config <file>", "Use this .mcp.json instead of the nearest one", { type: [String] })
    .option("--refresh", "Ask the servers again instead of using the catalog cache")
    .option("--json", "Print { ok, check, skills: [{ name, dir, file, status, tools, drift?, errors }], summary }")
    .example("skills lock")
    .example("skills lock skills/find-todos --check")
    .action(
      run(async (skills: string[], options: LockCliOptions) => {
        // Loaded on use: other commands do not pay for the compat core.
        const { lockSkills, lockErrorKind } = await import("../../commands/lock.js");
        const status = createStatusLine(ctx);
        const configPath = lastString(options.config);
        const result = await lockSkills({
          cwd: ctx.cwd,
          paths: (skills ?? []).map(String),
          check: Boolean(options.check),
          ...(configPath ? { configPath } : {}),
          ...(options.refresh ? { refresh: true } : {}),
          onStatus: status.set,
        }).finally(status.clear);
        emit(ctx, result, renderLock);
        const kind = lockErrorKind(result);
        ctx.exitCode = kind === "input" ? EXIT.USAGE : result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
      }),
    );
};
