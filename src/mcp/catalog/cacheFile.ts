/** One server's cached tool list: .skills/cache/catalog-<key>.json. */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../store/atomicWrite.js";
import type { ServerInfo, ToolInfo } from "../../contracts/tools.js";

// 2: entries carry the negotiated protocol version (tools.lock.json records it)
const FORMAT = 2;

export interface CatalogCacheEntry {
  format: number;
  server: string;
  key: string;
  serverInfo: ServerInfo;
  protocolVersion: string;
  fetchedAt: string;
  tools: ToolInfo[];
}

export function cacheFilePath(cacheDir: string, key: string): string {
  return join(cacheDir, `catalog-${key}.json`);
}

/** The entry, or undefined when there is none or it is unreadable (a broken cache is refetched, not an error). */
export async function readCacheEntry(
  cacheDir: string,
  key: string,
  server: string,
): Promise<CatalogCacheEntry | undefined> {
  try {
    const entry = JSON.parse(await readFile(cacheFilePath(cacheDir, key), "utf8")) as CatalogCacheEntry;
    if (entry.format !== FORMAT || entry.key !== key || entry.server !== server || !Array.isArray(entry.tools))
      return undefined;
    if (typeof entry.serverInfo?.version !== "string" || typeof entry.protocolVersion !== "string") return undefined;
    return entry;
  } catch {
    return undefined;
  }
}

export async function writeCacheEntry(
  cacheDir: string,
  key: string,
  server: string,
  serverInfo: ServerInfo,
  tools: ToolInfo[],
  protocolVersion: string,
): Promise<void> {
  const entry: CatalogCacheEntry = {
    format: FORMAT,
    server,
    key,
    serverInfo,
    protocolVersion,
    fetchedAt: new Date().toISOString(),
    tools,
  };
  await writeFileAtomic(cacheFilePath(cacheDir, key), `${JSON.stringify(entry, null, 2)}\n`);
}

export async function removeCacheEntry(cacheDir: string, key: string): Promise<void> {
  const file = cacheFilePath(cacheDir, key);
  await rm(file, { force: true });
  // its tools' validators (validators.ts) go with it
  await rm(file.replace(/\.json$/, ".validators.cjs"), { force: true });
}

/** Removes the entry if it was fetched at or before `time` (ms since epoch): what a change notification makes stale.
 * An entry written after the notification describes the changed list and stays. */
export async function removeCacheEntryFetchedBefore(cacheDir: string, key: string, time: number): Promise<void> {
  let fetchedAt: number;
  try {
    const entry = JSON.parse(await readFile(cacheFilePath(cacheDir, key), "utf8")) as Partial<CatalogCacheEntry>;
    fetchedAt = Date.parse(String(entry.fetchedAt));
  } catch {
    fetchedAt = Number.NaN;
  }
  if (Number.isNaN(fetchedAt) || fetchedAt <= time) await removeCacheEntry(cacheDir, key);
}
