/** Options of `skills new`: `--from-run` and the options that go with it. */
import type { NewFromRunOptions } from "../../commands/new/fromRun.js";
import { SkillsError } from "../../errors.js";
import type { RawOptions } from "../commandSpec.js";
import { lastString } from "./values.js";

/** The `--from-run` options, or undefined without --from-run; --input and --config only go with it. */
export function parseFromRun(options: RawOptions): Omit<NewFromRunOptions, "name" | "cwd"> | undefined {
  const input = lastString(options.input);
  const configPath = lastString(options.config);
  if (options.fromRun === undefined) {
    if (input !== undefined || configPath !== undefined) {
      throw new SkillsError("USAGE", "--input and --config go with --from-run", {
        hint: 'e.g. skills new my-skill --from-run r_3f9a1c2b --input \'{"path": "src"}\'',
      });
    }
    return undefined;
  }
  const runId = lastString(options.fromRun);
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
  const description = lastString(options.description);
  const dir = lastString(options.dir);
  return {
    runId,
    ...(description !== undefined ? { description } : {}),
    ...(dir !== undefined ? { dir } : {}),
    ...(input !== undefined ? { input } : {}),
    ...(configPath !== undefined ? { configPath } : {}),
  };
}
