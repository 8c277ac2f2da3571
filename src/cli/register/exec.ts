/** `skills exec`: run a program with the tools named on the command line. */
import { execCode, parseLanguage, parsePiiMode, parseTimeout } from "../../commands/exec.js";
import { parseToolKeys } from "../../commands/shared/toolset.js";
import { EXIT, SkillsError } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit } from "../context.js";
import { renderExec } from "../render/run.js";
import { allStrings, createStatusLine, lastString } from "./options.js";
import { readStdin } from "./stdin.js";

const PROGRAM_ON_STDIN = {
  maxBytes: 16 * 1024 * 1024,
  what: "the program on stdin",
  hint: "write the program to a file and pass --file",
};

interface ExecCliOptions {
  lang?: unknown;
  code?: unknown;
  file?: unknown;
  tools?: unknown;
  allTools?: boolean;
  input?: unknown;
  timeout?: unknown;
  requireIsolation?: boolean;
  config?: unknown;
  pii?: unknown;
}

export const registerExec: RegisterCommand = (cli, ctx, run) => {
  cli
    .command(
      "exec [file]",
      "Run a program (--code, --file/file, or - for stdin) in the sandbox with the tools you allow",
    )
    .option("--lang <language>", "python | typescript | javascript", { type: [String] })
    .option("--code <source>", "The program text", { type: [String] })
    .option("--file <path>", "Read the program from a file (- reads stdin)", { type: [String] })
    .option("--tools <list>", "Tools the program may call: server/tool,server/tool", { type: [String] })
    .option("--all-tools", "Allow every tool of every server in .mcp.json (starts them all)")
    .option("--input <json>", "Input for run(input): JSON text or @file", { type: [String] })
    .option("--timeout <ms>", "Wall-clock limit in milliseconds")
    .option("--require-isolation", "Fail instead of running without bwrap isolation")
    .option("--config <file>", "Use this .mcp.json instead of the nearest one", { type: [String] })
    .option(
      "--pii <mode>",
      'PII tokenization: off | default | strict (default: "pii" in skills.config.json, else default); strict refuses output that still holds personal data',
      { type: [String] },
    )
    .option("--json", "Print the run result as JSON")
    .example(`skills exec --lang python --tools everything/get-sum --code 'from servers.everything import get_sum
result = get_sum(a=1, b=2)'`)
    .action(
      run(async (positional: unknown, options: ExecCliOptions) => {
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
          onStatus: status.set,
          language,
          code,
          file,
          tools: parseToolKeys(allStrings(options.tools)),
          allTools: Boolean(options.allTools),
          input: lastString(options.input),
          timeoutMs: parseTimeout(options.timeout),
          requireIsolation: options.requireIsolation ? true : undefined,
          configPath: lastString(options.config),
          pii: parsePiiMode(lastString(options.pii)),
          cwd: ctx.cwd,
        }).finally(status.clear);
        emit(ctx, result, renderExec);
        ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
      }),
    );
};
