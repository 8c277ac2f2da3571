/** `skills list`: the skills under the configured roots. */
import { EXIT } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit } from "../context.js";
import { renderList } from "../render/list.js";

export const registerList: RegisterCommand = (cli, ctx, run) => {
  cli
    .command("list", "List skills under the configured roots: name, version, language, tools, validity, description")
    .option("--strict", "Judge validity with --strict rules")
    .option(
      "--json",
      "Print { ok, roots, skills: [{ name, dir, version, language, tools, description, valid, errors, warnings }] }",
    )
    .action(
      run(async (options: { strict?: boolean }) => {
        // Loaded on use: `skills --help` and other commands do not pay for YAML/ajv.
        const { listSkills } = await import("../../commands/list.js");
        const result = await listSkills({ cwd: ctx.cwd, strict: Boolean(options.strict) });
        emit(ctx, result, renderList);
        ctx.exitCode = EXIT.OK;
      }),
    );
};
