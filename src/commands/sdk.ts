/**
 * `skills sdk`: generates the typed SDK tree `<out>/servers/` from the catalog of the configured MCP servers.
 *
 * The tree is written to a temp folder next to it and swapped in, so a failed run leaves the old tree as it was.
 * A folder `servers/` that the toolkit did not generate (no `.skills-sdk.json` marker) is never replaced.
 */
import { randomBytes } from "node:crypto";
import { readFile, readdir, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { SDK_FORMAT_VERSION, type SdkLanguage, generateSdk, sdkLayout } from "../core/codegen/index.js";
import { SkillsError } from "../errors.js";
import { type CatalogServer, defaultCacheDir, loadCatalog } from "../mcp/catalog.js";
import { loadMcpConfig } from "../mcp/config.js";
import { createClientPool } from "../mcp/pool.js";
import type { ToolInfo } from "../mcp/types.js";
import { writeFileAtomic } from "../store/atomicWrite.js";

export const SDK_LANGUAGES: readonly SdkLanguage[] = ["ts", "python", "both"];
/** Marks a folder as generated (and so replaceable) by `skills sdk`. */
export const SDK_MARKER = ".skills-sdk.json";

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
  ok: true;
  lang: SdkLanguage;
  /** Absolute path of the generated `servers/` folder. */
  dir: string;
  files: number;
  tools: number;
  servers: SdkServerSummary[];
  /** True when an earlier generated tree was replaced. */
  replaced: boolean;
}

export function parseSdkLanguage(value: string | undefined): SdkLanguage {
  if (value === undefined) return "both";
  if ((SDK_LANGUAGES as readonly string[]).includes(value)) return value as SdkLanguage;
  throw new SkillsError("USAGE", `--lang must be ts, python or both, not "${value}"`, {
    hint: "skills sdk --lang both",
  });
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
          cacheDir: defaultCacheDir(config),
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
  await assertReplaceable(dir);
  const [{ tools, servers }, runtime] = await Promise.all([loadTools(options), readRuntimeSources()]);
  const files = generateSdk(tools, { lang, runtime });
  const summaries: SdkServerSummary[] = sdkLayout(tools).map((layout) => ({
    server: layout.server,
    folder: layout.folder,
    tools: layout.tools.length,
    ...(servers[layout.server]?.serverInfo ? { version: servers[layout.server]!.serverInfo!.version } : {}),
  }));
  const marker = { generator: "skills sdk", format: SDK_FORMAT_VERSION, lang, servers: summaries };
  const replaced = await writeTree(
    dir,
    [...files, { path: `servers/${SDK_MARKER}`, content: `${JSON.stringify(marker, null, 2)}\n` }],
    options.onProgress && ((done, total) => options.onProgress?.("files", done, total)),
  );
  return { ok: true, lang, dir, files: files.length, tools: tools.length, servers: summaries, replaced };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Refuses to replace a folder the toolkit did not generate (unless it is empty). */
async function assertReplaceable(dir: string): Promise<void> {
  let entries: string[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) {
      throw new SkillsError("OUTPUT_EXISTS", `${dir} exists and is not a folder`, {
        file: dir,
        hint: "choose another --out folder",
      });
    }
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if (entries.length > 0 && !entries.includes(SDK_MARKER)) {
    throw new SkillsError("OUTPUT_EXISTS", `${dir} exists and was not generated by skills sdk; not replacing it`, {
      file: dir,
      hint: "choose another --out folder, or move that folder away",
    });
  }
}

/**
 * Writes `files` (paths starting with `servers/`) into a temp folder next to `dir`, then swaps it in. Returns
 * whether an old tree was replaced. On any failure the temp folder is removed and the old tree is restored.
 */
export async function writeTree(
  dir: string,
  files: { path: string; content: string }[],
  onProgress?: (done: number, total: number) => void,
): Promise<boolean> {
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const staging = `${dir}.tmp-${suffix}`;
  const backup = `${dir}.old-${suffix}`;
  try {
    for (const [index, file] of files.entries()) {
      await writeFileAtomic(join(staging, file.path.replace(/^servers\//, "")), file.content);
      onProgress?.(index + 1, files.length);
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new SkillsError("OUTPUT_WRITE_FAILED", `cannot write the SDK: ${(error as Error).message}`, {
      file: dir,
      hint: "check that the --out folder is writable",
    });
  }
  const replaced = await exists(dir);
  if (replaced) await rename(dir, backup);
  try {
    await rename(staging, dir);
  } catch (error) {
    if (replaced) await rename(backup, dir);
    await rm(staging, { recursive: true, force: true });
    throw new SkillsError("OUTPUT_WRITE_FAILED", `cannot move the SDK into place: ${(error as Error).message}`, {
      file: dir,
    });
  }
  if (replaced) await rm(backup, { recursive: true, force: true });
  return replaced;
}
