/**
 * The token counter for the run log, from a binary rank table: the one the build ships
 * (`dist/data/tokens/o200k_base.skt`, scripts/buildTokenTable.mjs), else the one cached under the project's cache
 * folder (`<cacheDir>/tokens/o200k_base.skt`) when it is there and whole; else from js-tiktoken's module, after which
 * `persistTokenTable` writes the table for the next process (about a second to encode, once per process; another
 * project's folder then costs a write). Only a damaged install, or a checkout run from its sources before its first
 * build (the tests' runs use the build's table), takes the slow way.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeRankTable, encodeRankTable } from "../../core/metrics/tokenTable.js";
import { createCounter, loadTiktokenRanks, loadTokenCounter, type TokenCounter } from "../../core/metrics/tokens.js";

const FILE = join("tokens", "o200k_base.skt");
/**
 * Where the build puts the table: the package's dist/data, seen from this module's place two folders down, under
 * dist/ (and under src/, where a checkout runs from its sources: the same file, once built).
 */
export const SHIPPED_TABLE = fileURLToPath(new URL("../../../dist/data/tokens/o200k_base.skt", import.meta.url));

const cached = new Map<string, Promise<TokenCounter>>();
const missing = new Set<string>();
/** The binary table this process encoded, for every cache folder it writes one to (a second folder costs a write). */
let encoded: Promise<Buffer> | undefined;

export function loadCachedTokenCounter(cacheDir: string, shipped = SHIPPED_TABLE): Promise<TokenCounter> {
  return counterFrom(shipped, cacheDir);
}

/**
 * The counter from the table the build ships, for counts outside the run log (`skills tools --stats`): the
 * milliseconds of a read instead of the ~0.3 s of building js-tiktoken's map, which only a damaged install takes.
 */
export function loadShippedTokenCounter(shipped = SHIPPED_TABLE): Promise<TokenCounter> {
  return counterFrom(shipped);
}

/** Once per process for each shipped table and cache folder: the first whole table of the two, else the map. */
function counterFrom(shipped: string, cacheDir?: string): Promise<TokenCounter> {
  const key = cacheDir === undefined ? shipped : `${shipped}\0${cacheDir}`;
  let counter = cached.get(key);
  if (!counter) {
    counter = Promise.resolve().then(() => {
      const decoded = readTable(shipped) ?? (cacheDir === undefined ? undefined : readTable(join(cacheDir, FILE)));
      if (decoded) return createCounter(decoded.table, decoded.pattern);
      if (cacheDir !== undefined) missing.add(cacheDir);
      return loadTokenCounter();
    });
    cached.set(key, counter);
  }
  return counter;
}

/** Writes the binary table if this process had to build its counter the slow way; errors are ignored (a cache). */
export async function persistTokenTable(cacheDir: string): Promise<void> {
  if (!missing.delete(cacheDir)) return;
  const path = join(cacheDir, FILE);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    encoded ??= loadTiktokenRanks().then(encodeRankTable);
    const table = await encoded.catch((error: unknown) => {
      encoded = undefined;
      throw error;
    });
    mkdirSync(join(cacheDir, "tokens"), { recursive: true });
    writeFileSync(temp, table);
    renameSync(temp, path);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
  }
}

function readTable(path: string): ReturnType<typeof decodeRankTable> {
  try {
    return decodeRankTable(readFileSync(path));
  } catch {
    return undefined;
  }
}
