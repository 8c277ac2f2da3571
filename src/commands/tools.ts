/**
 * `skills tools search|list|show`: progressive discovery over the catalog of the configured MCP servers.
 * Only the servers asked for are started, and only when their tool list is not cached.
 */
import { relative } from "node:path";
import { renderSignatures } from "../core/codegen/index.js";
import { type Detail, type ToolView, viewTool } from "../core/discovery/index.js";
import { TOKENIZER } from "../core/discovery/tokens.js";
import { DEFAULT_LIMIT, searchTools } from "../core/discovery/search.js";
import { buildSearchIndex } from "../core/discovery/searchIndex.js";
import { SkillsError } from "../errors.js";
import { type Catalog, type CatalogServer, findTool, loadCatalog } from "../mcp/catalog.js";
import { loadMcpConfig } from "../mcp/config.js";
import { createClientPool } from "../mcp/pool.js";
import { loadProjectConfig } from "../store/config.js";
import { loadShippedTokenCounter } from "../store/runLog/tokenCache.js";
import type { ToolInfo } from "../contracts/tools.js";

export interface ToolsCommonOptions {
  cwd: string;
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Only these servers. */
  servers?: string[];
  refresh?: boolean;
  connectTimeoutMs?: number;
  /** Called when a server has to be started (its tools are not cached): for progress output. */
  onServerStart?: (server: string) => void;
}

export interface ToolsSearchOptions extends ToolsCommonOptions {
  query: string;
  detail?: Detail;
  limit?: number;
  stats?: boolean;
}

export interface ToolsStats {
  tokenizer: string;
  /** Tokens of the answer (its results as JSON). */
  answerTokens: number;
  /** Tokens of every tool definition of the searched servers, as tools/list would put them in a context. */
  catalogTokens: number;
  catalogTools: number;
}

export type ToolHit = ToolView & { score: number; match: string };

export interface ToolsSearchResult {
  ok: boolean;
  query: string;
  detail: Detail;
  limit: number;
  results: ToolHit[];
  servers: Record<string, CatalogServer>;
  stats?: ToolsStats;
}

export interface ToolsListOptions extends ToolsCommonOptions {
  detail?: Detail;
  stats?: boolean;
}

export interface ToolsListResult {
  ok: boolean;
  detail: Detail;
  tools: ToolView[];
  servers: Record<string, CatalogServer>;
  stats?: ToolsStats;
}

export interface ToolsShowOptions extends ToolsCommonOptions {
  /** "server/tool" (or a tool name only one server has). */
  tool: string;
}

export interface ToolsShowResult {
  ok: true;
  tool: ToolView;
}

/** Loads the catalog of the selected servers and closes every server it started. */
export async function openCatalog(options: ToolsCommonOptions): Promise<Catalog> {
  const config = await loadMcpConfig({
    cwd: options.cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  // The project's cache folder, as for run and exec (skills.config.json cacheDir, SKILLS_CACHE_DIR).
  const { cacheDir } = await loadProjectConfig(options.cwd);
  if (Object.keys(config.servers).length === 0) {
    const disabled = config.disabled?.length ? ` (disabled: ${config.disabled.join(", ")})` : "";
    const shown = relative(options.cwd, config.file);
    throw new SkillsError("SERVER_NOT_FOUND", `no MCP servers configured${disabled}`, {
      file: shown.startsWith("..") ? config.file : shown,
      hint: 'add servers under "mcpServers" (see docs/mcp.md)',
    });
  }
  const servers = options.servers && options.servers.length > 0 ? [...new Set(options.servers)] : undefined;
  const pool = createClientPool(config, {
    ...(servers ? { servers } : {}),
    ...(options.onServerStart ? { onStart: options.onServerStart } : {}),
    ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
  });
  try {
    return await loadCatalog({
      pool,
      config,
      cacheDir,
      ...(options.refresh ? { refresh: true } : {}),
      ...(servers ? { servers } : {}),
    });
  } finally {
    await pool.close();
  }
}

function allFailed(catalog: Catalog): boolean {
  const servers = Object.values(catalog.servers);
  return servers.length > 0 && servers.every((server) => server.error !== undefined);
}

/** When no server answered there is nothing to show: that is an error, not an empty list. */
function assertSomeServer(catalog: Catalog): void {
  if (!allFailed(catalog)) return;
  const [name, server] = Object.entries(catalog.servers)[0]!;
  throw new SkillsError(
    (server.errorCode as "SERVER_START_FAILED" | undefined) ?? "SERVER_START_FAILED",
    Object.keys(catalog.servers).length === 1 ? server.error! : `no server could be reached; ${name}: ${server.error}`,
    { server: name, hint: "run `skills doctor --servers` to check every server in .mcp.json" },
  );
}

export async function toolsSearch(options: ToolsSearchOptions): Promise<ToolsSearchResult> {
  const detail = options.detail ?? "summary";
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (options.query.trim() === "") {
    throw new SkillsError("USAGE", "the search query is empty", { hint: 'skills tools search "read a file"' });
  }
  const catalog = await openCatalog(options);
  assertSomeServer(catalog);
  const hits = searchTools(buildSearchIndex(catalog.tools), options.query, { limit });
  const results = hits.map((hit) => ({
    ...viewTool(hit.tool, detail, detail === "full" ? renderSignatures : undefined),
    score: hit.score,
    match: hit.match,
  }));
  const result: ToolsSearchResult = {
    ok: !Object.values(catalog.servers).some((server) => server.error),
    query: options.query,
    detail,
    limit,
    results,
    servers: catalog.servers,
  };
  if (options.stats) result.stats = await measureTokens(results, catalog.tools);
  return result;
}

export async function toolsList(options: ToolsListOptions): Promise<ToolsListResult> {
  const detail = options.detail ?? "summary";
  const catalog = await openCatalog(options);
  assertSomeServer(catalog);
  const tools = catalog.tools.map((tool) => viewTool(tool, detail, detail === "full" ? renderSignatures : undefined));
  const result: ToolsListResult = {
    ok: !Object.values(catalog.servers).some((server) => server.error),
    detail,
    tools,
    servers: catalog.servers,
  };
  if (options.stats) result.stats = await measureTokens(tools, catalog.tools);
  return result;
}

export async function toolsShow(options: ToolsShowOptions): Promise<ToolsShowResult> {
  const slash = options.tool.indexOf("/");
  const server = slash > 0 ? options.tool.slice(0, slash) : undefined;
  const catalog = await openCatalog({ ...options, ...(server ? { servers: [server] } : {}) });
  const tool = findTool(catalog, options.tool);
  return { ok: true, tool: viewTool(tool, "full", renderSignatures) };
}

/**
 * The tool definitions as the servers sent them in tools/list (what a client puts into a model's context): every
 * field each server sent, as it sent it, without what the toolkit adds (the server's name and serverInfo).
 */
export function catalogAsContext(tools: ToolInfo[]): string {
  return JSON.stringify(tools.map(({ server: _server, serverInfo: _serverInfo, ...sent }) => sent));
}

export async function measureTokens(results: (ToolView | ToolHit)[], tools: ToolInfo[]): Promise<ToolsStats> {
  const answer = results.map((result) => {
    const { score: _score, match: _match, ...view } = result as ToolHit;
    return view;
  });
  // The run log's counter, from the table the build ships (core/discovery's countTokens builds js-tiktoken's map).
  const counter = await loadShippedTokenCounter();
  return {
    tokenizer: TOKENIZER,
    answerTokens: counter.count(JSON.stringify(answer)),
    catalogTokens: counter.count(catalogAsContext(tools)),
    catalogTools: tools.length,
  };
}
