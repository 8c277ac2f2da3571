/**
 * The error taxonomy. Core and adapters throw `SkillsError` with a string code; the CLI maps the code's kind to an
 * exit code and a message in one place (src/cli/output.ts). Anything that is not a SkillsError is an internal error.
 */

/** What kind of failure a code is: decides the exit code and whether a stack trace could ever help. */
export type ErrorKind = "usage" | "input" | "check" | "runtime" | "internal";

export const ERROR_CODES = {
  // usage and input (exit 2)
  USAGE: "usage",
  INVALID_ARGUMENT: "usage",
  NOT_FOUND: "input",
  YAML_SYNTAX: "input",
  MANIFEST_INVALID: "input",
  FRONTMATTER_INVALID: "input",
  CONFIG_INVALID: "input",
  MCP_CONFIG_INVALID: "input",
  MCP_CONFIG_NOT_FOUND: "input",
  INPUT_INVALID: "input",
  SKILL_EXISTS: "input",
  NAME_INVALID: "input",
  TEST_CASE_INVALID: "input",
  CASSETTE_INVALID: "input",
  TOOL_NOT_FOUND: "input",
  SERVER_NOT_FOUND: "input",
  OUTPUT_EXISTS: "input",
  RUN_NOT_FOUND: "input",
  RUN_CODE_MISSING: "input",
  SKILL_INVALID: "input",
  LOCK_INVALID: "input",
  SKILL_LINK_ESCAPES: "input",
  SKILL_TOO_LARGE: "input",
  SKILL_UNREADABLE: "input",
  ENTRY_OUTSIDE: "input",
  SKILL_NOT_RUNNABLE: "input",
  // checks that failed (exit 1)
  VALIDATION_FAILED: "check",
  TESTS_FAILED: "check",
  RUN_FAILED: "check",
  LOCK_MISSING: "check",
  LOCK_STALE: "check",
  COMPAT_FAILED: "check",
  // runtime problems with the outside world (exit 1 when a run/check failed because of them)
  SERVER_START_FAILED: "runtime",
  SERVER_TIMEOUT: "runtime",
  SERVER_PROTOCOL: "runtime",
  TOOL_CALL_FAILED: "runtime",
  TOOL_NOT_DECLARED: "runtime",
  TOOL_ARGS_INVALID: "runtime",
  TOOL_CALL_LIMIT: "runtime",
  SANDBOX_UNAVAILABLE: "runtime",
  SANDBOX_FAILED: "runtime",
  BRIDGE_PROTOCOL: "runtime",
  SESSION_LIMIT: "runtime",
  TIMEOUT: "runtime",
  OUTPUT_INVALID: "runtime",
  PROGRAM_ERROR: "runtime",
  REPLAY_MISMATCH: "runtime",
  PII_LEAK: "runtime",
  OUTPUT_WRITE_FAILED: "runtime",
  // skills versioned in git (release, log, diff, review, name@version)
  NOT_A_REPOSITORY: "input",
  REF_NOT_FOUND: "input",
  VERSION_NOT_FOUND: "input",
  RELEASE_REFUSED: "check",
  GIT_FAILED: "runtime",
  RELEASE_CACHE_MISMATCH: "runtime",
  // bugs (exit 3)
  INTERNAL: "internal",
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorData {
  /** File the error is about, relative to the working directory when possible. */
  file?: string;
  line?: number;
  column?: number;
  /** JSON pointer into the document. */
  pointer?: string;
  /** What to do about it. */
  hint?: string;
  [key: string]: unknown;
}

export class SkillsError extends Error {
  readonly code: ErrorCode;
  readonly data: ErrorData;

  constructor(code: ErrorCode, message: string, data: ErrorData = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SkillsError";
    this.code = code;
    this.data = data;
  }

  get kind(): ErrorKind {
    return ERROR_CODES[this.code];
  }
}

export function isSkillsError(value: unknown): value is SkillsError {
  return value instanceof SkillsError;
}

/** Exit codes: 0 ok, 1 a check failed, 2 usage or input error, 3 internal error. */
export const EXIT = { OK: 0, CHECK_FAILED: 1, USAGE: 2, INTERNAL: 3 } as const;

export function exitCodeFor(error: unknown): number {
  if (!isSkillsError(error)) return EXIT.INTERNAL;
  switch (error.kind) {
    case "usage":
    case "input":
      return EXIT.USAGE;
    case "check":
    case "runtime":
      return EXIT.CHECK_FAILED;
    case "internal":
      return EXIT.INTERNAL;
  }
}
