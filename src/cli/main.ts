import { cac } from "cac";
import { EXIT, SkillsError } from "../errors.js";
import { VERSION } from "../version.js";
import { COMMANDS } from "./commands.js";
import {
  type CliContext,
  type CreateContextOptions,
  applyGlobalOptions,
  createContext,
  reportError,
} from "./context.js";
import { GLOBAL_OPTIONS } from "./options.js";
import { type RunAction, registerCommand } from "./registerCommand.js";

/** Builds the cac instance with every command registered. Exposed for tests of --help. */
export function buildCli(ctx: CliContext) {
  const cli = cac("skills");
  for (const option of GLOBAL_OPTIONS) cli.option(option.flags, option.description);
  const run: RunAction =
    (action) =>
    async (...args) => {
      const options = args[args.length - 1] as { json?: boolean; debug?: boolean; color?: boolean };
      applyGlobalOptions(ctx, options ?? {});
      try {
        await action(...args);
      } catch (error) {
        reportError(ctx, error);
      }
    };
  for (const spec of COMMANDS) registerCommand(cli, ctx, spec, run);
  cli.help();
  cli.version(VERSION);
  return cli;
}

/** Runs the CLI; returns the exit code (also set on process.exitCode). */
export async function main(argv: string[], options: CreateContextOptions = {}): Promise<number> {
  const ctx = createContext(options);
  const cli = buildCli(ctx);
  try {
    cli.parse(argv, { run: false });
    if (!cli.matchedCommand) {
      const rest = cli.args;
      if (rest.length > 0) {
        throw new SkillsError("USAGE", `unknown command: ${rest[0]}`, {
          hint: "run `skills --help` to see the commands",
        });
      }
      if (!cli.options.help && !cli.options.version) {
        cli.outputHelp();
      }
    } else {
      await cli.runMatchedCommand();
    }
  } catch (error) {
    applyGlobalOptions(ctx, cli.options as { json?: boolean; debug?: boolean });
    reportError(ctx, toUsageError(error));
  }
  process.exitCode = ctx.exitCode;
  return ctx.exitCode;
}

/** cac throws CACError for unknown options and missing arguments: those are usage errors (exit 2). */
function toUsageError(error: unknown): unknown {
  if (error instanceof Error && error.name === "CACError") {
    return new SkillsError("USAGE", error.message, { hint: "run the command with --help to see its options" });
  }
  return error;
}

export { EXIT };
