/**
 * The test-case and cassette model for `skills test`. schemas/test-case.schema.json and schemas/cassette.schema.json
 * are written from ./schemas.ts; test/unit/testing/schemas.test.ts fails when they drift apart.
 */
import type { CallToolResult, ServerInfo, ToolInfo } from "../../contracts/tools.js";
import type { JsonObject } from "../../contracts/json.js";

/** A regex matcher inside `expect.match` or `expect.error.message`. */
export interface RegexMatcher {
  regex: string;
  flags?: string;
}

export interface ErrorExpectation {
  /** Exact error code (e.g. PROGRAM_ERROR, TIMEOUT, OUTPUT_INVALID). */
  code?: string;
  /** Substring of the message, or `/regex/flags`. */
  message?: string;
}

export interface Expectation {
  equals?: unknown;
  subset?: unknown;
  schema?: JsonObject;
  /** JSONPath -> expected value, or { regex } tested against the selected value(s). */
  match?: Record<string, unknown>;
  error?: ErrorExpectation;
  maxToolCalls?: number;
  maxMs?: number;
}

/** How recorded and actual tool-call arguments are compared. */
export interface ArgRules {
  /** Field names (any depth) or dotted paths (`a.b.c`) left out of the comparison, e.g. timestamps. */
  ignore?: string[];
}

export interface TestCase {
  name: string;
  description?: string;
  input?: unknown;
  expect?: Expectation;
  /** Cassette file name under the skill's cassettes/ folder. Default `<case-name>.json`. */
  cassette?: string;
  /** Run against the live servers (no cassette). */
  live?: boolean;
  args?: ArgRules;
  /** Calls left in the cassette at the end do not fail the case. */
  allowUnused?: boolean;
  /** `strict` (default): calls must come in the recorded order. `any`: each call takes the first equal unused one. */
  order?: "strict" | "any";
  /** Overrides the manifest's limits.timeout_ms for this case. */
  timeout_ms?: number;
}

/** A case as loaded from a file, with where it came from (for error messages and JUnit). */
export interface LocatedTestCase {
  case: TestCase;
  file: string;
  line: number;
  /** Index in `cases:` (0 for a one-case file). */
  index: number;
}

export const CASSETTE_VERSION = 1;

/** A tool as the catalog describes it, plus the fingerprint of its schemas at recording time. */
export interface CassetteTool extends ToolInfo {
  /** sha256 of canonical JSON of { inputSchema, outputSchema }. */
  fingerprint: string;
}

export interface CassetteCall {
  server: string;
  tool: string;
  arguments: JsonObject;
  /** The result as the server returned it; absent when the call failed in transport. */
  result?: CallToolResult;
  /** Transport-level failure (the live backend rejected). */
  error?: { code: string; message: string };
  /**
   * Calls that were in flight at the same time while recording share a batch number; their order is not
   * deterministic, so replay accepts them in any order within the batch. Absent for calls made one at a time.
   */
  batch?: number;
}

/** A value that looked like a secret and was replaced before writing. */
export interface Redaction {
  /** JSON pointer into the cassette. */
  pointer: string;
  reason: string;
}

/** A value that looks like personal data; kept, but flagged so a reviewer can look before committing. */
export interface PiiFlag {
  pointer: string;
  type: string;
}

export interface Cassette {
  $schema?: string;
  version: number;
  skill?: string;
  case?: string;
  recordedAt?: string;
  servers: Record<string, ServerInfo>;
  tools: CassetteTool[];
  calls: CassetteCall[];
  redactions?: Redaction[];
  pii?: PiiFlag[];
}

/** Why a case failed; `diff` is a readable expected-vs-actual rendering. */
export interface Failure {
  kind: string;
  message: string;
  diff?: string;
}
