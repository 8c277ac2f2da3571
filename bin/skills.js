#!/usr/bin/env node
// `skills exec` and `skills run` start from their own program: the CLI with that command's code in one file, compiled
// with V8's code cache (src/cli/program.ts). Every other start loads the CLI's command table, which loads the handler
// of the command it runs.
const command = process.argv[2];
if (command === "exec" || command === "run") {
  const [{ startProgram }, { fileURLToPath }] = await Promise.all([import("../dist/cli/program.js"), import("node:url")]);
  await startProgram(fileURLToPath(new URL(`../dist/bundle/programs/${command}.cjs`, import.meta.url)), process.argv);
} else {
  const { main } = await import("../dist/bundle/cli/main.js");
  await main(process.argv);
}
