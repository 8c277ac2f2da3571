/**
 * What the MCP server adapter serves, independent of the transport: tools (definition + handler), resources, and the
 * context each call gets. `skills serve` (src/commands/serve/) builds one ServedApp; stdio.ts and http.ts expose it.
 */
import type { JsonObject } from "../../contracts/json.js";

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ClientName {
  name: string;
  version?: string;
}

export interface CallContext {
  /**
   * The client's name from its initialize request. Stateless HTTP keeps no initialize: there it is the request's
   * `X-Skills-Client` header, else `unknown`.
   */
  client: ClientName;
  /** Aborted when the client cancels the call or goes away. */
  signal: AbortSignal;
  /** The connection the call came on: `stdio`, or an HTTP session id; undefined for stateless HTTP. */
  connection?: string;
}

export interface ToolAnswer {
  /** The structuredContent; it validates against the tool's outputSchema. */
  structured: JsonObject;
  /** The call failed: the client gets `isError: true` with the structured content and its text. */
  isError?: boolean;
  /** The text content; default: the structured content as JSON. */
  text?: string;
}

export interface ServedTool {
  name: string;
  title?: string;
  /** Written for a model: what the tool does, when to use it, what comes back. */
  description: string;
  inputSchema: JsonObject;
  outputSchema?: JsonObject;
  annotations?: ToolAnnotations;
  /** Arguments arrive validated against inputSchema. A SkillsError becomes an isError result with its message. */
  call(args: JsonObject, context: CallContext): Promise<ToolAnswer>;
}

export interface ServedResource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType: string;
}

export interface ServedResourceTemplate {
  uriTemplate: string;
  name: string;
  description?: string;
  mimeType: string;
}

export interface ServedResources {
  list(): Promise<ServedResource[]>;
  /** NOT_FOUND (a SkillsError) for a URI it does not serve. */
  read(uri: string): Promise<{ uri: string; mimeType: string; text: string }>;
  templates: ServedResourceTemplate[];
}

export interface ServedApp {
  info: { name: string; version: string };
  /** Told to every client in its initialize answer. */
  instructions?: string;
  tools: ServedTool[];
  resources?: ServedResources;
  /** A connection ended (stdio closed, an HTTP session deleted or expired): what it owned can go. */
  onConnectionClosed?(connection: string): void;
  /** An error that is not the caller's fault (a bug): the CLI shows it on stderr. */
  onInternalError?(error: unknown): void;
}
