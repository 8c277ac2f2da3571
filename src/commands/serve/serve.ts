/**
 * `skills serve`: the toolkit as an MCP server for agents, over stdio (default) or streamable HTTP. Everything slow
 * happens once, at start: the servers of .mcp.json are connected (and kept so), the catalog is read, the warm pool
 * fills. Every run goes through one openExecution(): the sandbox, the tool gate, PII tokenization and the run log
 * (each record with the MCP client's name) apply to served calls as to `skills exec`; over HTTP, GET /metrics serves
 * the run log as Prometheus text. close() ends runs, sessions, sandboxes and servers.
 */
import type { ServerHealth } from "../../mcp/pool/supervisor.js";
import { type HttpServer, serveHttp } from "../../mcp/server/http.js";
import { serveStdio, type StdioServer } from "../../mcp/server/stdio.js";
import type { ServedApp } from "../../mcp/server/types.js";
import { DEFAULT_IDLE_TIMEOUT_MS } from "../../sandbox/index.js";
import { loadProjectConfig } from "../../store/config.js";
import { VERSION } from "../../version.js";
import {
  type Execution,
  fromSettings,
  openExecution,
  type RunObserver,
  type RunSettings,
} from "../shared/execution.js";
import { runLogExposition } from "../shared/runLogExposition.js";
import { RunLimiter } from "./limiter.js";
import { type LiveTools, type LiveToolsOptions, openLiveTools, type ServerEvent } from "./liveTools.js";
import { skillResources } from "./resources.js";
import { SessionRegistry } from "./sessions.js";
import type { ServeState } from "./state.js";
import { executeCodeTool } from "./tools/executeCode.js";
import { saveSkillTool } from "./tools/saveSkill.js";
import { searchToolsTool } from "./tools/searchTools.js";
import { getSkillTool, listSkillsTool, runSkillTool } from "./tools/skills.js";

export interface ServeHttpOptions {
  port: number;
  host: string;
  /** The bearer token clients must send (read by the CLI from the variable --token-env names). */
  token?: string;
  allowedOrigins?: string[];
  stateless?: boolean;
  /** How long a client may take to send a request's headers / the whole request (defaults 10 s / 60 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Connections open at once (default 256). */
  maxConnections?: number;
}

export interface ServeOptions extends RunSettings {
  /** Streamable HTTP instead of stdio. */
  http?: ServeHttpOptions;
  /** An execute_code session ends after this long without a call (default 10 minutes). */
  idleTimeoutMs?: number;
  /** Runs at once; more wait their turn (default 16). */
  maxConcurrentRuns?: number;
  /** Sessions one connection may keep (default 8). */
  sessionsPerConnection?: number;
  /** execute_code sessions of all connections together (default 32): each is a live worker. */
  maxSessions?: number;
  /** Streams of the stdio transport (tests). */
  stdio?: Parameters<typeof serveStdio>[1];
  /** Told about every finished run and cell, with the client's name, after its record is in the run log. */
  onRun?: RunObserver;
  /** Upstream servers coming and going, for the operator (stderr). */
  onServerEvent?: (event: ServerEvent) => void;
  /** A bug in a handler (the call got an INTERNAL error): for the operator. */
  onInternalError?: (error: unknown) => void;
  /** Restart timing of crashed servers (tests shorten it). */
  backoff?: LiveToolsOptions["backoff"];
}

export interface ServeHealth {
  status: "ok" | "degraded";
  version: string;
  servers: ServerHealth[];
  tools: number;
  sessions: number;
  runs: { active: number; queued: number };
}

export interface ServeSummary {
  ok: boolean;
  transport: "stdio" | "http";
  /** Tool calls answered, by tool. */
  calls: Record<string, number>;
  warnings: string[];
}

export interface ServeHandle {
  readonly transport: "stdio" | "http";
  /** The MCP endpoint (HTTP only). */
  readonly url?: string;
  readonly port?: number;
  /** Things the operator should know (no .mcp.json, a process-only sandbox, ...). */
  readonly warnings: string[];
  /** The upstream servers, the sessions and the runs now. */
  health(): ServeHealth;
  /** Process ids of the upstream stdio servers (tests check that none outlives the server). */
  serverPids(): Record<string, number>;
  /** Settles when the server stopped: the stdio client went away, or close() was called. */
  readonly closed: Promise<ServeSummary>;
  close(): Promise<ServeSummary>;
}

