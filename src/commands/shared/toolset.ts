/**
 * The tools a run may call: `server/tool` keys resolved against the project's .mcp.json and the tool catalog.
 * Only the servers of those tools are started, and they are started at once, not at the program's first call: they
 * start while the sandbox does. The tools come from the catalog cache when it has them (no listing), with their
 * argument validators precompiled beside it. A skill without tools needs no .mcp.json, nor the MCP modules at all.
 */
import { SkillsError } from "../../errors.js";
import type { ToolBackend, ToolInfo } from "../../contracts/tools.js";

export interface OpenToolsetOptions {
  cwd: string;
  configPath?: string;
  cacheDir: string;
  /** `server/tool` keys (from `--tools`). */
  keys?: string[];
  /** Manifest dependencies: `server/tool` -> semver range (the keys are added to `keys`). */
  ranges?: Record<string, string>;
  /** Every tool of every configured server (`--all-tools`). */
  all?: boolean;
  /** Told what slow step is under way (the CLI shows it on a terminal). */
  onStatus?: (message: string) => void;
}

export interface Toolset {
  tools: ToolInfo[];
  backend?: ToolBackend;
  /** Servers that were needed (and will be started on first call). */
  servers: string[];
  warnings: string[];
  close(): Promise<void>;
}

const KEY = /^([^/\s]+)\/([^\s]+)$/;

export async function openToolset(options: OpenToolsetOptions): Promise<Toolset> {
  const ranges = options.ranges ?? {};
  const keys = [...new Set([...(options.keys ?? []), ...Object.keys(ranges)])];
  if (keys.length === 0 && !options.all) {
    return { tools: [], servers: [], warnings: [], close: async () => {} };
  }
  const [{ loadMcpConfig }, { createClientPool }, { loadCatalog, watchCachedVersions }, { useToolValidators }] =
    await Promise.all([
      import("../../mcp/config.js"),
      import("../../mcp/pool.js"),
      import("../../mcp/catalog.js"),
      import("../../mcp/catalog/validators.js"),
    ]);
  const config = await loadMcpConfig({ cwd: options.cwd, configPath: options.configPath });
  const configured = Object.keys(config.servers);
  const wanted = keys.map((key) => {
    const match = KEY.exec(key);
    if (!match) {
      throw new SkillsError("INVALID_ARGUMENT", `"${key}" is not a tool key`, { hint: "name tools as server/tool" });
    }
    return { key, server: match[1] as string, tool: match[2] as string };
  });
  for (const { server, key } of wanted) {
    if (!config.servers[server]) {
      throw new SkillsError(
        "SERVER_NOT_FOUND",
        `tool ${key} needs the server "${server}", which ${config.file} does not configure`,
        {
          file: config.file,
          hint: configured.length
            ? `configured servers: ${configured.join(", ")}; add "${server}" under mcpServers or fix the tool name`
            : `add "${server}" under mcpServers`,
        },
      );
    }
  }
  const servers = options.all ? configured : [...new Set(wanted.map((item) => item.server))];
  const pool = createClientPool(config, { servers });
  // Started now: each server spawns while we read the catalog, load the MCP client and start the sandbox.
  pool.prestart(servers);
  options.onStatus?.(`starting ${servers.join(", ")}`);
  try {
    // A cached list is used without waiting for its server: a version that turns out different is dealt with below.
    const catalog = await loadCatalog({ pool, config, cacheDir: options.cacheDir, servers, checkRunning: false });
    for (const server of servers) {
      const error = catalog.servers[server]?.error;
      if (error) {
        throw new SkillsError("SERVER_START_FAILED", `server "${server}" did not start: ${error}`, {
          file: config.file,
          hint: `check the "${server}" entry in ${config.file}; \`skills doctor --servers\` tries every server`,
        });
      }
    }
    const picked = await selectTools(catalog.tools, keys, ranges);
    const warnings = [...picked.warnings];
    // Added to later when a server started early answers with another version than its cached tool list's: the
    // caller reads the warnings after the run.
    watchCachedVersions({
      pool,
      config,
      cacheDir: options.cacheDir,
      catalog,
      servers,
      onStale: (message) => warnings.push(message),
    });
    await useToolValidators(catalog, servers);
    const tools = options.all
      ? [...catalog.tools.filter((tool) => servers.includes(tool.server)), ...picked.tools]
      : picked.tools;
    return { tools: [...new Set(tools)], backend: pool, servers, warnings, close: () => pool.close() };
  } catch (error) {
    await pool.close();
    throw error;
  }
}

/**
 * The catalog's entries for `server/tool` keys: TOOL_NOT_FOUND (with the closest names) for a key it lacks, and a
 * warning for each tool whose version is outside the range declared for it.
 */
export async function selectTools(
  catalog: ToolInfo[],
  keys: string[],
  ranges: Record<string, string> = {},
): Promise<{ tools: ToolInfo[]; warnings: string[] }> {
  // semver only where a range is declared (a skill's manifest): `skills exec --tools` has none.
  const semver = Object.keys(ranges).length > 0 ? await loadSemver() : undefined;
  const tools: ToolInfo[] = [];
  const warnings: string[] = [];
  for (const key of keys) {
    const match = KEY.exec(key);
    if (!match) {
      throw new SkillsError("INVALID_ARGUMENT", `"${key}" is not a tool key`, { hint: "name tools as server/tool" });
    }
    const server = match[1] as string;
    const tool = match[2] as string;
    const found = catalog.find((info) => info.server === server && info.name === tool);
    if (!found) {
      const names = catalog.filter((info) => info.server === server).map((info) => info.name);
      throw new SkillsError("TOOL_NOT_FOUND", `server "${server}" has no tool "${tool}" (needed as ${key})`, {
        hint: names.length
          ? `${closest(tool, names)}tools of ${server}: ${names.join(", ")}`
          : `server "${server}" lists no tools`,
      });
    }
    if (!tools.includes(found)) tools.push(found);
    const range = ranges[key];
    const version = toolVersion(found);
    if (range && version && semver) {
      if (semver.valid(version) && !semver.satisfies(version, range, { includePrerelease: true })) {
        warnings.push(`${key}: the server has version ${version}, outside the declared range ${range}`);
      }
    }
  }
  return { tools, warnings };
}


/** semver is CommonJS: bundled, its functions are the module's default export; under node, named exports too. */
async function loadSemver(): Promise<typeof import("semver")> {
  const loaded = (await import("semver")) as typeof import("semver") & { default?: typeof import("semver") };
  return loaded.default ?? loaded;
}

function toolVersion(tool: ToolInfo): string | undefined {
  const meta = tool._meta?.version;
  return typeof meta === "string" ? meta : tool.serverInfo.version;
}

function closest(name: string, names: string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of names) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? `did you mean "${best}"? ` : "";
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
