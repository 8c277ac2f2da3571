/**
 * The client pool: one MCP client per configured server, started on first use (several in parallel) or ahead of it
 * (prestart: a run starts its servers while the sandbox starts), with a connect timeout. A server that fails gives
 * SERVER_START_FAILED and the others keep working. close() ends every server process group; exit and signal
 * handlers do the same if our process goes down first. The MCP SDK is loaded only when a server is started.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { SkillsError } from "../errors.js";
import { VERSION } from "../version.js";
import type { McpConfig, ServerConfig } from "./config.js";
import { callFailed, describeCommand, protocolError, startFailed } from "./pool/errors.js";
import { MCP_ERROR, isMcpError, loadHttpTransport, loadMcpSdk } from "./pool/sdk.js";
import { StderrTail } from "./pool/stderrTail.js";
import { takeEarlyTransport } from "./pool/earlyTransports.js";
import { ProcessStdioTransport } from "./pool/stdioTransport.js";
import { toToolInfo } from "./pool/toolInfo.js";
import type { CallToolOptions, CallToolResult, ServerInfo, ToolBackend, ToolInfo } from "../contracts/tools.js";
import type { JsonObject } from "../contracts/json.js";

export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
const FAILED_START_GRACE_MS = 100;

export type StderrMode = "capture" | "inherit" | ((server: string, text: string) => void);

export interface ClientPoolOptions {
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  /** Only these servers may be used (default: all configured). */
  servers?: string[];
  /** What happens to servers' stderr besides keeping its end for error messages (default "capture"). */
  stderr?: StderrMode;
  /** Replaces the real transports, e.g. with InMemoryTransport in tests. */
  createTransport?: (config: ServerConfig) => Transport;
  /** How long close() waits for a server to exit after closing its stdin, and again after SIGTERM. */
  closeGraceMs?: number;
  /** Called when a server starts (for progress output). */
  onStart?: (server: string) => void;
  /** Added to every stdio server's environment (not part of its config, so not of its catalog cache key). */
  env?: Record<string, string>;
}

interface Connection {
  config: ServerConfig;
  client: Client;
  transport: Transport;
  stderr: StderrTail;
  serverInfo: ServerInfo;
  /** The MCP protocol version the server agreed to in its initialize answer. */
  protocolVersion: string;
}

export type ToolsChangedListener = (server: string) => void;
/** Told when a connected server's transport closes without close() (it crashed or exited). */
export type ServerClosedListener = (server: string) => void;

/** How long close() lets background work (a catalog refresh) finish. */
const BACKGROUND_WAIT_MS = 2_000;

