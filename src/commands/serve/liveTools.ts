/**
 * The tools behind `skills serve`, kept warm: every server in .mcp.json is connected at start and restarted with
 * backoff when it fails or crashes; the catalog (from the cache, else the servers) is read once and refreshed for a
 * server that restarts or announces tools/list_changed. A server that is down does not stop the others: its tools
 * are missing until it is back, and search_tools says so. It is a Toolset, so runs go through openExecution.
 */
import type { ToolInfo } from "../../contracts/tools.js";
import { buildSearchIndex, type SearchIndex } from "../../core/discovery/index.js";
import { isSkillsServe } from "../../core/serve/selfEntry.js";
import { isSkillsError } from "../../errors.js";
import { loadCatalog } from "../../mcp/catalog.js";
import { useToolValidators } from "../../mcp/catalog/validators.js";
import type { LiveCatalog, LiveServer } from "../../mcp/liveCatalog.js";
import { loadMcpConfig, type McpConfig } from "../../mcp/config.js";
import { type ClientPool, createClientPool } from "../../mcp/pool.js";
import { type ServerHealth, type SupervisorOptions, superviseServers } from "../../mcp/pool/supervisor.js";
import type { Toolset } from "../shared/toolset.js";

/** Set in the environment of every server `skills serve` starts. */
export const SERVE_NESTED_ENV = "SKILLS_SERVE_UPSTREAM";

export interface ServerEvent {
  server: string;
  kind: "up" | "restarted" | "down";
  reason?: string;
}

export interface LiveToolsOptions {
  cwd: string;
  configPath?: string;
  cacheDir: string;
  /** Retry timing (tests shorten it). */
  backoff?: Pick<SupervisorOptions, "initialDelayMs" | "maxDelayMs" | "stableMs">;
  /** A server came up, came back or went down (the CLI logs it on stderr). */
  onServerEvent?: (event: ServerEvent) => void;
}

export interface LiveTools extends Toolset {
  /** Settles once the catalog has been read (tools of servers that failed are missing). */
  readonly ready: Promise<void>;
  /** The .mcp.json in use, when there is one. */
  readonly configFile?: string;
  health(): ServerHealth[];
  /** `server: why` for each server whose tools are missing now. */
  unavailable(): string[];
  /** The search index over the current tools (rebuilt when they change). */
  searchIndex(): SearchIndex;
  /** The current tools as `skills lock` reads them (save_skill locks from it without starting anything). */
  asCatalog(): LiveCatalog;
  /** The client pool (pids of the server processes, for tests and /healthz). */
  readonly pool?: ClientPool;
}

