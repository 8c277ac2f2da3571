/**
 * The tools of the servers in .mcp.json as they are now, from the catalog (.skills/cache, or the servers when the
 * cache is stale): what `skills lock` pins and what `skills compat` compares locks with. A server that is not
 * configured or does not start is reported per server; the others still answer.
 */
import type { ToolInfo } from "../contracts/tools.js";
import { closestMatches } from "../core/validate/suggest.js";
import type { CatalogServer } from "./catalog.js";
import { readCacheEntry } from "./catalog/cacheFile.js";
import { serverCacheKey } from "./catalog/cacheKey.js";
import { type McpConfig, loadMcpConfig } from "./config.js";

export interface LiveServer {
  serverInfo?: { name: string; version: string };
  protocolVersion?: string;
  /** Why the server's tools are unknown. */
  error?: { code: string; message: string; hint?: string };
  tools: ToolInfo[];
}

export interface LiveCatalog {
  servers: Map<string, LiveServer>;
  configFile?: string;
  close(): Promise<void>;
}

export interface OpenLiveOptions {
  cwd: string;
  configPath?: string;
  cacheDir: string;
  servers: string[];
  refresh?: boolean;
  onStatus?: (message: string) => void;
}

export async function openLiveCatalog(options: OpenLiveOptions): Promise<LiveCatalog> {
  const servers = new Map<string, LiveServer>();
  const wanted = [...new Set(options.servers)].sort();
  if (wanted.length === 0) return { servers, close: async () => {} };
  const config: McpConfig = await loadMcpConfig({
    cwd: options.cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
  });
  const configured = wanted.filter((name) => config.servers[name]);
  for (const name of wanted) {
    if (config.servers[name]) continue;
    const known = Object.keys(config.servers);
    const close = closestMatches(name, known);
    servers.set(name, {
      tools: [],
      error: {
        code: "SERVER_NOT_FOUND",
        message: `no server "${name}" in ${config.file}`,
        hint: close.length > 0 ? `did you mean "${close[0]}"?` : `configured servers: ${known.join(", ") || "(none)"}`,
      },
    });
  }
  if (configured.length === 0) return { servers, configFile: config.file, close: async () => {} };
  if (!options.refresh && (await fromCache(config, options.cacheDir, configured, servers))) {
    return { servers, configFile: config.file, close: async () => {} };
  }
  // Loaded on use: a run served from the cache never pays for the MCP client.
  const [{ loadCatalog }, { createClientPool }] = await Promise.all([import("./catalog.js"), import("./pool.js")]);
  const pool = createClientPool(config, { servers: configured });
  try {
    options.onStatus?.(`reading the tools of ${configured.join(", ")}`);
    const catalog = await loadCatalog({
      pool,
      config,
      cacheDir: options.cacheDir,
      servers: configured,
      refresh: options.refresh ?? false,
    });
    for (const name of configured) {
      const info: CatalogServer | undefined = catalog.servers[name];
      if (!info || info.error) {
        servers.set(name, {
          tools: [],
          error: {
            code: info?.errorCode ?? "SERVER_START_FAILED",
            // the pool's message already names the server, the command and why
            message: (info?.error ?? `server "${name}" did not answer`).split("\n")[0]!,
            hint: `check the "${name}" entry in ${config.file}; \`skills doctor --servers\` tries every server`,
          },
        });
        continue;
      }
      servers.set(name, {
        ...(info.serverInfo ? { serverInfo: info.serverInfo } : {}),
        ...(info.protocolVersion ? { protocolVersion: info.protocolVersion } : {}),
        tools: catalog.tools.filter((tool) => tool.server === name),
      });
    }
  } catch (error) {
    await pool.close();
    throw error;
  }
  return { servers, configFile: config.file, close: () => pool.close() };
}

/**
 * Every server from the catalog cache, as loadCatalog would serve it with no server running; false (and nothing
 * filled in) when one of them is not cached.
 */
async function fromCache(
  config: McpConfig,
  cacheDir: string,
  names: string[],
  servers: Map<string, LiveServer>,
): Promise<boolean> {
  const entries = await Promise.all(
    names.map(async (name) => readCacheEntry(cacheDir, await serverCacheKey(config.servers[name]!), name)),
  );
  if (entries.some((entry) => !entry)) return false;
  for (const [index, name] of names.entries()) {
    const entry = entries[index]!;
    servers.set(name, { serverInfo: entry.serverInfo, protocolVersion: entry.protocolVersion, tools: entry.tools });
  }
  return true;
}
