/**
 * The catalog: every tool of every configured server, served from .skills/cache/ when the server's config (and
 * executable) has not changed. `refresh` and notifications/tools/list_changed invalidate it. A server that fails is
 * reported in `servers[name].error`; the other servers' tools are still returned.
 */
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { editDistance } from "../core/discovery/fuzzy.js";
import { SkillsError, isSkillsError } from "../errors.js";
import {
  cacheFilePath,
  readCacheEntry,
  removeCacheEntry,
  removeCacheEntryFetchedBefore,
  writeCacheEntry,
} from "./catalog/cacheFile.js";
import { serverCacheKey } from "./catalog/cacheKey.js";
import { validatorsPath, warmToolValidators, writeToolValidators } from "./catalog/validators.js";
import type { McpConfig } from "./config.js";
import type { ClientPool } from "./pool.js";
import type { ServerInfo, ToolInfo } from "../contracts/tools.js";

export interface CatalogServer {
  serverInfo?: ServerInfo;
  /** The MCP protocol version the server speaks (from its initialize answer). */
  protocolVersion?: string;
  /** Why the server's tools are missing. */
  error?: string;
  errorCode?: string;
  /** True when the tools came from the cache without starting the server. */
  cached?: boolean;
  toolCount: number;
  /** The cache file of this server. */
  cacheFile?: string;
}

export interface Catalog {
  tools: ToolInfo[];
  servers: Record<string, CatalogServer>;
}

export interface LoadCatalogOptions {
  pool: ClientPool;
  config: McpConfig;
  /** Usually <config dir>/.skills/cache (see defaultCacheDir). */
  cacheDir: string;
  /** Ignore the cache and ask the servers. */
  refresh?: boolean;
  /** Only these servers (default: all the pool may use). */
  servers?: string[];
  /**
   * Compare a cached list with its server's version when the server is running (default true). A run that started
   * its servers early passes false, to use the cache without waiting for them, and calls watchCachedVersions.
   */
  checkRunning?: boolean;
}

export function defaultCacheDir(config: McpConfig): string {
  return join(config.dir, ".skills", "cache");
}

const subscribed = new WeakMap<ClientPool, Set<string>>();
/** Re-fetches of one server's tool list after tools/list_changed, per pool, before its cache entry is just dropped. */
const MAX_REFRESHES = 3;
/** How many tools/list_changed notifications each server of a pool has sent, to notice one that arrives while a
 * fetched list is being written to the cache. */
const changes = new WeakMap<ClientPool, Map<string, number>>();

function changeCount(pool: ClientPool, server: string): number {
  return changes.get(pool)?.get(server) ?? 0;
}

/** One server's tools as the cache holds them, without starting it (undefined when the cache has none). */
export async function cachedServerTools(
  config: McpConfig,
  cacheDir: string,
  server: string,
): Promise<{ serverInfo: ServerInfo; tools: ToolInfo[] } | undefined> {
  const serverConfig = config.servers[server];
  if (!serverConfig) return undefined;
  const entry = await readCacheEntry(cacheDir, await serverCacheKey(serverConfig), server);
  return entry ? { serverInfo: entry.serverInfo, tools: entry.tools } : undefined;
}

export async function loadCatalog(options: LoadCatalogOptions): Promise<Catalog> {
  const { pool, config, cacheDir } = options;
  const names = options.servers ?? pool.serverNames();
  for (const name of names) {
    if (!config.servers[name]) {
      throw new SkillsError("SERVER_NOT_FOUND", `no server "${name}" in ${config.file}`, {
        server: name,
        hint: `configured servers: ${Object.keys(config.servers).join(", ") || "(none)"}`,
      });
    }
  }
  watchToolChanges(pool, config, cacheDir);
  const results = await Promise.all(names.map((name) => loadServer(options, name)));
  const catalog: Catalog = { tools: [], servers: {} };
  for (const [index, name] of names.entries()) {
    const result = results[index]!;
    catalog.servers[name] = result.server;
    catalog.tools.push(...result.tools);
  }
  return catalog;
}

