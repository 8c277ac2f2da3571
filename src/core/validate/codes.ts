/**
 * Every problem code `skills validate` can report, with its level. "error" is an error in every mode (what the Agent
 * Skills specification requires, and what stops a skill from running); "strict" is a warning by default and an error
 * with --strict (our own stricter checks); "warning" is a warning in both (advice); "profile" is reported only when
 * its vendor profile is on (`--profile claude`), and then as an error: rules one client adds to the specification.
 * docs/skill-format.md has the same tables; a test keeps them in sync.
 */
import type { Problem, Severity } from "../../contracts/problem.js";

export type ProblemLevel = "error" | "strict" | "warning" | "profile";

/** Vendor rule sets on top of the specification, opt-in with `--profile <name>` or `"profile"` in skills.config.json. */
export const VALIDATION_PROFILES = {
  claude: "the rules of Claude's skill upload API: no reserved words in the name, no angle brackets in the description",
} as const;

export type ValidationProfile = keyof typeof VALIDATION_PROFILES;

export function isValidationProfile(value: unknown): value is ValidationProfile {
  return typeof value === "string" && Object.hasOwn(VALIDATION_PROFILES, value);
}

export interface ProblemCodeInfo {
  level: ProblemLevel;
  /** For level "profile": the profile that reports it. */
  profile?: ValidationProfile;
  meaning: string;
  fix: string;
}

/** What "valid" means for one check: our stricter checks as errors, and the vendor profile in force. */
export interface ValidationMode {
  strict: boolean;
  profile?: ValidationProfile;
}

