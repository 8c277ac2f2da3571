/** `skills new <name>`: scaffold a skill that passes `skills validate --strict`. */
import { EXIT, SkillsError } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit } from "../context.js";
import { renderNew } from "../render/new.js";
import { renderNewFromRun } from "../render/newFromRun.js";

interface NewCliOptions {
  lang?: unknown;
  description?: unknown;
  tools?: unknown;
  dir?: unknown;
  fromRun?: unknown;
  input?: unknown;
  config?: unknown;
}

function last(value: unknown): string | undefined {
  const item = Array.isArray(value) ? value[value.length - 1] : value;
  return item === undefined || item === null || typeof item === "boolean" ? undefined : String(item);
}

function all(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((item) => typeof item !== "boolean").map(String);
}

export const registerNew: RegisterCommand = (cli, ctx, run) => {
  cli
    .command("new <name>", "Create a skill folder (SKILL.md, manifest.yaml, entry, tests/basic.yaml) from a template")
    .option("--lang <language>", "python or typescript (default: python)", { type: [String] })
    .option("--description <text>", "What the skill does and when to use it (no < or >, at most 1024 chars)", {
      type: [String],
    })
    .option("--tools <list>", "Tool dependencies as server/tool[@range], comma-separated (default range *)", {
      type: [String],
    })
    .option("--dir <folder>", "Parent folder (default: the first configured root, skills/)", { type: [String] })
    .option("--from-run <id>", "Make the skill from a logged exec run: its code, the tools it called, a test case", {
      type: [String],
    })
    .option("--input <json>", "With --from-run: the run's input for the test case (JSON text or @file)", {
      type: [String],
    })
    .option("--config <file>", "With --from-run: the .mcp.json to ask for the tools' versions", { type: [String] })
    .option("--json", "Print the created files as JSON")
    .example("skills new find-large-files --lang python --tools filesystem/list_directory_with_sizes")
    .action(
      run(async (name: string, options: NewCliOptions) => {
        if (options.fromRun !== undefined) {
          await fromRun(String(name), options);
          return;
        }
        // Loaded on use: `skills --help` and other commands do not pay for YAML/ajv.
        const { newSkill } = await import("../../commands/new.js");
        const result = await newSkill({
          name: String(name),
          lang: last(options.lang),
          description: last(options.description),
          tools: all(options.tools),
          dir: last(options.dir),
          cwd: ctx.cwd,
        });
        emit(ctx, result, renderNew);
        ctx.exitCode = EXIT.OK;
      }),
    );

  /** `--from-run`: the run's code, tools and a test case; the language and tools come from the run. */
  async function fromRun(name: string, options: NewCliOptions): Promise<void> {
    const runId = last(options.fromRun);
    if (runId === undefined) {
      throw new SkillsError("USAGE", "--from-run needs a run id", {
        hint: "e.g. skills new my-skill --from-run r_3f9a1c2b",
      });
    }
    if (options.lang !== undefined || options.tools !== undefined) {
      throw new SkillsError("USAGE", "--lang and --tools cannot be used with --from-run", {
        hint: "the language and the tools come from the run",
      });
    }
    const { newSkillFromRun } = await import("../../commands/newFromRun.js");
    const result = await newSkillFromRun({
      name,
      runId,
      description: last(options.description),
      dir: last(options.dir),
      input: last(options.input),
      configPath: last(options.config),
      cwd: ctx.cwd,
    });
    emit(ctx, result, renderNewFromRun);
    ctx.exitCode = result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
  }
};