export async function openLiveTools(options: LiveToolsOptions): Promise<LiveTools> {
  const config = await readConfig(options);
  const skipped = config ? leaveOutSelf(config) : [];
  const warnings = skipped.map(
    (name) => `server "${name}" in ${config?.file} is skills serve itself; it is not served to itself`,
  );
  const names = config ? Object.keys(config.servers) : [];
  if (!config || names.length === 0) return emptyTools(config, warnings);

  // The mark lets a `skills serve` started through a wrapper we did not recognise refuse to serve (SERVE_NESTED_ENV).
  const pool = createClientPool(config, { env: { [SERVE_NESTED_ENV]: "1" } });
  const byServer = new Map<string, ToolInfo[]>();
  const missing = new Map<string, string>();
  // The protocol version each server agreed to: tools.lock.json records it.
  const protocols = new Map<string, string>();
  let tools: ToolInfo[] = [];
  let index: SearchIndex | undefined;
  let loaded = false;

  const rebuild = (): void => {
    tools = names.flatMap((name) => byServer.get(name) ?? []);
    index = undefined;
  };
  const relist = async (server: string): Promise<void> => {
    try {
      byServer.set(server, await pool.listServerTools(server));
      protocols.set(server, await pool.protocolVersion(server));
      missing.delete(server);
    } catch (error) {
      // The tools it had stay listed: calls to them fail with the server's error until it is back.
      missing.set(server, error instanceof Error ? error.message : String(error));
    }
    rebuild();
  };

  const supervisor = superviseServers(pool, names, {
    ...options.backoff,
    onConnected(server, restarted) {
      if (restarted) {
        options.onServerEvent?.({ server, kind: "restarted" });
        // A restarted server may be another version with other tools.
        if (loaded) pool.track(relist(server));
      } else options.onServerEvent?.({ server, kind: "up" });
    },
    onDown(server, reason) {
      options.onServerEvent?.({ server, kind: "down", reason });
    },
  });
  pool.onToolsChanged((server) => {
    if (loaded) pool.track(relist(server));
  });

  const ready = (async () => {
    const catalog = await loadCatalog({ pool, config, cacheDir: options.cacheDir, servers: names });
    for (const name of names) {
      byServer.set(
        name,
        catalog.tools.filter((tool) => tool.server === name),
      );
      const error = catalog.servers[name]?.error;
      if (error) missing.set(name, error);
      const protocol = catalog.servers[name]?.protocolVersion;
      if (protocol) protocols.set(name, protocol);
    }
    loaded = true;
    rebuild();
    // The tools' argument validators from beside the catalog: the first call of each tool compiles nothing.
    await useToolValidators(catalog, names);
  })();
  // A failure here is reported through `missing`; nobody must see an unhandled rejection.
  ready.catch(() => undefined);

  return {
    get tools() {
      return tools;
    },
    backend: pool,
    servers: names,
    warnings,
    ready,
    configFile: config.file,
    pool,
    health: () => supervisor.health(),
    unavailable: () => {
      const down = supervisor.health().filter((server) => server.state === "down");
      const reasons = new Map(down.map((server) => [server.name, server.lastError ?? "down"]));
      for (const [name, reason] of missing) if (!reasons.has(name)) reasons.set(name, reason);
      return [...reasons].map(([name, reason]) => `${name}: ${firstLine(reason)}`);
    },
    searchIndex: () => {
      index ??= buildSearchIndex(tools);
      return index;
    },
    asCatalog: () => {
      const servers = new Map<string, LiveServer>();
      for (const name of names)
        servers.set(name, liveServer(byServer.get(name), protocols.get(name), missing.get(name)));
      return { servers, configFile: config.file, close: async () => {} };
    },
    async close() {
      supervisor.stop();
      await pool.close();
    },
  };
}

/** The project's .mcp.json; none at all is fine (code runs without tools), a broken or missing --config is not. */
async function readConfig(options: LiveToolsOptions): Promise<McpConfig | undefined> {
  try {
    return await loadMcpConfig({
      cwd: options.cwd,
      ...(options.configPath !== undefined ? { configPath: options.configPath } : {}),
    });
  } catch (error) {
    if (isSkillsError(error) && error.code === "MCP_CONFIG_NOT_FOUND" && options.configPath === undefined) {
      return undefined;
    }
    throw error;
  }
}

/** Removes the entries that start `skills serve` (see isSkillsServe); returns their names. */
function leaveOutSelf(config: McpConfig): string[] {
  const self = Object.values(config.servers).filter(
    (server) => server.type === "stdio" && isSkillsServe(server.command, server.args),
  );
  for (const server of self) delete config.servers[server.name];
  return self.map((server) => server.name);
}

function emptyTools(config: McpConfig | undefined, warnings: string[]): LiveTools {
  const index = buildSearchIndex([]);
  return {
    tools: [],
    servers: [],
    warnings: [
      ...warnings,
      config ? `${config.file} configures no other servers` : "no .mcp.json: code runs without tools",
    ],
    ready: Promise.resolve(),
    ...(config ? { configFile: config.file } : {}),
    health: () => [],
    unavailable: () => [],
    searchIndex: () => index,
    asCatalog: () => ({ servers: new Map(), ...(config ? { configFile: config.file } : {}), close: async () => {} }),
    close: async () => {},
  };
}

/**
 * A server as a lock sees it: the tools last listed (kept while it is down and restarting, as calls see them), or
 * why there are none.
 */
function liveServer(
  tools: ToolInfo[] | undefined,
  protocolVersion: string | undefined,
  why: string | undefined,
): LiveServer {
  if (!tools || (tools.length === 0 && why)) {
    return {
      tools: [],
      error: {
        code: "SERVER_START_FAILED",
        message: firstLine(why ?? "its tools have not been read"),
        hint: "the server is started again with backoff; save again once it is up (or run `skills lock` then)",
      },
    };
  }
  const first = tools[0];
  return {
    tools,
    ...(first ? { serverInfo: first.serverInfo } : {}),
    ...(protocolVersion ? { protocolVersion } : {}),
  };
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
