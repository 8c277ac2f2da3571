/**
 * A command as data: what `--help` shows (name, arguments, description, options, examples) and where its handler
 * lives. The table in commands.ts is all the CLI loads to start; a handler module is imported only when its command
 * runs, so `skills --help` never loads ajv, yaml, the MCP SDK or esbuild.
 */
import type { CliContext } from "./context.js";

export interface OptionSpec {
  /** cac's flags text: `--timeout <ms>`, `--strict`. */
  flags: string;
  description: string;
  /** Collected as a list when given more than once (cac `type: []`); parsers take the last or all values. */
  repeatable?: boolean;
  /** What to say when the option is given without its value (else cac's "option `--x <v>` value is missing"). */
  missing?: { message: string; hint: string };
}

/** What the argv parser hands a handler: option names in camelCase, values not yet checked. */
export type RawOptions = Record<string, unknown>;

/**
 * Normalises argv (src/cli/parse), calls one function of src/commands with typed options, renders the result and
 * sets ctx.exitCode. `args` are the positional arguments in the order the command declares them.
 */
export type CommandHandler = (ctx: CliContext, args: unknown[], options: RawOptions) => Promise<void>;

export interface CommandSpec {
  /** cac's command text: the name and its arguments, e.g. `run <skill>`, `test [...skills]`. */
  command: string;
  description: string;
  /** Usage lines when the command has actions (`tools search <query> ...`). */
  usage?: string;
  options: OptionSpec[];
  examples?: string[];
  /** The handler's module, imported when the command runs. */
  load: () => Promise<{ handler: CommandHandler }>;
  /**
   * What the command can start before its handler is loaded (skills run: its skill's servers); imported and awaited
   * first. It returns what ends whatever the command did not use, called when the command ends.
   */
  early?: () => Promise<{ early: EarlyStart }>;
}

/** The command's name, as typed: `run` of `run <skill>`. */
export const commandName = (command: string): string => command.split(" ")[0]!;

export type EarlyStart = (
  ctx: CliContext,
  args: unknown[],
  options: Record<string, unknown>,
) => Promise<() => Promise<void>>;