async function loadServer(
  options: LoadCatalogOptions,
  name: string,
): Promise<{ server: CatalogServer; tools: ToolInfo[] }> {
  const { pool, config, cacheDir } = options;
  const serverConfig = config.servers[name]!;
  const key = await serverCacheKey(serverConfig);
  const cacheFile = cacheFilePath(cacheDir, key);
  try {
    if (!options.refresh) {
      const entry = await readCacheEntry(cacheDir, key, name);
      // A server that is running anyway tells us its version: a different one means the cache is stale.
      const running = options.checkRunning !== false && pool.startedServers().includes(name);
      const live = entry && running ? await pool.serverInfo(name) : undefined;
      if (entry && (!live || live.version === entry.serverInfo.version)) {
        return {
          server: {
            serverInfo: entry.serverInfo,
            protocolVersion: entry.protocolVersion,
            cached: true,
            toolCount: entry.tools.length,
            cacheFile,
          },
          tools: entry.tools,
        };
      }
    }
    const listing = pool.listServerTools(name);
    // The compiler of the validators written below loads while the servers start up: after their spawns, not before.
    void pool.spawned().then(warmToolValidators);
    const tools = await listing;
    const serverInfo = await pool.serverInfo(name);
    const protocolVersion = await pool.protocolVersion(name);
    // A server sends tools/list_changed before the answers to later requests, so a notification that arrived while
    // we waited leaves this list current; one that arrives from now on makes it stale.
    const generation = changeCount(pool, name);
    // A cache that cannot be written (read-only checkout, full disk) costs speed next time, not this answer.
    let written = await writeCacheEntry(cacheDir, key, name, serverInfo, tools, protocolVersion).then(
      () => true,
      () => false,
    );
    if (written && changeCount(pool, name) !== generation) {
      await removeCacheEntry(cacheDir, key).catch(() => undefined);
      written = false;
    }
    // The tools' argument validators, compiled once for this list: runs load them instead of compiling. A change
    // notification may drop the list while they compile: then they go too (a file of another list is never used,
    // its first line names the schemas it was made from, so this only keeps the folder clean).
    if (written) {
      await writeToolValidators(cacheFile, tools).catch(() => undefined);
      if (!existsSync(cacheFile)) await rm(validatorsPath(cacheFile), { force: true }).catch(() => undefined);
    }
    return {
      server: {
        serverInfo,
        protocolVersion,
        cached: false,
        toolCount: tools.length,
        ...(written ? { cacheFile } : {}),
      },
      tools,
    };
  } catch (error) {
    if (!isSkillsError(error)) throw error;
    return { server: { error: error.message, errorCode: error.code, toolCount: 0 }, tools: [] };
  }
}

function watchToolChanges(pool: ClientPool, config: McpConfig, cacheDir: string): void {
  const dirs = subscribed.get(pool) ?? new Set<string>();
  subscribed.set(pool, dirs);
  if (dirs.has(cacheDir)) return;
  dirs.add(cacheDir);
  if (!changes.has(pool)) {
    const counts = new Map<string, number>();
    changes.set(pool, counts);
    pool.onToolsChanged((server) => counts.set(server, (counts.get(server) ?? 0) + 1));
  }
  // A change makes the cached list stale: re-fetch the list from the running server and cache that (servers such as
  // server-everything add tools right after the handshake; dropping the entry would leave them never cached). A
  // server that keeps changing gets MAX_REFRESHES re-fetches per pool, then its entry is only dropped. When the list
  // cannot be fetched (the pool is closing, the server died), the stale entry is removed instead.
  // `notifiedAt` is the latest notification's time: one that lands while a list is being written makes that list
  // stale too, so an entry given up on is dropped when it was fetched before it.
  const refreshes = new Map<string, { running: boolean; again: boolean; count: number; notifiedAt: number }>();
  pool.onToolsChanged((server) => {
    const serverConfig = config.servers[server];
    if (!serverConfig) return;
    const state = refreshes.get(server) ?? { running: false, again: false, count: 0, notifiedAt: 0 };
    state.notifiedAt = Date.now();
    refreshes.set(server, state);
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    pool.track(
      serverCacheKey(serverConfig)
        .then(async (key) => {
          try {
            do {
              state.again = false;
              if (state.count >= MAX_REFRESHES) throw new Error("the server keeps changing its tool list");
              state.count += 1;
              const tools = await pool.listServerTools(server);
              await writeCacheEntry(
                cacheDir,
                key,
                server,
                await pool.serverInfo(server),
                tools,
                await pool.protocolVersion(server),
              );
            } while (state.again);
          } catch {
            await removeCacheEntryFetchedBefore(cacheDir, key, state.again ? Date.now() : state.notifiedAt);
          }
        })
        .finally(() => {
          state.running = false;
        }),
    );
  });
}

