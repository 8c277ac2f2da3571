/**
 * What every CLI handler gets: where to print, whether to print JSON, colours. Handlers call a command function
 * (src/commands), then `emit` its result: JSON as is with --json, else the human renderer's text.
 */
import type { Writable } from "node:stream";
import { EXIT, exitCodeFor, isSkillsError } from "../errors.js";
import { terminalSafe as safe, terminalSafeJson } from "../core/text/terminal.js";
import { type Style, colorEnabled, createStyle } from "./style.js";

export interface GlobalOptions {
  json?: boolean;
  debug?: boolean;
  color?: boolean;
}

export interface CliContext {
  json: boolean;
  debug: boolean;
  stdout: Writable;
  stderr: Writable;
  style: Style;
  /** Style for stderr (may differ from stdout when only one is a TTY). */
  errStyle: Style;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Set by handlers; main() copies it to process.exitCode. */
  exitCode: number;
}

export interface CreateContextOptions {
  stdout?: Writable;
  stderr?: Writable;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function createContext(options: CreateContextOptions = {}): CliContext {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  return {
    json: false,
    debug: false,
    stdout,
    stderr,
    style: createStyle(colorEnabled(stdout, env)),
    errStyle: createStyle(colorEnabled(stderr, env)),
    cwd: options.cwd ?? process.cwd(),
    env,
    exitCode: EXIT.OK,
  };
}

export function applyGlobalOptions(ctx: CliContext, options: GlobalOptions): void {
  ctx.json = Boolean(options.json);
  ctx.debug = Boolean(options.debug);
  if (options.color === false) {
    ctx.style = createStyle(false);
    ctx.errStyle = createStyle(false);
  }
}

export function print(ctx: CliContext, text: string): void {
  ctx.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printErr(ctx: CliContext, text: string): void {
  ctx.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

/**
 * Print a command's result: `--json` prints the object as is (terminalSafeJson: the exact values, with the control
 * characters JSON leaves raw escaped too), else the human rendering.
 */
export function emit<T>(ctx: CliContext, result: T, render: (result: T, ctx: CliContext) => string): void {
  if (ctx.json) print(ctx, terminalSafeJson(result, 2));
  else {
    const text = render(result, ctx);
    if (text) print(ctx, text);
  }
}

/** Report an error: JSON on stdout with --json, else a message with hint on stderr. Sets the exit code. */
export function reportError(ctx: CliContext, error: unknown): void {
  ctx.exitCode = exitCodeFor(error);
  if (isSkillsError(error)) {
    if (ctx.json) {
      print(ctx, terminalSafeJson({ ok: false, error: { code: error.code, message: error.message, ...error.data } }, 2));
      return;
    }
    // An error can quote a program or a skill folder (a file name, a compile error): no control characters pass.
    const where = error.data.file
      ? `${safe(error.data.file)}${error.data.line ? `:${error.data.line}:${error.data.column ?? 1}` : ""}  `
      : "";
    printErr(ctx, `${ctx.errStyle.red("error")} ${where}${error.code}  ${safe(error.message)}`);
    if (error.data.hint) printErr(ctx, `  ${ctx.errStyle.dim("hint:")} ${safe(error.data.hint)}`);
    if (ctx.debug && error.stack) printErr(ctx, ctx.errStyle.dim(error.stack));
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (ctx.json) {
    print(ctx, terminalSafeJson({ ok: false, error: { code: "INTERNAL", message } }, 2));
  } else {
    printErr(ctx, `${ctx.errStyle.red("internal error")} ${safe(message)}`);
    if (ctx.debug && error instanceof Error && error.stack) printErr(ctx, ctx.errStyle.dim(error.stack));
    else printErr(ctx, ctx.errStyle.dim("  run again with --debug for a stack trace, and please report it"));
  }
}
