/**
 * The served app over streamable HTTP (MCP 2025-06-18 and later) at /mcp, plus GET /healthz and GET /metrics.
 * Every request passes the Host/Origin check (DNS rebinding) and, when a token is set, the bearer check first.
 *
 * Stateful (default): an initialize request opens an MCP session (the `mcp-session-id` header); each session has its
 * own protocol server, so each client has its own name, sandbox sessions and cancellations. Stateless: every POST is
 * answered by a fresh protocol server and nothing is kept between requests (for load balancers and one-shot calls);
 * the client's name, which a stateful session has from initialize, comes from the X-Skills-Client header then.
 */
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server as NodeServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { checkOrigin, isLoopbackHost } from "../../core/serve/origin.js";
import { createProtocolServer, DISCONNECTED } from "./protocol.js";
import type { ServedApp } from "./types.js";

export const MCP_PATH = "/mcp";
/** Names the client of a stateless request (stateful sessions take the name from initialize's clientInfo). */
export const CLIENT_HEADER = "x-skills-client";
const DEFAULT_SESSION_IDLE_MS = 30 * 60 * 1000;
const DEFAULT_MAX_SESSIONS = 100;
const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** A client that trickles its request (slowloris) holds a socket this long at the most. */
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_CONNECTIONS = 256;

export interface HttpServeOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Browser origins allowed besides the server's own. */
  allowedOrigins?: string[];
  stateless?: boolean;
  /** GET /healthz: 200 when healthy, 503 when not. */
  health(): Promise<{ healthy: boolean; body: unknown }>;
  /** GET /metrics: the text and its content type (Prometheus text 0.0.4); absent: 404 saying why. */
  metrics?: () => Promise<{ text: string; contentType: string }>;
  /** Why /metrics is absent (shown in its 404). */
  metricsUnavailable?: string;
  /** An MCP session without requests for this long is closed (default 30 minutes). */
  sessionIdleMs?: number;
  maxSessions?: number;
  maxBodyBytes?: number;
  /** Time to receive a request's headers, and the whole request (its body); then the connection is closed. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Connections open at once; more are refused at accept. */
  maxConnections?: number;
}

export interface HttpServer {
  /** `http://host:port/mcp`. */
  readonly url: string;
  readonly port: number;
  sessionCount(): number;
  close(): Promise<void>;
}

interface McpSession {
  transport: StreamableHTTPServerTransport;
  server: Server;
  lastUsed: number;
  /** Requests (and SSE streams) open right now: a session in use never expires. */
  active: number;
}

