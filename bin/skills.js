#!/usr/bin/env node
// `skills <command>` starts from the command's own program: the CLI with that command's code in one file, compiled
// with V8's code cache (dist/bundle/programs/, src/cli/program.ts). Any other start (--help, --version, `skills help`,
// an option before the command) loads the CLI's command table, which loads the handler of the command it runs.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const command = process.argv[2];
const program = /^[a-z]+$/.test(command ?? "")
  ? fileURLToPath(new URL(`../dist/bundle/programs/${command}.cjs`, import.meta.url))
  : undefined;
if (program !== undefined && existsSync(program)) {
  const { startProgram } = await import("../dist/cli/program.js");
  await startProgram(program, process.argv);
} else {
  const { main } = await import("../dist/bundle/cli/main.js");
  await main(process.argv);
}
