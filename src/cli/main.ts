import { formatWithOptions } from "node:util";
import { cac } from "cac";
import { EXIT, SkillsError } from "../errors.js";
import { VERSION } from "../version.js";
import { commandName } from "./commandSpec.js";
import { COMMANDS } from "./commands.js";
import {
  type CliContext,
  type CreateContextOptions,
  applyGlobalOptions,
  createContext,
  reportError,
} from "./context.js";
import { polishHelp } from "./helpText.js";
import { parseKeepingStrings } from "./parse/argvStrings.js";
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
  // Listed like the others; main() answers it before cac runs anything (see helpArgv).
  cli.command("help [command]", "Show this help, or one command's: skills help <command>");
  cli.help(polishHelp);
  cli.version(VERSION);
  return cli;
}

/** Runs the CLI; returns the exit code (also set on process.exitCode). */
export async function main(argv: string[], options: CreateContextOptions = {}): Promise<number> {
  const ctx = createContext(options);
  const cli = buildCli(ctx);
  try {
    const args = await helpArgv(argv);
    printingTo(ctx, () => parseKeepingStrings(cli, args, (name) => missingValue(cli.matchedCommandName, name)));
    if (!cli.matchedCommand) {
      const rest = cli.args;
      // `skills run my-skill --help`: cac printed run's help and let go of the command, keeping its arguments.
      const helped = cli.options.help && COMMANDS.some((spec) => commandName(spec.command) === args[2]);
      if (rest.length > 0 && !helped) throw await unknownCommand(String(rest[0]));
      // Without a command cac checks no options: `skills --jsn` must not print the help and exit 0. Every option a
      // command declares is known here (`skills compat --help` parses as no command, with compat's defaults).
      const known = new Set([
        "--",
        ...[cli.globalCommand, ...cli.commands].flatMap((c) => c.options.flatMap((o) => o.names)),
      ]);
      const stray = Object.keys(cli.options).find((key) => !known.has(key));
      if (stray) throw await toUsageError(unknownOptionError(stray), undefined);
      if (!cli.options.help && !cli.options.version) {
        printingTo(ctx, () => cli.outputHelp());
      }
    } else {
      await cli.runMatchedCommand();
    }
  } catch (error) {
    applyGlobalOptions(ctx, cli.options as { json?: boolean; debug?: boolean });
    reportError(ctx, await toUsageError(error, cli.matchedCommandName));
  }
  process.exitCode = ctx.exitCode;
  return ctx.exitCode;
}


/** cac prints the help and the version with console.info: they go to the context's stdout (main's `stdout`). */
function printingTo(ctx: CliContext, print: () => void): void {
  const saved = console.info;
  console.info = (...parts: unknown[]) => {
    ctx.stdout.write(`${formatWithOptions({ colors: false }, ...parts)}\n`);
  };
  try {
    print();
  } finally {
    console.info = saved;
  }
}

/** `skills help` is `skills --help`; `skills help <command>` is `skills <command> --help`. */
async function helpArgv(argv: string[]): Promise<string[]> {
  const [node = "node", bin = "skills", first, second] = argv;
  if (first !== "help") return argv;
  if (second === undefined || second.startsWith("-")) return [node, bin, "--help"];
  if (!COMMANDS.some((spec) => commandName(spec.command) === second)) throw await unknownCommand(second);
  return [node, bin, second, "--help"];
}

/** The error a command's option declares for a missing value (`OptionSpec.missing`), if it declares one. */
function missingValue(command: string | undefined, option: string): SkillsError | undefined {
  const spec = COMMANDS.find((entry) => commandName(entry.command) === command);
  const declared = spec?.options.find((entry) => camelName(entry.flags) === option)?.missing;
  return declared && new SkillsError("INVALID_ARGUMENT", declared.message, { hint: declared.hint });
}

/** `--require-isolation <x>` -> `requireIsolation`, as cac names an option. */
const camelName = (flags: string) =>
  flags
    .split(" ")[0]!
    .replace(/^-+/, "")
    .replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** Did-you-mean is loaded only on this error path: a start that parses fine never reads it. */
async function unknownCommand(name: string): Promise<SkillsError> {
  const { closestMatches } = await import("../core/validate/suggest.js");
  const close = closestMatches(name, [...COMMANDS.map((spec) => commandName(spec.command)), "help"]);
  return new SkillsError("USAGE", `unknown command: ${name}`, {
    hint: close.length > 0 ? `did you mean \`skills ${close[0]}\`?` : "run `skills help` to see the commands",
  });
}

/** The error cac would throw for an option no command declares. */
function unknownOptionError(name: string): Error {
  const error = new Error(`Unknown option \`${name.length > 1 ? `--${name}` : `-${name}`}\``);
  error.name = "CACError";
  return error;
}

/** cac throws CACError for unknown options and missing arguments: those are usage errors (exit 2). */
async function toUsageError(error: unknown, command: string | undefined): Promise<unknown> {
  if (!(error instanceof Error) || error.name !== "CACError") return error;
  const help = command ? `skills help ${command}` : "skills help";
  const unknown = /^Unknown option `(-{1,2})([^`]+)`$/.exec(error.message);
  if (!unknown) return new SkillsError("USAGE", error.message, { hint: `run \`${help}\` to see its options` });
  // cac reports the option camelCased (`--requireIsolaton`): compare in that form, suggest the flag as written.
  const { closestMatches } = await import("../core/validate/suggest.js");
  const spec = COMMANDS.find((entry) => commandName(entry.command) === command);
  const flags = [...(spec?.options ?? []), ...GLOBAL_OPTIONS].map((option) => option.flags.split(" ")[0]!);
  const byCamel = new Map(flags.map((flag) => [camelName(flag), flag]));
  const close = closestMatches(unknown[2]!, [...byCamel.keys()]);
  const written = `${unknown[1]}${unknown[2]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const where = command ? `skills ${command}` : "skills";
  return new SkillsError("USAGE", `unknown option ${written} for ${where}`, {
    hint: close.length > 0 ? `did you mean ${byCamel.get(close[0]!)}?` : `run \`${help}\` to see its options`,
  });
}

export { EXIT };