/**
 * For servers whose tools came from the cache while the server was starting: when it answers with another version,
 * the cached list is dropped (the next command lists the tools again) and `onStale` says so. Never waits: a server
 * that fails to start is reported by the call that needed it.
 */
export function watchCachedVersions(options: {
  pool: ClientPool;
  config: McpConfig;
  cacheDir: string;
  catalog: Catalog;
  servers: string[];
  onStale: (message: string) => void;
}): void {
  for (const name of options.servers) {
    const cached = options.catalog.servers[name];
    if (!cached?.cached || !cached.serverInfo) continue;
    const expected = cached.serverInfo.version;
    options.pool.serverInfo(name).then(
      async (live) => {
        if (live.version === expected) return;
        options.onStale(
          `${name}: the server is now version ${live.version}, its cached tool list was for ${expected}; this run used the cached schemas, the next one lists the tools again`,
        );
        await invalidateCatalog(options.config, options.cacheDir, name).catch(() => undefined);
      },
      () => undefined,
    );
  }
}

/** Removes the cached tool list of a server (what a tools/list_changed notification does). */
export async function invalidateCatalog(config: McpConfig, cacheDir: string, server: string): Promise<void> {
  const serverConfig = config.servers[server];
  if (serverConfig) await removeCacheEntry(cacheDir, await serverCacheKey(serverConfig));
}

/** Finds "server/tool" (or a bare tool name that only one server has). TOOL_NOT_FOUND with suggestions otherwise. */
export function findTool(catalog: Catalog, key: string): ToolInfo {
  const slash = key.indexOf("/");
  const server = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const matches = catalog.tools.filter(
    (tool) => tool.name === name && (server === undefined || tool.server === server),
  );
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new SkillsError(
      "TOOL_NOT_FOUND",
      `"${key}" is ambiguous: ${matches.map((t) => `${t.server}/${t.name}`).join(", ")}`,
      {
        tool: key,
        hint: "name the server too: <server>/<tool>",
      },
    );
  }
  if (server !== undefined && !catalog.servers[server]) {
    throw new SkillsError("SERVER_NOT_FOUND", `no server "${server}" in the catalog`, {
      server,
      hint: `servers: ${Object.keys(catalog.servers).join(", ") || "(none)"}`,
    });
  }
  const failed = server !== undefined ? catalog.servers[server]?.error : undefined;
  const suggestions = suggestToolNames(catalog, name, server);
  throw new SkillsError(
    "TOOL_NOT_FOUND",
    `no tool "${key}"${failed ? ` (server "${server}" failed: ${failed.split("\n")[0]})` : ""}`,
    {
      tool: key,
      hint:
        suggestions.length > 0
          ? `did you mean ${suggestions.join(", ")}?`
          : "run `skills tools list` to see the tools, or `skills tools search <words>`",
    },
  );
}

function suggestToolNames(catalog: Catalog, name: string, server: string | undefined): string[] {
  const scored = catalog.tools
    .filter((tool) => server === undefined || tool.server === server)
    .map((tool) => ({
      key: `${tool.server}/${tool.name}`,
      distance: editDistance(tool.name.toLowerCase(), name.toLowerCase()),
    }))
    .filter((entry) => entry.distance <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.distance - b.distance);
  return scored.slice(0, 3).map((entry) => entry.key);
}