export const PROBLEM_CODES = {
  SKILL_MD_MISSING: {
    level: "error",
    meaning: "the folder has no SKILL.md (a folder given by path, or one with manifest.yaml or a lower-case skill.md)",
    fix: "add SKILL.md with name and description frontmatter (`skills new` writes one); rename skill.md to SKILL.md",
  },
  MANIFEST_MISSING: {
    level: "strict",
    meaning:
      "the folder has an entry file (main.py, main.ts, main.js) or a manifest.yml but no manifest.yaml, so it is read as an instruction skill and cannot run",
    fix: "add manifest.yaml with name, version, language and entry to make it runnable (`skills new` shows one)",
  },
  FILE_TOO_LARGE: {
    level: "error",
    meaning: "SKILL.md or manifest.yaml is over 1 MiB and is not parsed",
    fix: "keep these files small; move data into separate files",
  },
  FILE_BINARY: {
    level: "error",
    meaning: "the file is not UTF-8 text (NUL bytes or invalid UTF-8)",
    fix: "save the file as UTF-8 text",
  },
  FILE_UNREADABLE: {
    level: "error",
    meaning: "manifest.yaml is there but is not a regular file (a folder, a FIFO, a device) or cannot be read",
    fix: "make manifest.yaml a regular file that the user running skills can read",
  },
  SYMLINK_ESCAPE: {
    level: "error",
    meaning:
      "a symlink in the skill folder points outside it (anywhere in it: .git/ and node_modules/ are checked too; a run refuses such a folder)",
    fix: "copy the file into the skill folder instead of linking to it",
  },
  SKILL_TOO_LARGE: {
    level: "error",
    meaning:
      "the skill folder holds more than 100,000 entries (.git/ and node_modules/ included): not all were checked",
    fix: "move data out of the skill folder",
  },
  PATH_ESCAPE: {
    level: "error",
    meaning: "the entry path leaves the skill folder (absolute or `..`)",
    fix: "use a path relative to the skill folder, e.g. main.py",
  },
  SKILL_MD_EMPTY: {
    level: "error",
    meaning: "SKILL.md is empty",
    fix: "add the frontmatter (name, description) and a body",
  },
  FRONTMATTER_MISSING: {
    level: "error",
    meaning: "SKILL.md does not start with a `---` frontmatter block",
    fix: "start the file with `---`, name and description, then `---`",
  },
  FRONTMATTER_UNTERMINATED: {
    level: "error",
    meaning: "the frontmatter block is never closed",
    fix: "add a `---` line after the frontmatter",
  },
  BODY_EMPTY: {
    level: "strict",
    meaning: "SKILL.md has no instructions after the frontmatter",
    fix: "describe when and how an agent should use the skill",
  },
  SKILL_MD_TOO_LONG: {
    level: "strict",
    meaning: "SKILL.md is over 500 lines; the specification recommends less, since an agent loads all of it at once",
    fix: "move detailed material to files under references/ and link them from SKILL.md",
  },
  YAML_SYNTAX: { level: "error", meaning: "the YAML cannot be parsed", fix: "fix the syntax at the position shown" },
  YAML_TAB: { level: "error", meaning: "a tab is used for indentation", fix: "indent with spaces" },
  YAML_UNCLOSED_QUOTE: { level: "error", meaning: "a quoted string is never closed", fix: "add the closing quote" },
  YAML_DUPLICATE_KEY: {
    level: "error",
    meaning: "a key appears twice in one mapping",
    fix: "remove or rename one of them",
  },
  YAML_NOT_MAPPING: {
    level: "error",
    meaning: "the document is not a mapping of keys to values",
    fix: "write `key: value` lines at the top level",
  },
  MANIFEST_SCHEMA: {
    level: "error",
    meaning: "a manifest value has the wrong type or is out of range, or a required key is missing",
    fix: "see the message and schemas/manifest.schema.json",
  },
  MANIFEST_UNKNOWN_KEY: {
    level: "error",
    meaning: "manifest.yaml has a key the schema does not define",
    fix: "remove it or fix its spelling (the hint suggests the closest key)",
  },
  FRONTMATTER_SCHEMA: {
    level: "error",
    meaning: "a frontmatter value has the wrong type, or name/description is missing",
    fix: "see the message and schemas/skill-frontmatter.schema.json",
  },
  FRONTMATTER_UNKNOWN_KEY: {
    level: "error",
    meaning: "the frontmatter has a key the Agent Skills specification does not define",
    fix: "move it under `metadata:` (string values) or remove it",
  },
  NAME_INVALID: {
    level: "error",
    meaning:
      "the name breaks the rule: lowercase letters (any script), digits and single hyphens, no leading or trailing hyphen",
    fix: "rename, e.g. `my-skill`",
  },
  NAME_TOO_LONG: { level: "error", meaning: "the name is longer than 64 characters", fix: "use a shorter name" },
  NAME_RESERVED: {
    level: "profile",
    profile: "claude",
    meaning: "the name contains a reserved word (anthropic, claude)",
    fix: "choose a name without it",
  },
  NAME_MISMATCH: {
    level: "error",
    meaning: "manifest.yaml and SKILL.md name different skills",
    fix: "use the same name in both",
  },
  FOLDER_NAME_MISMATCH: {
    level: "error",
    meaning: "the folder name differs from the skill name",
    fix: "rename the folder (or the skill) so they are equal",
  },
  DESCRIPTION_TOO_LONG: {
    level: "error",
    meaning: "the SKILL.md description is over 1024 characters",
    fix: "shorten it; put details in the body",
  },
  DESCRIPTION_ANGLE_BRACKETS: {
    level: "profile",
    profile: "claude",
    meaning: "the description contains `<` or `>`",
    fix: "remove angle brackets (clients reject XML-like tags)",
  },
  COMPATIBILITY_TOO_LONG: { level: "error", meaning: "`compatibility` is over 500 characters", fix: "shorten it" },
  VERSION_INVALID: {
    level: "error",
    meaning: "`version` is not a semantic version",
    fix: "use MAJOR.MINOR.PATCH, e.g. 1.0.0",
  },
  TOOL_KEY_INVALID: {
    level: "error",
    meaning: "a `tools` key is not `<server>/<tool>`",
    fix: "write the server name from .mcp.json, a slash, and the tool name",
  },
  TOOL_RANGE_INVALID: {
    level: "error",
    meaning: "a tool's version range is not a valid semver range",
    fix: 'use a range like ^1.2.0, ~0.3.1 or ">=1 <2"',
  },
  ENTRY_MISSING: { level: "error", meaning: "the entry file does not exist", fix: "create it or fix `entry`" },
  ENTRY_NO_RUN: {
    level: "strict",
    meaning: "the entry defines no `run(input)` and assigns no top-level `result`",
    fix: "Python: `def run(input):`; TypeScript/JavaScript: `export async function run(input)`",
  },
  ENTRY_LANGUAGE_MISMATCH: {
    level: "error",
    meaning: "the entry file's extension does not match `language`",
    fix: "python: .py; typescript: .ts; javascript: .js or .mjs",
  },
  JSON_SCHEMA_INVALID: {
    level: "error",
    meaning: "`input` or `output` is not a valid JSON Schema",
    fix: "fix the keyword shown (see json-schema.org)",
  },
  JSON_SCHEMA_UNKNOWN_KEYWORD: {
    level: "strict",
    meaning: "a key of `input` or `output` is no JSON Schema keyword, so it checks nothing (a typo, or a YAML comma)",
    fix: "use the keyword meant, quote a value with a comma in a `{ }` mapping, or prefix your own annotation with x-",
  },
  PRIVACY_PATTERN_NAME: {
    level: "error",
    meaning: "a privacy pattern's name is not snake_case, or repeats another pattern or a built-in detector",
    fix: "give each pattern its own name, e.g. employee_id",
  },
  PRIVACY_REGEX_INVALID: {
    level: "error",
    meaning: "a privacy pattern's regex does not compile, matches the empty string, or can take exponential time",
    fix: "fix the JavaScript regular expression (remember to escape backslashes in YAML double quotes)",
  },
  PRIVACY_IGNORE_INVALID: {
    level: "error",
    meaning: "a privacy ignore_fields entry is neither a key name nor a valid JSON pointer pattern",
    fix: "write a key name without /, or a pointer from the root like /rows/*/owner (~0 for ~, ~1 for /)",
  },
  TOOL_UNDECLARED: {
    level: "error",
    meaning: "the code calls a tool of the SDK that manifest.yaml does not declare under `tools`",
    fix: "declare it (`<server>/<tool>: <range>`) or remove the call; undeclared calls are refused at run time",
  },
  TOOL_UNKNOWN: {
    level: "error",
    meaning:
      "a `tools` key names a tool its server does not list (checked against the catalog, cached in .skills/cache)",
    fix: "fix the tool name (the hint names the closest one); `skills tools list --server <server>` lists them all",
  },
  SERVER_UNKNOWN: {
    level: "error",
    meaning: "a `tools` key names a server that .mcp.json does not configure",
    fix: "fix the server name (the hint names the closest one), or add the server to .mcp.json",
  },
  CODE_SYNTAX: {
    level: "error",
    meaning: "a code file of the skill does not parse (a Python SyntaxError, a TypeScript syntax error)",
    fix: "fix the code at the position shown",
  },
  CODE_TYPE: {
    level: "error",
    meaning:
      "TypeScript code does not type-check against the SDK generated from the declared tools (a misspelt argument, a wrong type, a field the result does not have)",
    fix: "fix the code at the position shown; `skills tools show <server/tool>` prints the tool's signature",
  },
  TEST_INPUT_INVALID: {
    level: "error",
    meaning: "a test case's `input` breaks the manifest's `input` schema (the case could never run)",
    fix: "fix the input, or expect the refusal: `expect: { error: { code: INPUT_INVALID } }`",
  },
  EXAMPLE_INPUT_INVALID: {
    level: "error",
    meaning: "an example `--input` in SKILL.md breaks the manifest's `input` schema (an agent would copy it)",
    fix: "fix the example so that it runs as written",
  },
  CASSETTE_EMPTY: {
    level: "error",
    meaning:
      "a test case replays a cassette that was never recorded (the empty one `skills new` writes) or none, although the skill's code calls tools: it tests none of them",
    fix: "record it: `skills test <skill> --record` (or mark the case `live: true`)",
  },
  TOOL_UNUSED: {
    level: "warning",
    meaning: "a tool declared under `tools` is never called by the code",
    fix: "remove it from `tools`, or call it",
  },
} as const satisfies Record<string, ProblemCodeInfo>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export function severityFor(code: ProblemCode, strict: boolean): Severity {
  const level = PROBLEM_CODES[code].level as ProblemLevel;
  if (level === "warning") return "warning";
  return level === "error" || level === "profile" || strict ? "error" : "warning";
}

/** Whether a problem with this code is reported in this mode (a profile's rules only with that profile). */
export function isReported(code: string, mode: ValidationMode): boolean {
  const info: ProblemCodeInfo | undefined = (PROBLEM_CODES as Record<string, ProblemCodeInfo>)[code];
  return info?.level !== "profile" || info.profile === mode.profile;
}

export interface ProblemInput {
  code: ProblemCode;
  message: string;
  file: string;
  line: number;
  column: number;
  pointer?: string;
  hint?: string;
}

export function makeProblem(input: ProblemInput, strict: boolean): Problem {
  const problem: Problem = {
    severity: severityFor(input.code, strict),
    code: input.code,
    message: input.message,
    file: input.file,
    line: input.line,
    column: input.column,
    pointer: input.pointer ?? "",
  };
  const hint = input.hint ?? PROBLEM_CODES[input.code].fix;
  if (hint) problem.hint = hint;
  return problem;
}
