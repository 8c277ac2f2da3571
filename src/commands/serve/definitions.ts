/**
 * The tools `skills serve` offers, as a model reads them: names, descriptions, input and output schemas, annotations.
 * Every word here costs tokens in every conversation of every client, whatever sits behind the server, so the list is
 * kept under 1,500 tokens (o200k_base; test/unit/serve/definitions.test.ts and bench/serve.mjs count it).
 */
import type { JsonObject } from "../../contracts/json.js";
import type { ServedTool } from "../../mcp/server/types.js";

export type ToolDefinition = Omit<ServedTool, "call">;

const LANGUAGE = { enum: ["python", "typescript", "javascript"] };
const TOOL_KEYS = { type: "array", items: { type: "string", pattern: "^[^/\\s]+/\\S+$" } };
const TIMEOUT = { type: "integer", minimum: 100, maximum: 600000 };

/** What a run gives back (execute_code, run_skill). */
const RUN_OUTPUT: JsonObject = {
  type: "object",
  properties: {
    ok: { type: "boolean" },
    result: {},
    logs: { type: "string" },
    stderr: { type: "string" },
    error: { type: "object", required: ["code", "message"] },
    session_id: { type: "string" },
    duration_ms: { type: "number" },
  },
  required: ["ok", "duration_ms"],
};

export const SEARCH_TOOLS: ToolDefinition = {
  name: "search_tools",
  title: "Search tools",
  description:
    "Find the tools your code can call (the MCP servers behind this server). Start here. detail: name, summary " +
    "(default) or full (description, import line, signature in `language`, schemas).",
  inputSchema: {
    type: "object",
    properties: {
      query: { type: "string", minLength: 1, description: "What you want to do, in words" },
      detail: { enum: ["name", "summary", "full"], default: "summary" },
      limit: { type: "integer", minimum: 1, maximum: 50, default: 10 },
      language: { enum: ["python", "typescript"], default: "python", description: "For full: signature language" },
    },
    required: ["query"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: {
      results: {
        type: "array",
        items: {
          type: "object",
          properties: { key: { type: "string" } },
          required: ["key"],
        },
      },
      unavailable: { type: "array", items: { type: "string" } },
    },
    required: ["results"],
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export const EXECUTE_CODE: ToolDefinition = {
  name: "execute_code",
  title: "Run code in a sandbox",
  description:
    "Run a program in a sandbox (no network; files only through tools) and get its result. Call tools from code: " +
    '`from servers.<server> import <tool>` (Python) or `import { <tool> } from "servers/<server>"` (TS). Set ' +
    "`result` or define `run(input)`; only the result, prints and errors come back, so filter big tool output in " +
    'code. session_id "new" starts a session that keeps variables (pass the returned id next time).',
  inputSchema: {
    type: "object",
    properties: {
      language: LANGUAGE,
      code: { type: "string", minLength: 1, maxLength: 1048576 },
      tools: { ...TOOL_KEYS, description: "server/tool keys the code may call (default: all)" },
      session_id: { type: "string" },
      timeout_ms: TIMEOUT,
    },
    required: ["language", "code"],
    additionalProperties: false,
  },
  outputSchema: RUN_OUTPUT,
  annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
};

export const LIST_SKILLS: ToolDefinition = {
  name: "list_skills",
  title: "List skills",
  description: "List the saved skills (programs that worked, kept for reuse). Reuse one before writing new code.",
  inputSchema: { type: "object", properties: {}, additionalProperties: false },
  outputSchema: {
    type: "object",
    properties: {
      skills: {
        type: "array",
        items: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
      },
    },
    required: ["skills"],
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export const GET_SKILL: ToolDefinition = {
  name: "get_skill",
  title: "Read a skill",
  description: "A skill's SKILL.md, manifest and call signature.",
  inputSchema: {
    type: "object",
    properties: { name: { type: "string", minLength: 1 } },
    required: ["name"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: {
      name: { type: "string" },
      version: { type: "string" },
      skill_md: { type: "string" },
      manifest: { type: "object" },
      signature: { type: "string" },
    },
    required: ["name", "version", "skill_md", "manifest", "signature"],
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export const RUN_SKILL: ToolDefinition = {
  name: "run_skill",
  title: "Run a skill",
  description: "Run a saved skill with an input that matches its manifest's input schema.",
  inputSchema: {
    type: "object",
    properties: {
      name: { type: "string", minLength: 1 },
      input: { type: "object" },
      version: { type: "string", description: "A release (exact, latest or a range); default: the working copy" },
      timeout_ms: TIMEOUT,
    },
    required: ["name"],
    additionalProperties: false,
  },
  outputSchema: RUN_OUTPUT,
  annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
};

export const SAVE_SKILL: ToolDefinition = {
  name: "save_skill",
  title: "Save code as a skill",
  description:
    "Save working code as a skill (a folder with SKILL.md and manifest.yaml), validated strictly. The code must " +
    "define `run(input)` or set `result`. An existing skill is replaced only by a higher `version`.",
  inputSchema: {
    type: "object",
    properties: {
      name: { type: "string", pattern: "^[a-z0-9]+(-[a-z0-9]+)*$", maxLength: 64 },
      language: LANGUAGE,
      code: { type: "string", minLength: 1, maxLength: 1048576 },
      description: { type: "string", minLength: 1, maxLength: 1024, description: "What it does and when to use it" },
      tools: TOOL_KEYS,
      input_schema: { type: "object" },
      output_schema: { type: "object" },
      version: { type: "string", description: "semver; default 0.1.0" },
      commit: { type: "boolean", description: "git commit the folder" },
    },
    required: ["name", "language", "code", "description", "tools"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: {
      name: { type: "string" },
      version: { type: "string" },
      dir: { type: "string" },
      lock: { enum: ["written", "unchanged", "no-tools", "error"] },
      replaced: { type: "string" },
      commit: { type: "string" },
      warnings: { type: "array", items: { type: "string" } },
    },
    required: ["name", "version", "dir"],
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
};

export const TOOL_DEFINITIONS: ToolDefinition[] = [
  SEARCH_TOOLS,
  EXECUTE_CODE,
  LIST_SKILLS,
  GET_SKILL,
  RUN_SKILL,
  SAVE_SKILL,
];

/** The tool list exactly as tools/list puts it into a model's context. */
export function toolListText(tools: ToolDefinition[] = TOOL_DEFINITIONS): string {
  return JSON.stringify(
    tools.map((tool) => ({
      name: tool.name,
      ...(tool.title ? { title: tool.title } : {}),
      description: tool.description,
      inputSchema: tool.inputSchema,
      ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
      ...(tool.annotations ? { annotations: tool.annotations } : {}),
    })),
  );
}
