#!/usr/bin/env node
// `skills <command>` starts from the command's own program: the CLI with that command's code in one file, compiled
// with V8's code cache (dist/bundle/programs/, src/cli/program.ts). Any other start (--help, --version, `skills help`,
// an option before the command, a program missing or unable to run) loads the CLI's command table, which loads the
// handler of the command it runs.
// CommonJS (bin/package.json): an ES module here would start node's ESM loader, ~9 ms, for every command.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

// Every start reads the current folder (the CLI's context keeps it): a removed one would end in a stack trace.
try {
  process.cwd();
} catch (error) {
  process.stderr.write(`skills: the current folder cannot be read (${error.code}): cd to a folder that exists\n`);
  process.exit(2);
}
const command = process.argv[2];
const program = /^[a-z]+$/.test(command ?? "") ? join(__dirname, "../dist/bundle/programs", `${command}.cjs`) : undefined;
const split = () => import("../dist/bundle/cli/main.js").then(({ main }) => main(process.argv));
// startProgram answers false when the program cannot run (the lead it needs is missing): the split bundle runs it.
const started =
  program !== undefined && existsSync(program)
    ? require("../dist/bundle/start.cjs")
        .startProgram(program, process.argv)
        .then((ran) => (ran ? undefined : split()))
    : split();
started.catch((error) => {
  // What main() did not turn into a message and an exit code: a bug, shown as node shows an uncaught error.
  process.exitCode = 1;
  throw error;
});
