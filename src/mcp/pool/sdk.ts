/**
 * The MCP SDK's client side, loaded on first use: it brings zod, ajv and ~250 modules, which a command answered from
 * the catalog cache never needs, and which a run loads while its servers are already starting (pool.ts spawns a
 * stdio server first, then loads this).
 */
export type McpSdk = {
  Client: typeof import("@modelcontextprotocol/sdk/client/index.js").Client;
  McpError: typeof import("@modelcontextprotocol/sdk/types.js").McpError;
  ToolListChangedNotificationSchema: typeof import("@modelcontextprotocol/sdk/types.js").ToolListChangedNotificationSchema;
  LATEST_PROTOCOL_VERSION: string;
};

let loading: Promise<McpSdk> | undefined;

export function loadMcpSdk(): Promise<McpSdk> {
  loading ??= Promise.all([
    import("@modelcontextprotocol/sdk/client/index.js"),
    import("@modelcontextprotocol/sdk/types.js"),
  ]).then(([client, types]) => ({
    Client: client.Client,
    McpError: types.McpError,
    ToolListChangedNotificationSchema: types.ToolListChangedNotificationSchema,
    LATEST_PROTOCOL_VERSION: types.LATEST_PROTOCOL_VERSION,
  }));
  return loading;
}

/** The SDK's HTTP client transport, only for servers reached over HTTP (it brings an event-stream parser and OAuth). */
export async function loadHttpTransport(): Promise<
  typeof import("@modelcontextprotocol/sdk/client/streamableHttp.js").StreamableHTTPClientTransport
> {
  return (await import("@modelcontextprotocol/sdk/client/streamableHttp.js")).StreamableHTTPClientTransport;
}

/** JSON-RPC error codes of the SDK's McpError (its ErrorCode enum), for errors read before or without the SDK. */
export const MCP_ERROR = { connectionClosed: -32000, requestTimeout: -32001 } as const;

/** An McpError (by shape: the SDK may not be loaded, or loaded twice) with this code. */
export function isMcpError(error: unknown, code: number): boolean {
  return error instanceof Error && error.name === "McpError" && (error as { code?: unknown }).code === code;
}
