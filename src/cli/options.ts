/**
 * Options that several commands share, declared once. A command lists the ones it takes in its spec (commands.ts);
 * where one reads differently for one command (what the default is), the spec says so with `describe`.
 */
import type { OptionSpec } from "./commandSpec.js";

/** Given to every command (and to `skills` itself). */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: "--json", description: "Print machine-readable JSON on stdout" },
  { flags: "--debug", description: "Show stack traces and debug details" },
  { flags: "--no-color", description: "Disable colours (NO_COLOR is honoured too)" },
];

const PII_MODES_TEXT = "PII tokenization: off | default | strict";
const PII_STRICT_TEXT = "strict refuses output that still holds personal data";

/** `--pii` given without a mode (or an empty one). */
export const PII_MODE_MISSING = {
  message: "--pii needs a mode: off, default, strict",
  hint: 'e.g. --pii strict; without --pii the mode is the manifest\'s privacy.mode, else skills.config.json "pii", else default',
};

export const OPTIONS = {
  config: {
    flags: "--config <file>",
    description: "Use this .mcp.json instead of the nearest one",
    repeatable: true,
  },
  timeout: { flags: "--timeout <ms>", description: "Wall-clock limit in milliseconds" },
  requireIsolation: { flags: "--require-isolation", description: "Fail instead of running without bwrap isolation" },
  pii: {
    flags: "--pii <mode>",
    description: `${PII_MODES_TEXT} (default: "pii" in skills.config.json, else default); ${PII_STRICT_TEXT}`,
    repeatable: true,
    missing: PII_MODE_MISSING,
  },
  input: { flags: "--input <json>", description: "Input as JSON text, or @file (.json, .yaml)", repeatable: true },
  lang: { flags: "--lang <language>", description: "python | typescript | javascript", repeatable: true },
  tools: {
    flags: "--tools <list>",
    description: "Tools the program may call: server/tool,server/tool",
    repeatable: true,
  },
  allTools: { flags: "--all-tools", description: "Allow every tool of every server in .mcp.json (starts them all)" },
  profile: {
    flags: "--profile <name>",
    description:
      'Add a vendor\'s rules to the Agent Skills specification: claude (reserved words, no < >); default: "profile" in skills.config.json',
  },
  refresh: { flags: "--refresh", description: "Ask the servers again instead of using the catalog cache" },
  since: {
    flags: "--since <when>",
    description: "Only runs since: 30m, 24h, 7d, 2w, or a date (2025-01-31)",
    repeatable: true,
  },
} as const satisfies Record<string, OptionSpec>;

/** A shared option whose description says more for one command. */
export function describe(option: OptionSpec, description: string): OptionSpec {
  return { ...option, description };
}

/** What `--pii` defaults to for a command that runs a skill (its manifest may set a mode). */
export const PII_FOR_SKILLS = describe(
  OPTIONS.pii,
  `${PII_MODES_TEXT} (default: the manifest's privacy.mode, else "pii" in skills.config.json, else default); ${PII_STRICT_TEXT}`,
);
