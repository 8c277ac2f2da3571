/**
 * The JSON Schema of tools.lock.json. schemas/tools-lock.schema.json is this object written as JSON
 * (test/unit/compat/lockfile.test.ts fails when they differ), so reading a lock needs no file IO for its schema.
 */
export const TOOLS_LOCK_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://skills.dev/schemas/tools-lock.schema.json",
  title: "skills tool lock (tools.lock.json)",
  description:
    "What each tool dependency of a skill looked like when it was locked (`skills lock`): the server, its version, the raw tools/list entry and its hashes. Written by the toolkit; commit it with the skill.",
  type: "object",
  properties: {
    $schema: { type: "string" },
    lockfileVersion: { const: 1 },
    tools: {
      type: "object",
      description: "`<server>/<tool>` -> the locked tool.",
      propertyNames: { pattern: "^[^/\\s]+/[^\\s]+$" },
      additionalProperties: {
        type: "object",
        properties: {
          server: { type: "string", minLength: 1 },
          serverInfo: {
            type: "object",
            properties: { name: { type: "string" }, version: { type: "string" } },
            required: ["name", "version"],
          },
          protocolVersion: { type: "string" },
          version: {
            type: "string",
            description: "The tool's `_meta.version` when published, else serverInfo.version.",
          },
          fingerprint: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" },
          sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
          tool: {
            type: "object",
            description: "The tool exactly as the server listed it.",
            properties: {
              name: { type: "string", minLength: 1 },
              title: { type: "string" },
              description: { type: "string" },
              inputSchema: { type: "object" },
              outputSchema: { type: "object" },
              annotations: { type: "object" },
              _meta: { type: "object" },
            },
            required: ["name", "inputSchema"],
          },
        },
        required: ["server", "serverInfo", "protocolVersion", "version", "fingerprint", "sha256", "tool"],
        additionalProperties: false,
      },
    },
  },
  required: ["lockfileVersion", "tools"],
  additionalProperties: false,
} as const;
