/** Options of the commands that run code (run, exec, repl, test): language, timeout, PII mode, tool keys. */
import { isPiiMode, PII_MODES, type PiiMode } from "../../contracts/privacy.js";
import type { SkillLanguage } from "../../contracts/skill.js";
import type { RunSettings } from "../../commands/shared/execution.js";
import { SkillsError } from "../../errors.js";
import type { CliContext } from "../context.js";
import type { RawOptions } from "../commandSpec.js";
import { PII_MODE_MISSING } from "../options.js";
import { allStrings, lastString } from "./values.js";

const LANGUAGES: Record<string, SkillLanguage> = {
  python: "python",
  py: "python",
  typescript: "typescript",
  ts: "typescript",
  javascript: "javascript",
  js: "javascript",
};

/** `--lang` value -> language; anything else is a usage error. */
export function parseLanguage(value: unknown): SkillLanguage {
  if (value === undefined || value === true || value === "") {
    throw new SkillsError("USAGE", "--lang is required", { hint: "pass --lang python or --lang typescript" });
  }
  const language = LANGUAGES[String(value).toLowerCase()];
  if (!language) {
    throw new SkillsError("INVALID_ARGUMENT", `unknown language "${String(value)}"`, {
      hint: "use --lang python, --lang typescript or --lang javascript",
    });
  }
  return language;
}

/** `--timeout` value -> milliseconds; not a positive integer is a usage error. */
export function parseTimeout(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0 || ms > 24 * 3600 * 1000) {
    throw new SkillsError(
      "INVALID_ARGUMENT",
      `--timeout must be a whole number of milliseconds, got "${String(value)}"`,
      {
        hint: "e.g. --timeout 5000 (5 seconds)",
      },
    );
  }
  return ms;
}

/** `--pii` value -> mode; anything else is a usage error. */
export function parsePiiMode(value: unknown): PiiMode | undefined {
  if (value === undefined) return undefined;
  if (isPiiMode(value)) return value;
  if (value === "") throw new SkillsError("INVALID_ARGUMENT", PII_MODE_MISSING.message, { hint: PII_MODE_MISSING.hint });
  throw new SkillsError("INVALID_ARGUMENT", `unknown --pii mode "${String(value)}"`, {
    hint: `use one of: ${PII_MODES.join(", ")}`,
  });
}

const TOOL_KEY = /^([^/\s]+)\/([^\s]+)$/;

/** Splits `--tools a/b,c/d` into keys; a malformed key is a usage error. */
export function parseToolKeys(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const parts = (Array.isArray(value) ? value : [value]).flatMap((item) => String(item).split(","));
  const keys = parts.map((part) => part.trim()).filter((part) => part.length > 0);
  for (const key of keys) {
    if (!TOOL_KEY.test(key)) {
      throw new SkillsError("INVALID_ARGUMENT", `"${key}" is not a tool key`, {
        hint: "name tools as server/tool, e.g. --tools filesystem/read_text_file,memory/search_nodes",
      });
    }
  }
  return [...new Set(keys)];
}

/** The options every command that runs code shares (--timeout, --require-isolation, --config, --pii). */
export function parseRunSettings(ctx: CliContext, options: RawOptions): RunSettings {
  const timeoutMs = parseTimeout(options.timeout);
  const configPath = lastString(options.config);
  const pii = parsePiiMode(lastString(options.pii));
  return {
    cwd: ctx.cwd,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(options.requireIsolation ? { requireIsolation: true } : {}),
    ...(configPath !== undefined ? { configPath } : {}),
    ...(pii !== undefined ? { pii } : {}),
  };
}

/** --tools and --all-tools. */
export function parseNamedTools(options: RawOptions): { tools: string[]; allTools: boolean } {
  return { tools: parseToolKeys(allStrings(options.tools)), allTools: Boolean(options.allTools) };
}
