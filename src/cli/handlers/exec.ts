/** `skills exec`: run a program with the tools named on the command line. */
import { execCode } from "../../commands/exec.js";
import { EXIT, SkillsError } from "../../errors.js";
import type { CommandHandler } from "../commandSpec.js";
import { emit } from "../context.js";
import { parseLanguage, parseNamedTools, parseRunSettings } from "../parse/execution.js";
import { lastString } from "../parse/values.js";
import { renderExec } from "../render/run.js";
import { createStatusLine } from "../statusLine.js";
import { readStdin } from "../stdin.js";

const PROGRAM_ON_STDIN = {
  maxBytes: 16 * 1024 * 1024,
  what: "the program on stdin",
  hint: "write the program to a file and pass --file",
};

export const handler: CommandHandler = async (ctx, [positional], options) => {
  const language = parseLanguage(lastString(options.lang));
  let code = lastString(options.code);
  let file = lastString(options.file) ?? lastString(positional);
  if (code === undefined && (file === undefined || file === "-")) {
    // `-` (or no source at all) reads the program from stdin; an interactive terminal is not a program.
    if (process.stdin.isTTY) {
      throw new SkillsError("USAGE", "no code to run", {
        hint: "pass --code '<program>', --file <path>, or pipe the program into `skills exec --lang <l> -`",
      });
    }
    code = await readStdin(process.stdin, PROGRAM_ON_STDIN);
    file = undefined;
  }
  const status = createStatusLine(ctx);
  const result = await execCode({
    ...parseRunSettings(ctx, options),
    ...parseNamedTools(options),
    onStatus: status.set,
    language,
    code,
    file,
    input: lastString(options.input),
  }).finally(status.clear);
  emit(ctx, result, renderExec);
  ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
};
