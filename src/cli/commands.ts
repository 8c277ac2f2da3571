/**
 * The list of CLI commands. Each entry registers one command (or a group) on the cac instance; the handler
 * normalises argv into typed options, calls src/commands, and renders the result.
 */
import type { CAC } from "cac";
import type { CliContext } from "./context.js";
import { registerTools } from "./register/tools.js";
import { registerList } from "./register/list.js";
import { registerNew } from "./register/new.js";
import { registerValidate } from "./register/validate.js";
import { registerTest } from "./register/test.js";
import { registerRun } from "./register/run.js";
import { registerExec } from "./register/exec.js";
import { registerRepl } from "./register/repl.js";
import { registerDoctor } from "./register/doctor.js";
import { registerPii } from "./register/pii.js";
import { registerSdk } from "./register/sdk.js";
import { registerLock } from "./register/lock.js";
import { registerCompat } from "./register/compat.js";

export type RegisterCommand = (cli: CAC, ctx: CliContext, run: RunHandler) => void;

/** Wraps a handler: applies global options, catches errors, maps them to exit codes. */
export type RunHandler = <A extends unknown[]>(
  handler: (...args: A) => Promise<void> | void,
) => (...args: A) => Promise<void>;

export const COMMANDS: RegisterCommand[] = [
  registerTools,
  registerValidate,
  registerNew,
  registerList,
  registerTest,
  registerRun,
  registerExec,
  registerRepl,
  registerDoctor,
  registerSdk,
  registerPii,
  registerLock,
  registerCompat,
];
