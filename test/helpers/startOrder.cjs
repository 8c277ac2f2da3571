// `node --require ./startOrder.cjs ...`: writes the code the process compiled with vm.Script (how a program starts,
// src/cli/program.ts) and the processes it spawned, in the order they happened, one per line ("compile <file>",
// "spawn <command> <args>"), to the file named by START_ORDER_FILE when the process exits.
"use strict";
const childProcess = require("node:child_process");
const { writeFileSync } = require("node:fs");
const vm = require("node:vm");

const events = [];
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(code, options) {
    super(code, options);
    events.push(`compile ${options?.filename ?? ""}`);
  }
};
const spawn = childProcess.spawn;
childProcess.spawn = function (command, args, ...rest) {
  events.push(`spawn ${command} ${Array.isArray(args) ? args.join(" ") : ""}`);
  return spawn.call(this, command, args, ...rest);
};
process.on("exit", () => writeFileSync(process.env.START_ORDER_FILE, `${events.join("\n")}\n`));
