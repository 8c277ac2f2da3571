/** `skills run <skill>`: run a skill in the sandbox with validated input. */
import { runSkill } from "../../commands/run.js";
import { parsePiiMode, parseTimeout } from "../../commands/exec.js";
import { EXIT } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit } from "../context.js";
import { renderRun } from "../render/run.js";
import { createStatusLine, lastString } from "./options.js";

interface RunCliOptions {
  input?: unknown;
  timeout?: unknown;
  requireIsolation?: boolean;
  cells?: boolean;
  config?: unknown;
  pii?: unknown;
}

export const registerRun: RegisterCommand = (cli, ctx, run) => {
  cli
    .command("run <skill>", "Run a skill (folder or name) in the sandbox against its MCP tools")
    .option("--input <json>", "Input as JSON text, or @file (.json, .yaml)", { type: [String] })
    .option("--timeout <ms>", "Wall-clock limit in milliseconds (overrides limits.timeout_ms)")
    .option("--require-isolation", "Fail instead of running without bwrap isolation")
    .option("--cells", "Run the entry cell by cell (# %% / // %%) in one session, printing each cell")
    .option("--config <file>", "Use this .mcp.json instead of the nearest one", { type: [String] })
    .option(
      "--pii <mode>",
      'PII tokenization: off | default | strict (default: the manifest\'s privacy.mode, else "pii" in skills.config.json, else default); strict refuses output that still holds personal data',
      { type: [String] },
    )
    .option("--json", "Print the run result as JSON")
    .example('skills run summarize-directory --input \'{"path": "src"}\'')
    .action(
      run(async (skill: string, options: RunCliOptions) => {
        const status = createStatusLine(ctx);
        const result = await runSkill({
          onStatus: status.set,
          ref: String(skill),
          input: lastString(options.input),
          timeoutMs: parseTimeout(options.timeout),
          requireIsolation: options.requireIsolation ? true : undefined,
          cells: Boolean(options.cells),
          configPath: lastString(options.config),
          pii: parsePiiMode(lastString(options.pii)),
          cwd: ctx.cwd,
        }).finally(status.clear);
        emit(ctx, result, renderRun);
        ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
      }),
    );
};
