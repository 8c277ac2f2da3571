/**
 * One MCP protocol server (the SDK's low-level Server) for a ServedApp: tools/list, tools/call, resources. Tool
 * arguments are checked against the tool's inputSchema here (defaults filled in); a failed call, a bad argument or a
 * bug in a handler becomes an `isError` result the model can read, never a crashed server.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { JsonObject } from "../../contracts/json.js";
import { isPlainObject } from "../../core/json/index.js";
import { schemaValidator } from "../../core/schema/index.js";
import { isSkillsError } from "../../errors.js";
import type { CallContext, ClientName, ServedApp, ServedTool, ToolAnswer } from "./types.js";

export interface ProtocolServerOptions {
  /** The connection id handlers see (`stdio`, an HTTP session id); undefined for stateless HTTP. */
  connection?: string;
  /**
   * The client's name when no initialize request reaches this server (stateless HTTP: every request has a fresh
   * server, so the clientInfo of the client's initialize is gone). Default `unknown`.
   */
  client?: ClientName;
}

/**
 * The key under which the HTTP layer hands a request's "the client went away" signal to the handlers (through the
 * SDK's authInfo.extra, the one per-request channel a transport offers): an answer nobody can receive is not waited for.
 */
export const DISCONNECTED = "skillsDisconnected";

export function createProtocolServer(app: ServedApp, options: ProtocolServerOptions = {}): Server {
  const server = new Server(app.info, {
    capabilities: { tools: {}, ...(app.resources ? { resources: {} } : {}) },
    ...(app.instructions ? { instructions: app.instructions } : {}),
  });
  const byName = new Map(app.tools.map((tool) => [tool.name, tool]));

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: app.tools.map(definitionOf) }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      return failure(`UNKNOWN_TOOL: there is no tool "${request.params.name}"`, [...byName.keys()].join(", "));
    }
    const args: JsonObject = structuredClone(request.params.arguments ?? {}) as JsonObject;
    const problems = schemaValidator("skillInput", tool.inputSchema).validate(args);
    if (problems.length > 0) {
      const lines = problems.slice(0, 5).map((problem) => {
        const at = problem.pointer || "/";
        const detail =
          problem.keyword === "additionalProperties"
            ? ` ("${String(problem.params.additionalProperty)}")`
            : problem.keyword === "enum"
              ? `: ${JSON.stringify(problem.params.allowedValues)}`
              : "";
        return `${at} ${problem.message}${detail}`;
      });
      return failure(`INVALID_ARGUMENT: the arguments of ${tool.name} are invalid: ${lines.join("; ")}`);
    }
    const gone = extra.authInfo?.extra?.[DISCONNECTED];
    const abort = gone instanceof AbortSignal ? gone : undefined;
    const context: CallContext = {
      client: clientOf(server, options.client),
      signal: abort ? AbortSignal.any([extra.signal, abort]) : extra.signal,
      ...(options.connection !== undefined ? { connection: options.connection } : {}),
    };
    try {
      return resultOf(await tool.call(args, context));
    } catch (error) {
      if (isSkillsError(error)) {
        const hint = typeof error.data.hint === "string" ? error.data.hint : undefined;
        return failure(`${error.code}: ${error.message}`, hint);
      }
      app.onInternalError?.(error);
      return failure(`INTERNAL: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  const resources = app.resources;
  if (resources) {
    server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: await resources.list() }));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
      resourceTemplates: resources.templates,
    }));
    server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
      try {
        return { contents: [await resources.read(request.params.uri)] };
      } catch (error) {
        if (isSkillsError(error)) {
          // The spec's code for an unknown resource.
          throw new McpError(-32002, error.message, { uri: request.params.uri });
        }
        app.onInternalError?.(error);
        throw new McpError(ErrorCode.InternalError, error instanceof Error ? error.message : String(error));
      }
    });
  }
  return server;
}

function definitionOf(tool: ServedTool) {
  return {
    name: tool.name,
    ...(tool.title ? { title: tool.title } : {}),
    description: tool.description,
    inputSchema: tool.inputSchema as { type: "object" } & JsonObject,
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema as { type: "object" } & JsonObject } : {}),
    ...(tool.annotations ? { annotations: tool.annotations } : {}),
  };
}

function clientOf(server: Server, fallback: ClientName = { name: "unknown" }): ClientName {
  const info = server.getClientVersion();
  if (!info || typeof info.name !== "string" || info.name === "") return fallback;
  return { name: info.name, ...(typeof info.version === "string" ? { version: info.version } : {}) };
}

function resultOf(answer: ToolAnswer): CallToolResult {
  if (!isPlainObject(answer.structured)) throw new Error("a served tool answered without structured content");
  return {
    content: [{ type: "text", text: answer.text ?? JSON.stringify(answer.structured) }],
    structuredContent: answer.structured,
    ...(answer.isError ? { isError: true } : {}),
  };
}

/** A failed call without structured content (the client does not check it against the outputSchema then). */
function failure(message: string, hint?: string): CallToolResult {
  return { content: [{ type: "text", text: hint ? `${message}\nhint: ${hint}` : message }], isError: true };
}