const DEFAULT_MAX_RUNS = 16;
const DEFAULT_SESSIONS_PER_CONNECTION = 8;
const DEFAULT_MAX_SESSIONS = 32;
/** How long close() waits for cancelled runs to report before it ends their processes' servers anyway. */
const DRAIN_MS = 5_000;

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const config = await loadProjectConfig(options.cwd);
  const live = await openLiveTools({
    cwd: options.cwd,
    cacheDir: config.cacheDir,
    ...(options.configPath !== undefined ? { configPath: options.configPath } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.onServerEvent ? { onServerEvent: options.onServerEvent } : {}),
  });
  let execution: Execution;
  try {
    const warm = Math.max(1, config.warmPool);
    execution = await openExecution({
      ...fromSettings("serve", options),
      config,
      toolset: live,
      pool: { python: warm, typescript: warm },
      // Every served run names its client; a run that somehow does not is not the CLI's.
      client: "unknown",
      ...(options.onRun ? { onRun: options.onRun } : {}),
    });
  } catch (error) {
    await live.close();
    throw error;
  }
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const shutdown = new AbortController();
  const state: ServeState = {
    cwd: options.cwd,
    config,
    live,
    execution,
    sessions: new SessionRegistry({
      perConnection: options.sessionsPerConnection ?? DEFAULT_SESSIONS_PER_CONNECTION,
      total: options.maxSessions ?? DEFAULT_MAX_SESSIONS,
      idleTimeoutMs,
    }),
    limiter: new RunLimiter(options.maxConcurrentRuns ?? DEFAULT_MAX_RUNS),
    idleTimeoutMs,
    shutdown: shutdown.signal,
  };
  const calls: Record<string, number> = {};
  const tools = [
    searchToolsTool(state),
    executeCodeTool(state),
    listSkillsTool(state),
    getSkillTool(state),
    runSkillTool(state),
    saveSkillTool(state),
  ].map((tool) => ({
    ...tool,
    call: (args: Parameters<typeof tool.call>[0], context: Parameters<typeof tool.call>[1]) => {
      calls[tool.name] = (calls[tool.name] ?? 0) + 1;
      return tool.call(args, context);
    },
  }));
  const app: ServedApp = {
    info: { name: "skills", version: VERSION },
    instructions: instructionsFor(live),
    tools,
    resources: skillResources(state),
    onConnectionClosed: (connection) => void state.sessions.closeOwner(connection),
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  };
  const health = (): ServeHealth => {
    const servers = live.health();
    return {
      status: servers.every((server) => server.state === "up") ? "ok" : "degraded",
      version: VERSION,
      servers,
      tools: live.tools.length,
      sessions: state.sessions.count(),
      runs: { active: state.limiter.active, queued: state.limiter.queued },
    };
  };
  const transportName = options.http ? "http" : "stdio";
  const warnings = [...live.warnings];

  let transport: HttpServer | StdioServer;
  try {
    transport = options.http
      ? await serveHttp(app, {
          ...options.http,
          health: async () => {
            const now = health();
            return { healthy: now.status === "ok", body: now };
          },
          ...(config.logRuns
            ? { metrics: () => runLogExposition(config) }
            : {
                metricsUnavailable:
                  "the run log is off (logRuns: false in skills.config.json, or SKILLS_RUN_LOG=off): no runs are recorded, so there are no metrics",
              }),
        })
      : await serveStdio(app, options.stdio);
  } catch (error) {
    await execution.close();
    await live.close();
    throw error;
  }

  let settle!: (summary: ServeSummary) => void;
  const closed = new Promise<ServeSummary>((resolve) => {
    settle = resolve;
  });
  let closing: Promise<ServeSummary> | undefined;
  const close = (): Promise<ServeSummary> => {
    closing ??= (async () => {
      // Stop taking calls, then end what runs: its sandboxes are killed, its answers go nowhere.
      await transport.close().catch(() => undefined);
      shutdown.abort();
      // A ref'd timer, cleared after the race: with stdin closed it may be all that keeps the event loop alive.
      let drainTimer: NodeJS.Timeout | undefined;
      await Promise.race([state.limiter.drain(), new Promise((resolve) => (drainTimer = setTimeout(resolve, DRAIN_MS)))]);
      clearTimeout(drainTimer);
      await state.sessions.closeAll();
      try {
        await execution.close();
      } finally {
        await live.close();
      }
      const summary: ServeSummary = { ok: true, transport: transportName, calls, warnings };
      settle(summary);
      return summary;
    })();
    return closing;
  };
  // A stdio client that goes away (closes our stdin) ends the server.
  if ("closed" in transport) void transport.closed.then(close);

  return {
    transport: transportName,
    ...("url" in transport ? { url: transport.url, port: transport.port } : {}),
    warnings,
    health,
    serverPids: () => live.pool?.processIds() ?? {},
    closed,
    close,
  };
}

const MAX_LISTED_SERVERS = 20;

/** What every client is told at initialize: how the tools fit together, and which servers are behind them. */
function instructionsFor(live: LiveTools): string {
  const servers = live.servers.slice(0, MAX_LISTED_SERVERS).join(", ");
  const more = live.servers.length > MAX_LISTED_SERVERS ? ` and ${live.servers.length - MAX_LISTED_SERVERS} more` : "";
  return [
    "Call MCP tools from code instead of one by one: search_tools finds them (detail full gives the import line and",
    "signature), execute_code runs a program that calls them in a sandbox and returns only its result. Save code",
    "that works with save_skill; list_skills and run_skill reuse it.",
    live.servers.length > 0 ? `Servers: ${servers}${more}.` : "No MCP servers are configured: code runs without tools.",
  ].join(" ");
}
