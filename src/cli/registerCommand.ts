/** Wires one command spec to cac: its options, examples and an action that loads the handler when it runs. */
import type { CAC } from "cac";
import type { CommandSpec } from "./commandSpec.js";
import type { CliContext } from "./context.js";

/** Wraps an action: applies the global options, catches errors and maps them to exit codes (main.ts). */
export type RunAction = (action: (...args: unknown[]) => Promise<void>) => (...args: unknown[]) => Promise<void>;

export function registerCommand(cli: CAC, ctx: CliContext, spec: CommandSpec, run: RunAction): void {
  const command = cli.command(spec.command, spec.description);
  if (spec.usage) command.usage(spec.usage);
  for (const option of spec.options) {
    command.option(option.flags, option.description, option.repeatable ? { type: [String] } : undefined);
  }
  for (const example of spec.examples ?? []) command.example(example);
  command.action(
    run(async (...args) => {
      // cac passes the positional arguments, then the options object.
      const options = (args.pop() ?? {}) as Record<string, unknown>;
      const { handler } = await spec.load();
      await handler(ctx, args, options);
    }),
  );
}
