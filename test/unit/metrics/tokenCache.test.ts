/**
 * Where the run log's token table comes from: the one the build ships, else the project's cache, else built from
 * js-tiktoken's module and cached for the next process. A damaged table at either place is passed over.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeRankTable } from "../../../src/core/metrics/tokenTable.js";
import { loadTiktokenRanks, loadTokenCounter } from "../../../src/core/metrics/tokens.js";
import {
  loadCachedTokenCounter,
  loadShippedTokenCounter,
  persistTokenTable,
  SHIPPED_TABLE,
} from "../../../src/store/runLog/tokenCache.js";

let work: string;
let table: Buffer;
const TEXT = JSON.stringify({ greeting: "hello world" });

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "skills-tokens-"));
  table = encodeRankTable(await loadTiktokenRanks());
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("the token table's sources", () => {
  it("is looked for where the build writes it, under dist/ (from src/ too: the checkout's build)", () => {
    // that the build writes it there, and that a run from dist/ reads it: runLog.test.ts ("ships with the build")
    expect(SHIPPED_TABLE).toBe(join(import.meta.dirname, "..", "..", "..", "dist", "data", "tokens", "o200k_base.skt"));
  });

  it("uses a shipped table and writes nothing to the project's cache", async () => {
    const shipped = join(work, "shipped.skt");
    await writeFile(shipped, table);
    const cacheDir = join(work, "cache-shipped");
    const counter = await loadCachedTokenCounter(cacheDir, shipped);
    expect(counter.count(TEXT)).toBe(7);
    await persistTokenTable(cacheDir);
    await expect(readdir(cacheDir)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("without one, builds the counter, then caches the table for the next process", async () => {
    const cacheDir = join(work, "cache-built");
    const counter = await loadCachedTokenCounter(cacheDir, join(work, "absent.skt"));
    expect(counter.count(TEXT)).toBe(7);
    await persistTokenTable(cacheDir);
    // Buffer.equals, not toEqual: a deep equality walks the table's megabytes byte by byte (seconds).
    const written = await readFile(join(cacheDir, "tokens/o200k_base.skt"));
    expect(written.length).toBe(table.length);
    expect(written.equals(table)).toBe(true);
    await expect(readdir(join(cacheDir, "tokens"))).resolves.toEqual(["o200k_base.skt"]);
  });

  it("caches the same table for a second project of the same process", async () => {
    const first = join(work, "cache-first");
    const second = join(work, "cache-second");
    for (const cacheDir of [first, second]) {
      const counter = await loadCachedTokenCounter(cacheDir, join(work, "absent.skt"));
      expect(counter.count(TEXT)).toBe(7);
      await persistTokenTable(cacheDir);
    }
    for (const cacheDir of [first, second]) {
      const written = await readFile(join(cacheDir, "tokens/o200k_base.skt"));
      expect(written.equals(table)).toBe(true);
      await expect(readdir(join(cacheDir, "tokens"))).resolves.toEqual(["o200k_base.skt"]);
    }
  });

  it("passes over a damaged shipped table for a whole cached one", async () => {
    const damaged = join(work, "damaged.skt");
    await writeFile(damaged, table.subarray(0, 1000));
    const cacheDir = join(work, "cache-whole");
    await mkdir(join(cacheDir, "tokens"), { recursive: true });
    await writeFile(join(cacheDir, "tokens/o200k_base.skt"), table);
    const counter = await loadCachedTokenCounter(cacheDir, damaged);
    expect(counter.count(TEXT)).toBe(7);
    // It did not have to build one, so it writes none.
    await writeFile(join(cacheDir, "tokens/o200k_base.skt"), "sentinel");
    await persistTokenTable(cacheDir);
    expect(await readFile(join(cacheDir, "tokens/o200k_base.skt"), "utf8")).toBe("sentinel");
  });
});

describe("the counter outside the run log (skills tools --stats)", () => {
  it("comes from the shipped table, once per process, and counts as the map does", async () => {
    const shipped = join(work, "shipped-for-stats.skt");
    await writeFile(shipped, table);
    const counter = await loadShippedTokenCounter(shipped);
    expect(counter).not.toBe(await loadTokenCounter());
    expect(await loadShippedTokenCounter(shipped)).toBe(counter);
    const text = JSON.stringify({ tools: [{ name: "read_text_file", description: "Read a file's text, naïvely" }] });
    expect(counter.count(text)).toBe((await loadTokenCounter()).count(text));
    expect(counter.count(TEXT)).toBe(7);
  });

  it("without a whole shipped table (a damaged install), is js-tiktoken's map", async () => {
    const damaged = join(work, "damaged-for-stats.skt");
    await writeFile(damaged, table.subarray(0, 1000));
    expect(await loadShippedTokenCounter(damaged)).toBe(await loadTokenCounter());
    expect(await loadShippedTokenCounter(join(work, "absent-for-stats.skt"))).toBe(await loadTokenCounter());
  });
});