export class ClientPool implements ToolBackend {
  private readonly connections = new Map<string, Promise<Connection>>();
  /** Connections that have been made (a call on one does not wait for its server). */
  private readonly connected = new WeakSet<Promise<Connection>>();
  private readonly started = new Set<string>();
  /** Per server being started, settled once its process is spawned (spawned()). */
  private readonly spawns = new Map<string, Promise<void>>();
  /** Servers started by prestart() whose start no caller has looked at yet (a failure is kept for that caller). */
  private readonly early = new Set<string>();
  private readonly listeners = new Set<ToolsChangedListener>();
  private readonly closedListeners = new Set<ServerClosedListener>();
  private readonly transports = new Map<string, ProcessStdioTransport>();
  private readonly openTransports = new Set<Transport>();
  private closed = false;
  /** Work started on behalf of the pool's servers (a catalog refresh after tools/list_changed) that close() lets
   * finish, so the command that ends the pool does not cut it off. */
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    readonly config: McpConfig,
    private readonly options: ClientPoolOptions = {},
  ) {
    for (const name of options.servers ?? []) this.serverConfig(name);
  }

  /** Configured servers this pool may use. */
  serverNames(): string[] {
    const all = Object.keys(this.config.servers);
    return this.options.servers ? all.filter((name) => this.options.servers!.includes(name)) : all;
  }

  /**
   * Settles once the server's process is spawned (or its start failed before that), at once when its start is not
   * under way; without a name, once every server whose start is under way is: work meant to overlap the servers' own
   * start-up waits for it, so that it does not delay a spawn.
   */
  spawned(server?: string): Promise<void> {
    if (server === undefined) return Promise.all(this.spawns.values()).then(() => undefined);
    return this.spawns.get(server) ?? Promise.resolve();
  }

  /** Servers whose start was attempted (connected, connecting, or failed). */
  startedServers(): string[] {
    return [...this.started];
  }

  /** Pids of the server processes that are running now (stdio servers only), by server name. */
  processIds(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, transport] of this.transports) {
      if (transport.pid !== undefined && !transport.exitStatus) out[name] = transport.pid;
    }
    return out;
  }

  /** Listens for notifications/tools/list_changed from any server; returns a function that stops listening. */
  onToolsChanged(listener: ToolsChangedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts these servers now, without waiting: a stdio server is spawned at once, the client loads and shakes hands
   * while the caller does other work. The first use of each sees how its start went (a failure is reported then,
   * not retried: the next use after that tries again).
   */
  prestart(servers: string[]): void {
    for (const server of servers) {
      if (this.connections.has(server)) continue;
      const started = this.connection(server);
      if (this.connections.get(server) !== started) continue;
      this.early.add(server);
      started.catch(() => undefined);
    }
  }

  /** Listens for servers that go away on their own; returns a function that stops listening. */
  onServerClosed(listener: ServerClosedListener): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  async connect(server: string): Promise<Client> {
    return (await this.connection(server)).client;
  }

  async serverInfo(server: string): Promise<ServerInfo> {
    return (await this.connection(server)).serverInfo;
  }

  /** The MCP protocol version negotiated with the server (tools.lock.json records it). */
  async protocolVersion(server: string): Promise<string> {
    return (await this.connection(server)).protocolVersion;
  }

  /** Tools of one server, all pages. SERVER_PROTOCOL when the answer does not follow the MCP schema. */
  async listServerTools(server: string): Promise<ToolInfo[]> {
    const connection = await this.connection(server);
    const tools: ToolInfo[] = [];
    let cursor: string | undefined;
    const seen = new Set<string>();
    try {
      do {
        const page = await connection.client.listTools(cursor ? { cursor } : {}, { timeout: this.callTimeout() });
        for (const tool of page.tools) tools.push(toToolInfo(server, connection.serverInfo, tool));
        cursor = page.nextCursor;
        if (cursor !== undefined && seen.has(cursor))
          throw new Error(`the cursor "${cursor}" came back: endless pages`);
        if (cursor !== undefined) seen.add(cursor);
      } while (cursor);
    } catch (error) {
      if (error instanceof Error && error.name === "McpError")
        throw callFailed(connection.config, "tools/list", error, connection.stderr.lines());
      throw protocolError(connection.config, "tools/list", error);
    }
    return tools;
  }

  async listTools(servers?: string[]): Promise<ToolInfo[]> {
    const lists = await Promise.all((servers ?? this.serverNames()).map((server) => this.listServerTools(server)));
    return lists.flat();
  }

  async callTool(
    server: string,
    tool: string,
    args: JsonObject,
    options: CallToolOptions = {},
  ): Promise<CallToolResult> {
    const pending = this.connection(server);
    const waits = !this.connected.has(pending);
    const connection = await pending;
    if (waits) options.onWaited?.();
    try {
      const result = await connection.client.callTool({ name: tool, arguments: args }, undefined, {
        timeout: options.timeoutMs ?? this.callTimeout(),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return result as CallToolResult;
    } catch (error) {
      throw callFailed(connection.config, tool, error, connection.stderr.lines());
    }
  }

  /** Runs `work` in the background; close() waits for it (at most BACKGROUND_WAIT_MS) before ending the servers. */
  track(work: Promise<unknown>): void {
    const settled = work.catch(() => undefined).finally(() => this.background.delete(settled));
    this.background.add(settled);
  }

  async close(): Promise<void> {
    if (this.background.size > 0 && !this.closed) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(this.background),
        new Promise((resolve) => (timer = setTimeout(resolve, BACKGROUND_WAIT_MS))),
      ]);
      clearTimeout(timer);
    }
    this.closed = true;
    const pending = [...this.connections.values()];
    this.connections.clear();
    // Transports are closed directly too, so that a server still in its handshake does not hold close() up
    // until its connect timeout.
    const transports = [...this.openTransports];
    this.openTransports.clear();
    await Promise.all([
      ...transports.map((transport) => transport.close().catch(() => undefined)),
      ...pending.map(async (promise) => {
        const connection = await promise.catch(() => undefined);
        await connection?.client.close().catch(() => undefined);
      }),
    ]);
  }

  private callTimeout(): number {
    return this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  private serverConfig(server: string): ServerConfig {
    const config = this.config.servers[server];
    if (!config || (this.options.servers && !this.options.servers.includes(server))) {
      const known = this.serverNames();
      throw new SkillsError("SERVER_NOT_FOUND", `no server "${server}" in ${this.config.file}`, {
        server,
        hint: known.length > 0 ? `configured servers: ${known.join(", ")}` : "add it under mcpServers in .mcp.json",
      });
    }
    return config;
  }

  private connection(server: string): Promise<Connection> {
    if (this.closed) {
      return Promise.reject(new SkillsError("INTERNAL", `cannot start "${server}": the client pool is closed`));
    }
    const existing = this.connections.get(server);
    if (existing) {
      // The first use of a server started early: a failed start is forgotten once this caller has seen it.
      if (this.early.delete(server)) {
        existing.catch(() => {
          if (this.connections.get(server) === existing) this.connections.delete(server);
        });
      }
      return existing;
    }
    let config: ServerConfig;
    try {
      config = this.serverConfig(server);
    } catch (error) {
      return Promise.reject(error);
    }
    const promise = this.start(config);
    this.connections.set(server, promise);
    promise.then(
      () => this.connected.add(promise),
      () => undefined,
    );
    // A failed start is not remembered: the next use tries again (after a prestart: the use after the first).
    promise.catch(() => {
      if (!this.early.has(server) && this.connections.get(server) === promise) this.connections.delete(server);
    });
    return promise;
  }

  private async start(config: ServerConfig): Promise<Connection> {
    this.started.add(config.name);
    this.options.onStart?.(config.name);
    let markSpawned: () => void = () => undefined;
    this.spawns.set(
      config.name,
      new Promise<void>((resolve) => {
        markSpawned = resolve;
      }),
    );
    const stderr = new StderrTail();
    let transport: Transport;
    try {
      transport = await this.createTransport(config, stderr);
    } catch (error) {
      markSpawned();
      throw startFailed(config, error instanceof Error ? error.message : String(error), [], { cause: error });
    }
    if (transport instanceof ProcessStdioTransport) this.transports.set(config.name, transport);
    this.openTransports.add(transport);
    // A stdio server is spawned before the MCP client is loaded: its own start-up overlaps ours.
    const spawned = transport instanceof ProcessStdioTransport ? transport.start() : undefined;
    markSpawned();
    spawned?.catch(() => undefined);
    const sdk = await loadMcpSdk();
    if (this.closed) {
      await transport.close().catch(() => undefined);
      throw startFailed(config, "the client pool was closed while the server started", stderr.lines());
    }
    const client = new sdk.Client({ name: "skills", version: VERSION }, { capabilities: {} });
    client.setNotificationHandler(sdk.ToolListChangedNotificationSchema, () => {
      for (const listener of this.listeners) listener(config.name);
    });
    const timeoutMs = config.timeoutMs ?? this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    // The client tells the transport which protocol version the server agreed to; that is the one place we learn it.
    let protocolVersion = sdk.LATEST_PROTOCOL_VERSION;
    const wire: Transport = transport;
    const setProtocolVersion = wire.setProtocolVersion?.bind(wire);
    wire.setProtocolVersion = (version: string) => {
      protocolVersion = version;
      setProtocolVersion?.(version);
    };
    try {
      await client.connect(transport, { timeout: timeoutMs });
    } catch (error) {
      // A server that failed its handshake gets no long goodbye: its stderr is all we still want from it.
      if (transport instanceof ProcessStdioTransport) await transport.close(FAILED_START_GRACE_MS);
      await client.close().catch(() => undefined);
      await transport.close().catch(() => undefined);
      throw startFailed(config, startFailureReason(error, transport, timeoutMs), stderr.lines(), {
        timeout: isMcpError(error, MCP_ERROR.requestTimeout),
        cause: error,
      });
    }
    // A server that dies later is started again on next use.
    const previousOnClose = transport.onclose;
    transport.onclose = () => {
      previousOnClose?.();
      const current = this.connections.get(config.name);
      const forgotten = current
        ? current.then(
            (c) => c.transport === transport && this.connections.delete(config.name),
            () => undefined,
          )
        : Promise.resolve();
      // Listeners hear of it once the next use would start the server afresh.
      void forgotten.then(() => {
        if (!this.closed) for (const listener of this.closedListeners) listener(config.name);
      });
    };
    const version = client.getServerVersion();
    const serverInfo: ServerInfo = { name: version?.name ?? config.name, version: version?.version ?? "0.0.0" };
    return { config, client, transport, stderr, serverInfo, protocolVersion };
  }

  private async createTransport(config: ServerConfig, stderr: StderrTail): Promise<Transport> {
    if (this.options.createTransport) return this.options.createTransport(config);
    if (config.type === "http") {
      const StreamableHTTPClientTransport = await loadHttpTransport();
      return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
    }
    // The toolkit's state folder, where the default config keeps the memory server's file.
    await mkdir(join(this.config.dir, ".skills"), { recursive: true }).catch(() => undefined);
    const mode = this.options.stderr ?? "capture";
    const spec = {
      command: config.command,
      args: config.args,
      env: { ...config.env, ...this.options.env },
      cwd: config.cwd,
      ...(this.options.closeGraceMs !== undefined ? { graceMs: this.options.closeGraceMs } : {}),
    };
    const onStderr = (text: string) => {
      stderr.append(text);
      if (mode === "inherit") process.stderr.write(text);
      else if (typeof mode === "function") mode(config.name, text);
    };
    // The same server spawned before this pool existed (skills run starts its skill's servers while it loads).
    return takeEarlyTransport(spec, onStderr) ?? new ProcessStdioTransport({ ...spec, onStderr });
  }
}

function startFailureReason(error: unknown, transport: Transport, timeoutMs: number): string {
  if (isMcpError(error, MCP_ERROR.requestTimeout)) return `no answer to initialize within ${timeoutMs} ms`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "command not found";
  if (code === "EACCES") return "command is not executable";
  if (transport instanceof ProcessStdioTransport && transport.exitStatus) {
    const { code: exitCode, signal } = transport.exitStatus;
    return signal ? `the process was killed by ${signal}` : `the process exited with code ${exitCode} before answering`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function createClientPool(config: McpConfig, options?: ClientPoolOptions): ClientPool {
  return new ClientPool(config, options);
}

export { describeCommand };
