/** `skills compat [skills..]`: check skills against the tools they depend on (live servers or a git ref). */
import { EXIT, SkillsError } from "../../errors.js";
import type { RegisterCommand } from "../commands.js";
import { print } from "../context.js";
import { createStatusLine, lastString } from "./options.js";

interface CompatCliOptions {
  against?: unknown;
  format?: unknown;
  failOn?: unknown;
  strict?: boolean;
  fix?: boolean;
  rules?: boolean;
  config?: unknown;
  refresh?: boolean;
  typecheck?: boolean;
  json?: boolean;
}

const FORMATS = ["text", "json", "md", "junit", "github"] as const;
const LEVELS = ["warning", "migration-needed", "incompatible"] as const;

function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new SkillsError("USAGE", `${option} must be one of ${allowed.join(", ")}, not "${value}"`, {
    hint: `e.g. ${option} ${allowed[0]}`,
  });
}

export const registerCompat: RegisterCommand = (cli, ctx, run) => {
  cli
    .command(
      "compat [...skills]",
      "Check skills against the tools they depend on: what changed since the lock, and what it breaks",
    )
    .option(
      "--against <ref>",
      "live (default: the servers in .mcp.json now) or a git ref whose locks are compared with the work tree's",
    )
    .option("--format <format>", "text | json | md | junit | github (workflow annotations)")
    .option("--fail-on <level>", "Exit 1 when a skill reaches: warning | migration-needed (default) | incompatible")
    .option("--strict", "Ignore usage: a change to a part the skill does not use counts as much as one it uses")
    .option("--fix", "Apply the mechanical migrations (renamed tools, arguments, values, fields) and print the diff")
    .option("--rules", "List the rules (with --json: as data)")
    .option("--config <file>", "Use this .mcp.json instead of the nearest one", { type: [String] })
    .option("--refresh", "Ask the servers again instead of using the catalog cache")
    .option("--no-typecheck", "Do not type-check TypeScript skills against the SDK of the new schemas")
    .option("--json", "Same as --format json")
    .example("skills compat")
    .example("skills compat skills/find-todos --format md")
    .example("skills compat --against origin/main --format github --fail-on incompatible")
    .action(
      run(async (skills: string[], options: CompatCliOptions) => {
        if (options.rules) {
          const { RULES } = await import("../../core/compat/rules.js");
          const { renderRules } = await import("../render/compatRules.js");
          print(
            ctx,
            ctx.json || lastString(options.format) === "json"
              ? JSON.stringify({ rules: RULES }, null, 2)
              : renderRules(RULES, ctx),
          );
          return;
        }
        const format = ctx.json ? "json" : oneOf("--format", lastString(options.format), FORMATS, "text");
        const failOn = oneOf("--fail-on", lastString(options.failOn), LEVELS, "migration-needed");
        const against = lastString(options.against) ?? "live";
        const configPath = lastString(options.config);
        const { compat } = await import("../../commands/compat.js");
        const render = await import("../render/compat.js");
        const { reachesFailOn } = await import("../../core/compat/judge.js");
        const status = createStatusLine(ctx);
        const result = await compat({
          cwd: ctx.cwd,
          paths: (skills ?? []).map(String),
          against,
          strict: Boolean(options.strict),
          fix: Boolean(options.fix),
          typecheck: options.typecheck !== false,
          ...(configPath ? { configPath } : {}),
          ...(options.refresh ? { refresh: true } : {}),
          onStatus: status.set,
        }).finally(status.clear);
        if (format === "json") print(ctx, JSON.stringify(render.compatJson(result), null, 2));
        else if (format === "md") print(ctx, render.renderCompatMarkdown(result, failOn));
        else if (format === "junit") print(ctx, render.renderCompatJunit(result, failOn));
        else if (format === "github") print(ctx, render.renderCompatGithub(result, failOn));
        else print(ctx, render.renderCompatText(result, ctx, failOn));
        ctx.exitCode = result.skills.some((skill) => reachesFailOn(skill.status, failOn)) ? EXIT.CHECK_FAILED : EXIT.OK;
      }),
    );
};
