/**
 * A command's lead: what its program (src/cli/program.ts) runs before it loads the rest of itself. node takes ~25 ms
 * to load a command's whole program, even from V8's code cache; a lead is a small file (dist/bundle/programs/
 * <command>.lead.cjs, from src/cli/leads/<command>.ts) that parses argv as the CLI does and starts the command's
 * early work (its `early` module) first. For `skills run` that is the skill's MCP servers, whose own start-up is the
 * longest part of a run: they now start before the run's program loads, not after.
 *
 * The lead runs the early module exactly as the command later does (the command runs it again: what the lead started
 * is found and not started twice), and only when the command will run: argv that the CLI refuses, or that asks for
 * help, starts nothing.
 */
import { cac } from "cac";
import { commandName, type EarlyStart } from "./commandSpec.js";
import { COMMANDS } from "./commands.js";
import { createContext } from "./context.js";
import { GLOBAL_OPTIONS } from "./options.js";
import { parseKeepingStrings } from "./parse/argvStrings.js";
import { declareCommand } from "./registerCommand.js";

/** Runs `early` for argv when argv runs the command `name`; resolves when it has started what it starts. Never throws. */
export async function startLead(name: string, early: EarlyStart, argv: readonly string[]): Promise<void> {
  try {
    const spec = COMMANDS.find((entry) => commandName(entry.command) === name);
    if (!spec) return;
    const cli = cac("skills");
    for (const option of GLOBAL_OPTIONS) cli.option(option.flags, option.description);
    let started: Promise<unknown> | undefined;
    declareCommand(cli, spec).action((...args: unknown[]) => {
      const options = (args.pop() ?? {}) as Record<string, unknown>;
      started = early(createContext(), args, options);
    });
    parseKeepingStrings(cli, argv);
    const options = cli.options as { help?: unknown; version?: unknown };
    if (cli.matchedCommandName !== name || options.help || options.version) return;
    // cac's own checks (unknown options, missing values and arguments) throw before the action, as in the CLI.
    cli.runMatchedCommand();
    await started;
  } catch {
    // The command itself starts what the lead did not, and reports what is wrong with argv.
  }
}
