/** `skills test [skills..]`: run the skills' test cases (replay by default, --live, --record). */
import { runTests } from "../../commands/test.js";
import { EXIT, SkillsError } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { emit, print } from "../context.js";
import { renderSkillProgress, renderTest } from "../render/test.js";
import { lastString } from "./options.js";

interface TestCliOptions {
  record?: boolean;
  live?: boolean;
  filter?: unknown;
  junit?: unknown;
  concurrency?: unknown;
  strict?: boolean;
  config?: unknown;
  requireIsolation?: boolean;
}

function parseConcurrency(value: unknown): number | undefined {
  const text = lastString(value);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new SkillsError("INVALID_ARGUMENT", `--concurrency must be a whole number from 1 to 256, got "${text}"`, {
      hint: "e.g. --concurrency 4",
    });
  }
  return n;
}

export const registerTest: RegisterCommand = (cli, ctx, run) => {
  cli
    .command("test [...skills]", "Run skills' test cases: replay cassettes (default), --live, or --record new ones")
    .option("--record", "Run against the live servers in .mcp.json and rewrite the cassettes")
    .option("--live", "Run against the live servers without cassettes")
    .option("--filter <pattern>", "Only cases whose skill/case matches: substring, glob (*, ?) or /regex/", {
      type: [String],
    })
    .option("--junit <file>", "Also write a JUnit XML report to this file", { type: [String] })
    .option("--concurrency <n>", "Cases run at once (default: CPUs, at least 4)")
    .option("--strict", "Fail cases whose cassette was recorded against another tool schema")
    .option("--require-isolation", "Fail instead of running without bwrap isolation")
    .option("--config <file>", "Use this .mcp.json instead of the nearest one (--live, --record)", { type: [String] })
    .option("--json", "Print the results as JSON")
    .example("skills test skills --junit reports/skills.xml")
    .example("skills test skills/find-todos --record")
    .action(
      run(async (skills: string[], options: TestCliOptions) => {
        const result = await runTests({
          cwd: ctx.cwd,
          paths: (skills ?? []).map(String),
          record: Boolean(options.record),
          live: Boolean(options.live),
          filter: lastString(options.filter),
          junit: lastString(options.junit),
          concurrency: parseConcurrency(options.concurrency),
          strict: Boolean(options.strict),
          configPath: lastString(options.config),
          ...(options.requireIsolation ? { requireIsolation: true } : {}),
          onSkillDone: (skill) => {
            if (!ctx.json) print(ctx, renderSkillProgress(skill, ctx.style));
          },
        });
        emit(ctx, result, renderTest);
        ctx.exitCode = result.summary.errors > 0 ? EXIT.USAGE : result.ok ? EXIT.OK : EXIT.CHECK_FAILED;
      }),
    );
};
