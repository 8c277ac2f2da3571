/** Options of `skills release`, `log`, `diff` and `review`: bumps and output formats, checked before any git runs. */
import type { Bump } from "../../contracts/versioning.js";
import { SkillsError } from "../../errors.js";
import type { RawOptions } from "../commandSpec.js";
import { oneOf } from "./compat.js";
import { lastString } from "./values.js";

export const BUMP_OPTIONS = ["major", "minor", "patch"] as const;
export const REVIEW_FORMATS = ["text", "json", "md", "github"] as const;
export type ReviewFormat = (typeof REVIEW_FORMATS)[number];

export function parseBump(options: RawOptions): Exclude<Bump, "none"> | undefined {
  const value = lastString(options.bump);
  if (options.bump === true) {
    throw new SkillsError("USAGE", "--bump needs a value: major, minor or patch", { hint: "e.g. --bump minor" });
  }
  return value === undefined ? undefined : oneOf("--bump", value, BUMP_OPTIONS, "patch");
}

export interface ReviewCliOptions {
  base: string;
  head?: string;
  format: ReviewFormat;
  allowBreaking: boolean;
}

/** `--base` is required; `--json` is `--format json`. */
export function parseReviewOptions(options: RawOptions, json: boolean): ReviewCliOptions {
  const base = lastString(options.base);
  if (base === undefined || base === "") {
    throw new SkillsError("USAGE", "skills review needs --base <ref>: the branch the changes go into", {
      hint: "e.g. skills review --base main (in a pull request: the base branch, e.g. --base origin/main)",
    });
  }
  const head = lastString(options.head);
  return {
    base,
    ...(head ? { head } : {}),
    format: json ? "json" : oneOf("--format", lastString(options.format), REVIEW_FORMATS, "text"),
    allowBreaking: Boolean(options.allowBreaking),
  };
}
