/** Options of `skills compat`: the output format, the level that fails the run, what to compare against. */
import { FAIL_ON_LEVELS, type FailOn } from "../../core/compat/judge.js";
import { SkillsError } from "../../errors.js";
import type { RawOptions } from "../commandSpec.js";
import { lastString } from "./values.js";

export const COMPAT_FORMATS = ["text", "json", "md", "junit", "github"] as const;
export type CompatFormat = (typeof COMPAT_FORMATS)[number];

export function oneOf<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new SkillsError("USAGE", `${option} must be one of ${allowed.join(", ")}, not "${value}"`, {
    hint: `e.g. ${option} ${allowed[0]}`,
  });
}

export interface CompatCliOptions {
  format: CompatFormat;
  failOn: FailOn;
  /** "live" or a git ref. */
  against: string;
  strict: boolean;
  fix: boolean;
  rules: boolean;
  typecheck: boolean;
  configPath?: string;
  refresh: boolean;
}

/** `--json` is `--format json`; everything else is checked here, before any server starts. */
export function parseCompatOptions(options: RawOptions, json: boolean): CompatCliOptions {
  const format = json ? "json" : oneOf("--format", lastString(options.format), COMPAT_FORMATS, "text");
  const configPath = lastString(options.config);
  return {
    format,
    failOn: oneOf("--fail-on", lastString(options.failOn), FAIL_ON_LEVELS, "migration-needed"),
    against: lastString(options.against) ?? "live",
    strict: Boolean(options.strict),
    fix: Boolean(options.fix),
    rules: Boolean(options.rules),
    // cac turns `--no-typecheck` into typecheck: false (true when absent).
    typecheck: options.typecheck !== false,
    ...(configPath ? { configPath } : {}),
    refresh: Boolean(options.refresh),
  };
}
