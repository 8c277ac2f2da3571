/**
 * `skills sdk`: generates the typed SDK tree `<out>/servers/` from the catalog of the configured MCP servers.
 *
 * The tree is written to a temp folder next to it and swapped in, so a failed run leaves the old tree as it was.
 * A folder `servers/` that the toolkit did not generate (no `.skills-sdk.json` marker) is never replaced. With
 * `check`, nothing is written: the result says whether the tree on disk matches what would be generated (for CI).
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { SDK_FORMAT_VERSION, type SdkLanguage, generateSdk, sdkLayout } from "../core/codegen/index.js";
import { SkillsError } from "../errors.js";
import { type CatalogServer, loadCatalog } from "../mcp/catalog.js";
import { loadMcpConfig } from "../mcp/config.js";
import { createClientPool } from "../mcp/pool.js";
import { loadProjectConfig } from "../store/config.js";
import type { ToolInfo } from "../contracts/tools.js";
import { SDK_MARKER, type TreeDiff, assertReplaceable, diffTree, writeTree } from "./sdk/tree.js";

export { SDK_MARKER, writeTree, type TreeDiff } from "./sdk/tree.js";

export interface SdkOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Default "both". */
  lang?: SdkLanguage;
  /** Folder that receives `servers/` (default: cwd). */
  out?: string;
  /** Only these servers (default: all configured). */
  servers?: string[];
  /** --config FILE instead of the nearest .mcp.json. */
  configPath?: string;
  refresh?: boolean;
  /** Compare the tree on disk with what would be generated; write nothing. */
  check?: boolean;
  connectTimeoutMs?: number;
  /** Called as servers answer (`servers`) and as files are written (`files`). */
  onProgress?: (stage: "servers" | "files", done: number, total: number) => void;
}

export interface SdkServerSummary {
  server: string;
  /** Folder / Python package / TS import path under servers/. */
  folder: string;
  tools: number;
  version?: string;
}

export interface SdkResult {
  /** False only with `check` when the tree on disk is stale. */
  ok: boolean;
  lang: SdkLanguage;
  /** Absolute path of the generated `servers/` folder. */
  dir: string;
  files: number;
  tools: number;
  servers: SdkServerSummary[];
  /** True when an earlier generated tree was replaced. */
  replaced: boolean;
  /** With `check`: how the tree on disk differs from a fresh one (nothing is written). */
  check?: TreeDiff;
}

/** The runtime sources shipped in the package's runtime/ folder (copied verbatim into the tree). */
export async function readRuntimeSources(): Promise<{ python: string; ts: string }> {
  const root = new URL("../../runtime/", import.meta.url);
  try {
    const [python, ts] = await Promise.all([
      readFile(new URL("python/_runtime.py", root), "utf8"),
      readFile(new URL("ts/_runtime.ts", root), "utf8"),
    ]);
    return { python, ts };
  } catch (error) {
    throw new SkillsError("INTERNAL", `the SDK runtime files are missing: ${(error as Error).message}`, {
      hint: "reinstall the package: runtime/python/_runtime.py and runtime/ts/_runtime.ts ship with it",
    });
  }
}

/** Loads the catalog of the requested servers; any server that fails stops the run (the old tree stays). */
async function loadTools(options: SdkOptions): Promise<{ tools: ToolInfo[]; servers: Record<string, CatalogServer> }> {
  const config = await loadMcpConfig({
    cwd: options.cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  // The project's cache folder, as for run and exec (skills.config.json cacheDir, SKILLS_CACHE_DIR).
  const { cacheDir } = await loadProjectConfig(options.cwd);
  const pool = createClientPool(config, {
    ...(options.servers ? { servers: options.servers } : {}),
    ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
  });
  try {
    // One catalog load per server, so progress can tick as each answers; they still run in parallel.
    const names = options.servers ?? pool.serverNames();
    let answered = 0;
    const parts = await Promise.all(
      names.map(async (name) => {
        const part = await loadCatalog({
          pool,
          config,
          cacheDir,
          servers: [name],
          ...(options.refresh ? { refresh: true } : {}),
        });
        options.onProgress?.("servers", ++answered, names.length);
        return part;
      }),
    );
    const catalog = {
      tools: parts.flatMap((part) => part.tools),
      servers: Object.assign({}, ...parts.map((part) => part.servers)) as Record<string, CatalogServer>,
    };
    const failed = Object.entries(catalog.servers).filter(([, server]) => server.error !== undefined);
    if (failed.length > 0) {
      const [name, server] = failed[0]!;
      throw new SkillsError("SERVER_START_FAILED", `server "${name}" failed, so no SDK was written: ${server.error}`, {
        server: name,
        failed: failed.map(([failedName, failedServer]) => ({ server: failedName, error: failedServer.error })),
        hint: `fix the server, or leave it out with --servers ${Object.keys(catalog.servers)
          .filter((other) => !catalog.servers[other]!.error)
          .join(",")}`,
      });
    }
    return { tools: catalog.tools, servers: catalog.servers };
  } finally {
    await pool.close();
  }
}

export async function sdk(options: SdkOptions): Promise<SdkResult> {
  const lang = options.lang ?? "both";
  const outDir = resolve(options.cwd, options.out ?? ".");
  const dir = join(outDir, "servers");
  if (!options.check) await assertReplaceable(dir);
  const [{ tools, servers }, runtime] = await Promise.all([loadTools(options), readRuntimeSources()]);
  const files = generateSdk(tools, { lang, runtime });
  const summaries: SdkServerSummary[] = sdkLayout(tools).map((layout) => ({
    server: layout.server,
    folder: layout.folder,
    tools: layout.tools.length,
    ...(servers[layout.server]?.serverInfo ? { version: servers[layout.server]!.serverInfo!.version } : {}),
  }));
  if (options.check) {
    const check = await diffTree(dir, files);
    return {
      ok: check.upToDate,
      lang,
      dir,
      files: files.length,
      tools: tools.length,
      servers: summaries,
      replaced: false,
      check,
    };
  }
  const marker = { generator: "skills sdk", format: SDK_FORMAT_VERSION, lang, servers: summaries };
  const replaced = await writeTree(
    dir,
    [...files, { path: `servers/${SDK_MARKER}`, content: `${JSON.stringify(marker, null, 2)}\n` }],
    options.onProgress && ((done, total) => options.onProgress?.("files", done, total)),
  );
  return { ok: true, lang, dir, files: files.length, tools: tools.length, servers: summaries, replaced };
}
