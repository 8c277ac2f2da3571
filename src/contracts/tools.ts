/**
 * Tools as every layer sees them. The catalog (src/mcp/catalog) produces ToolInfo; the sandbox bridge calls tools
 * through a ToolBackend, which the live client pool, a cassette replayer and a recorder all implement.
 */
import type { JsonObject } from "./json.js";

export interface ServerInfo {
  name: string;
  version: string;
}

/** One tool of one server, as the catalog stores it. */
export interface ToolInfo {
  /** Server name as configured in .mcp.json (the key under mcpServers). */
  server: string;
  serverInfo: ServerInfo;
  name: string;
  /** The tool's own `title`; a title only inside `annotations` stays there (toolTitle in core/discovery reads both). */
  title?: string;
  description?: string;
  icons?: JsonObject[];
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
  annotations?: JsonObject;
  /** How the tool runs (e.g. `taskSupport`), as the server sent it. */
  execution?: JsonObject;
  _meta?: JsonObject;
}

/** The MCP `tools/call` result as a server returns it (before unwrapping). */
export interface CallToolResult {
  content: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: JsonObject;
}

export interface CallToolOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Called when the call had to wait for its server to start and connect, as the request then goes out. */
  onWaited?: () => void;
}

/** Where the bridge sends tool calls: live servers, a cassette, or a recorder wrapping live servers. */
export interface ToolBackend {
  /** Tools of the given servers (all servers when omitted). Starts only what it needs. */
  listTools(servers?: string[]): Promise<ToolInfo[]>;
  /** Calls one tool. Rejects with SkillsError (SERVER_*, TOOL_CALL_FAILED) on transport failure; a tool-level
   * failure is a resolved result with `isError: true`. */
  callTool(server: string, tool: string, args: JsonObject, options?: CallToolOptions): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** `server/tool` key used in manifests and on the command line. */
export function toolKey(server: string, tool: string): string {
  return `${server}/${tool}`;
}
