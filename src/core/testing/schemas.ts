/**
 * The JSON Schemas of the two file formats `skills test` reads. The files in schemas/ are these objects written as
 * JSON (test/unit/testing/schemas.test.ts fails when they differ), so the code needs no file IO to validate.
 */

const regexMatcher = {
  type: "object",
  description: "A regular expression the value (or its JSON text, for non-strings) must match.",
  properties: { regex: { type: "string", minLength: 1 }, flags: { type: "string", pattern: "^[dgimsuvy]*$" } },
  required: ["regex"],
  additionalProperties: false,
} as const;

const expectation = {
  type: "object",
  description: "What the run must produce. Every matcher given must hold.",
  properties: {
    equals: { description: "The result must equal this value exactly." },
    subset: {
      description: "Deep partial match: listed keys must match, other keys are ignored; arrays match element-wise.",
    },
    schema: { type: "object", description: "The result must validate against this JSON Schema (2020-12)." },
    match: {
      type: "object",
      description:
        'JSONPath -> expected value, or { regex } tested against the selected value(s). Example: { "$.files[0].name": "a.txt" }',
      propertyNames: { pattern: "^\\$" },
      additionalProperties: true,
    },
    error: {
      type: "object",
      description: "The run must fail with this error.",
      properties: {
        code: { type: "string", minLength: 1, description: "Exact error code, e.g. PROGRAM_ERROR or TIMEOUT." },
        message: { type: "string", minLength: 1, description: "Substring of the message, or /regex/flags." },
      },
      additionalProperties: false,
    },
    maxToolCalls: { type: "integer", minimum: 0, description: "At most this many tool calls." },
    maxMs: { type: "integer", minimum: 1, description: "The run must take at most this many milliseconds." },
  },
  additionalProperties: false,
} as const;

const testCase = {
  type: "object",
  properties: {
    name: { type: "string", minLength: 1, maxLength: 200, description: "Unique within the skill." },
    description: { type: "string" },
    input: { description: "The skill's input (validated by the manifest's input schema when the skill runs)." },
    expect: { $ref: "#/$defs/expectation" },
    cassette: {
      type: "string",
      pattern: "^(?!\\.)[A-Za-z0-9._-]+\\.json$",
      description: "File under cassettes/. Default: the case name, lower-cased with other characters as '-', + .json",
    },
    live: { type: "boolean", description: "Run against the live servers instead of a cassette." },
    args: {
      type: "object",
      description: "How tool-call arguments are compared with the recording.",
      properties: {
        ignore: {
          type: "array",
          items: { type: "string", minLength: 1 },
          description: "Field names (any depth) or dotted paths (a.b.c) left out of the comparison.",
        },
      },
      additionalProperties: false,
    },
    allowUnused: { type: "boolean", description: "Recorded calls the program did not make do not fail the case." },
    order: {
      enum: ["strict", "any"],
      description: "strict: calls in the recorded order (default). any: each call takes the first equal unused one.",
    },
    timeout_ms: { type: "integer", minimum: 1, description: "Overrides the manifest's limits.timeout_ms." },
  },
  required: ["name"],
  additionalProperties: false,
} as const;

export const TEST_CASE_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://skills.dev/schemas/test-case.schema.json",
  title: "skills test case file (tests/*.yaml)",
  description: "One test case, or several under `cases:`.",
  type: "object",
  if: { required: ["cases"] },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
  then: {
    properties: { cases: { type: "array", minItems: 1, items: { $ref: "#/$defs/case" } } },
    additionalProperties: false,
  },
  else: { $ref: "#/$defs/case" },
  $defs: { case: testCase, expectation, regexMatcher },
} as const;

const serverInfo = {
  type: "object",
  properties: { name: { type: "string" }, version: { type: "string" } },
  required: ["name", "version"],
} as const;

export const CASSETTE_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://skills.dev/schemas/cassette.schema.json",
  title: "skills test cassette (cassettes/*.json)",
  description: "Recorded tool calls of one test case, with the schemas of the tools, for offline replay.",
  type: "object",
  properties: {
    $schema: { type: "string" },
    version: { const: 1 },
    skill: { type: "string" },
    case: { type: "string" },
    recordedAt: { type: "string" },
    servers: { type: "object", additionalProperties: serverInfo },
    tools: {
      type: "array",
      items: {
        type: "object",
        properties: {
          server: { type: "string", minLength: 1 },
          serverInfo,
          name: { type: "string", minLength: 1 },
          title: { type: "string" },
          description: { type: "string" },
          icons: { type: "array", items: { type: "object" } },
          inputSchema: { type: "object" },
          outputSchema: { type: "object" },
          annotations: { type: "object" },
          execution: { type: "object" },
          _meta: { type: "object" },
          fingerprint: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" },
        },
        required: ["server", "serverInfo", "name", "inputSchema", "fingerprint"],
      },
    },
    calls: {
      type: "array",
      items: {
        type: "object",
        properties: {
          server: { type: "string", minLength: 1 },
          tool: { type: "string", minLength: 1 },
          arguments: { type: "object" },
          result: {
            type: "object",
            properties: { content: { type: "array" }, isError: { type: "boolean" } },
            required: ["content"],
          },
          error: {
            type: "object",
            properties: { code: { type: "string" }, message: { type: "string" } },
            required: ["code", "message"],
          },
          batch: {
            type: "integer",
            minimum: 1,
            description: "Calls recorded concurrently share a batch; replay accepts them in any order.",
          },
        },
        required: ["server", "tool", "arguments"],
        oneOf: [{ required: ["result"] }, { required: ["error"] }],
      },
    },
    redactions: {
      type: "array",
      items: {
        type: "object",
        properties: { pointer: { type: "string" }, reason: { type: "string" } },
        required: ["pointer", "reason"],
      },
    },
    pii: {
      type: "array",
      items: {
        type: "object",
        properties: { pointer: { type: "string" }, type: { type: "string" } },
        required: ["pointer", "type"],
      },
    },
  },
  required: ["version", "servers", "tools", "calls"],
} as const;
