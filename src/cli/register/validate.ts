/** `skills validate [paths..]`: check skill folders against the format. */
import { EXIT } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit } from "../context.js";
import { createProgress } from "../render/progress.js";
import { renderValidate } from "../render/validate.js";

interface ValidateCliOptions {
  strict?: boolean;
}

export const registerValidate: RegisterCommand = (cli, ctx, run) => {
  cli
    .command("validate [...paths]", "Check skills (a skill folder, a folder of skills, or the configured roots)")
    .option(
      "--strict",
      "Treat everything the Agent Skills spec forbids as an error (default: tolerated problems are warnings)",
    )
    .option("--json", "Print { ok, skills: [{ dir, name, ok, errors, warnings }], summary } as JSON")
    .example("skills validate")
    .example("skills validate skills/find-large-files --strict")
    .action(
      run(async (paths: string[], options: ValidateCliOptions) => {
        // Loaded on use: `skills --help` and other commands do not pay for YAML/ajv.
        const { validate } = await import("../../commands/validate.js");
        const progress = createProgress(ctx, "validating");
        const result = await validate({
          paths: (paths ?? []).map(String),
          strict: Boolean(options.strict),
          cwd: ctx.cwd,
          onProgress: progress.update,
        }).finally(progress.done);
        emit(ctx, result, renderValidate);
        ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
      }),
    );
};
