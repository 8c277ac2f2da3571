/**
 * The token counter for the run log, from the binary rank table cached under the project's cache folder
 * (`<cacheDir>/tokens/o200k_base.skt`) when it is there and whole; else from js-tiktoken's module, after which
 * `persistTokenTable` writes the table for the next process (once per project, about half a second).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeRankTable, encodeRankTable } from "../../core/metrics/tokenTable.js";
import { createCounter, loadTiktokenRanks, loadTokenCounter, type TokenCounter } from "../../core/metrics/tokens.js";

const FILE = join("tokens", "o200k_base.skt");

const cached = new Map<string, Promise<TokenCounter>>();
const missing = new Set<string>();

export function loadCachedTokenCounter(cacheDir: string): Promise<TokenCounter> {
  let counter = cached.get(cacheDir);
  if (!counter) {
    counter = Promise.resolve().then(() => {
      const decoded = readTable(join(cacheDir, FILE));
      if (decoded) return createCounter(decoded.table, decoded.pattern);
      missing.add(cacheDir);
      return loadTokenCounter();
    });
    cached.set(cacheDir, counter);
  }
  return counter;
}

/** Writes the binary table if this process had to build its counter the slow way; errors are ignored (a cache). */
export async function persistTokenTable(cacheDir: string): Promise<void> {
  if (!missing.delete(cacheDir)) return;
  const path = join(cacheDir, FILE);
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const table = encodeRankTable(await loadTiktokenRanks());
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
