/** Wires one command spec to cac: its options, examples and an action that loads the handler when it runs. */
import type { CAC, Command } from "cac";
import type { CommandSpec, EarlyStart } from "./commandSpec.js";
import type { CliContext } from "./context.js";

/** Wraps an action: applies the global options, catches errors and maps them to exit codes (main.ts). */
export type RunAction = (action: (...args: unknown[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

export function registerCommand(cli: CAC, ctx: CliContext, spec: CommandSpec, run: RunAction): void {
  declareCommand(cli, spec).action(
    run(async (...args) => {
      // cac passes the positional arguments, then the options object.
      const options = (args.pop() ?? {}) as Record<string, unknown>;
      const end = spec.early ? await startEarly(spec.early, ctx, args, options) : undefined;
      try {
        const { handler } = await spec.load();
        await handler(ctx, args, options);
      } finally {
        await end?.();
      }
    }),
  );
}

/** The command, its options, usage and examples, as `--help` shows them and the parser reads them; no action yet. */
export function declareCommand(cli: CAC, spec: CommandSpec): Command {
  const command = cli.command(spec.command, spec.description);
  if (spec.usage) command.usage(spec.usage);
  for (const option of spec.options) {
    // `type: []` collects every value in an array and keeps a missing one as `true` (see parse/argvStrings.ts).
    command.option(option.flags, option.description, option.repeatable ? { type: [] } : undefined);
  }
  for (const example of spec.examples ?? []) command.example(example);
  return command;
}

/** An early start never fails the command: what it could not start, the command starts itself. */
async function startEarly(
  load: () => Promise<{ early: EarlyStart }>,
  ctx: CliContext,
  args: unknown[],
  options: Record<string, unknown>,
): Promise<(() => Promise<void>) | undefined> {
  try {
    const { early } = await load();
    return await early(ctx, args, options);
  } catch {
    return undefined;
  }
}