export async function serveHttp(app: ServedApp, options: HttpServeOptions): Promise<HttpServer> {
  const sessions = new Map<string, McpSession>();
  const tokenDigest = options.token !== undefined ? digest(options.token) : undefined;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let port = options.port;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0];
    const origin = checkOrigin(
      { loopback: isLoopbackHost(options.host), port, allowedOrigins: options.allowedOrigins ?? [] },
      { host: req.headers.host, origin: req.headers.origin },
    );
    if (!origin.ok) return refuse(res, origin.status, origin.reason, path === MCP_PATH);
    if (tokenDigest && !bearerMatches(req.headers.authorization, tokenDigest)) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="skills"');
      return refuse(res, 401, "a valid bearer token is required (Authorization: Bearer <token>)", path === MCP_PATH);
    }
    if (path === "/healthz" && req.method === "GET") {
      const health = await options.health();
      return sendJson(res, health.healthy ? 200 : 503, health.body);
    }
    if (path === "/metrics" && req.method === "GET") {
      if (!options.metrics) return refuse(res, 404, options.metricsUnavailable ?? "no metrics here", false);
      let exposition: { text: string; contentType: string };
      try {
        exposition = await options.metrics();
      } catch (error) {
        // A log that cannot be read (permissions, a disk error) fails the scrape, with the reason, not the server.
        return refuse(
          res,
          500,
          `metrics unavailable: ${error instanceof Error ? error.message : String(error)}`,
          false,
        );
      }
      const { text, contentType } = exposition;
      res.writeHead(200, { "Content-Type": contentType });
      res.end(text);
      return;
    }
    if (path !== MCP_PATH) return refuse(res, 404, `nothing at ${path}; MCP is served at ${MCP_PATH}`, false);
    if (req.method !== "POST" && req.method !== "GET" && req.method !== "DELETE") {
      res.setHeader("Allow", options.stateless ? "POST" : "GET, POST, DELETE");
      return refuse(res, 405, `${req.method} is not an MCP method here`, true);
    }
    const body = req.method === "POST" ? await readJson(req, maxBody) : undefined;
    if (body && !body.ok) {
      if (body.status === 413) res.setHeader("Connection", "close");
      return refuse(res, body.status, body.message, true, body.rpcCode);
    }
    const parsed = body?.ok ? body.value : undefined;
    if (options.stateless) return handleStateless(req, res, parsed);
    return handleStateful(req, res, parsed);
  };

  const handleStateless = async (req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> => {
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      return refuse(res, 405, "this server is stateless: only POST carries MCP messages", true);
    }
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    const named = header(req, CLIENT_HEADER)?.trim();
    const server = createProtocolServer(app, named ? { client: { name: named } } : {});
    res.on("close", () => {
      void transport.close().catch(() => undefined);
      void server.close().catch(() => undefined);
    });
    await server.connect(transport);
    await transport.handleRequest(withDisconnect(req, res), res, body);
  };

  const handleStateful = async (req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> => {
    const id = header(req, "mcp-session-id");
    if (id !== undefined) {
      const session = sessions.get(id);
      if (!session) return refuse(res, 404, `no MCP session ${id} (it ended); initialize again`, true, -32001);
      session.lastUsed = Date.now();
      session.active += 1;
      res.on("close", () => {
        session.active -= 1;
        session.lastUsed = Date.now();
      });
      return session.transport.handleRequest(withDisconnect(req, res), res, body);
    }
    if (req.method !== "POST" || !isInitializeRequest(body)) {
      return refuse(res, 400, "no mcp-session-id header: start with an initialize request", true);
    }
    if (sessions.size >= (options.maxSessions ?? DEFAULT_MAX_SESSIONS)) {
      return refuse(res, 503, "too many MCP sessions are open; close one (DELETE /mcp) or try later", true);
    }
    let server: Server | undefined;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => {
        if (server) sessions.set(sessionId, { transport, server, lastUsed: Date.now(), active: 0 });
      },
    });
    // The session id is known only once the transport made it; handlers read it when they run.
    server = createProtocolServer(app, {
      get connection() {
        return transport.sessionId;
      },
    });
    transport.onclose = () => {
      const sessionId = transport.sessionId;
      if (sessionId && sessions.delete(sessionId)) app.onConnectionClosed?.(sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(withDisconnect(req, res), res, body);
  };

  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, headersTimeout);
  // Node checks the two timeouts every connectionsCheckingInterval (30 s by default): often enough to keep to them.
  const checkEvery = Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 2)));
  const http: NodeServer = createServer({ connectionsCheckingInterval: checkEvery }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      app.onInternalError?.(error);
      if (!res.headersSent) refuse(res, 500, "internal error", true, -32603);
      else res.end();
    });
  });
  // Keep-alive connections of clients that went quiet must not hold close() up.
  http.keepAliveTimeout = 5_000;
  http.headersTimeout = headersTimeout;
  http.requestTimeout = requestTimeout;
  http.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  port = (http.address() as AddressInfo).port;

  const idleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const session of sessions.values()) {
        if (session.active === 0 && now - session.lastUsed > idleMs) void session.transport.close();
      }
    },
    Math.min(idleMs, 60_000),
  );
  sweep.unref();

  const shownHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}${MCP_PATH}`,
    port,
    sessionCount: () => sessions.size,
    async close() {
      clearInterval(sweep);
      const open = [...sessions.values()];
      await Promise.all(open.map((session) => session.transport.close().catch(() => undefined)));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

/** The request with a signal that aborts when its response can no longer be delivered (the client went away). */
function withDisconnect(req: IncomingMessage, res: ServerResponse): IncomingMessage {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  // The token itself never travels further than the check above.
  Object.assign(req, { auth: { token: "", clientId: "", scopes: [], extra: { [DISCONNECTED]: controller.signal } } });
  return req;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function bearerMatches(value: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? "");
  // Compared as digests of equal length, in constant time.
  return match !== null && timingSafeEqual(digest(match[1] as string), expected);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

type BodyRead = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; message: string; rpcCode: number };

async function readJson(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const type = header(req, "content-type") ?? "";
  if (!type.toLowerCase().includes("application/json")) {
    req.resume();
    return { ok: false, status: 415, message: "Content-Type must be application/json", rpcCode: -32000 };
  }
  const chunks: Buffer[] = [];
  const complete = await new Promise<boolean>((resolve, reject) => {
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // Stop reading (the answer closes the connection); do not destroy the socket, so the 413 reaches the client.
      req.off("data", onData);
      req.pause();
      resolve(false);
    };
    req.on("data", onData);
    req.once("end", () => resolve(true));
    req.once("error", reject);
  });
  if (!complete) {
    return { ok: false, status: 413, message: `the request body is over ${maxBytes} bytes`, rpcCode: -32000 };
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch (error) {
    return { ok: false, status: 400, message: `the body is not JSON: ${(error as Error).message}`, rpcCode: -32700 };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(`${JSON.stringify(body)}\n`);
}

/** An HTTP error; on /mcp in the JSON-RPC error shape clients expect. */
function refuse(res: ServerResponse, status: number, message: string, rpc: boolean, code = -32000): void {
  if (rpc) sendJson(res, status, { jsonrpc: "2.0", error: { code, message }, id: null });
  else sendJson(res, status, { error: message });
}
