import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SkillsError } from "../../../src/errors.js";
import {
  type Catalog,
  defaultCacheDir,
  findTool,
  invalidateCatalog,
  loadCatalog,
  watchCachedVersions,
} from "../../../src/mcp/catalog.js";
import { type ClientPool, createClientPool } from "../../../src/mcp/pool.js";
import { type FakeServer, greeter, inMemoryWorld, restless } from "./inMemory.js";

let root: string;
let cacheDir: string;
const pools: ClientPool[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "skills-catalog-"));
  cacheDir = join(root, ".skills", "cache");
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
  await rm(root, { recursive: true, force: true });
});

function world(fakes: Record<string, FakeServer>) {
  const w = inMemoryWorld(fakes, root);
  const newPool = (servers?: string[]) => {
    const pool = createClientPool(w.config, { createTransport: w.createTransport, ...(servers ? { servers } : {}) });
    pools.push(pool);
    return pool;
  };
  return { ...w, newPool };
}

describe("loadCatalog", () => {
  it("returns every server's tools and writes one cache file per server, its tools' validators beside it", async () => {
    const w = world({ a: greeter("1.0.0"), b: greeter("2.0.0") });
    const catalog = await loadCatalog({ pool: w.newPool(), config: w.config, cacheDir });
    expect(catalog.tools).toHaveLength(8);
    expect(catalog.servers.a).toMatchObject({
      serverInfo: { name: "a-server", version: "1.0.0" },
      cached: false,
      toolCount: 4,
    });
    expect(defaultCacheDir(w.config)).toBe(cacheDir);
    const files = (await readdir(cacheDir)).sort();
    expect(files).toHaveLength(4);
    for (const file of files) expect(file).toMatch(/^catalog-[0-9a-f]{16}\.(json|validators\.cjs)$/);
    expect(
      files.filter((file) => file.endsWith(".json")).map((file) => file.replace(".json", ".validators.cjs")),
    ).toEqual(files.filter((file) => file.endsWith(".cjs")));
    const entry = JSON.parse(await readFile(catalog.servers.b!.cacheFile!, "utf8"));
    expect(entry).toMatchObject({
      format: 2,
      server: "b",
      serverInfo: { version: "2.0.0" },
      protocolVersion: LATEST_PROTOCOL_VERSION,
    });
    expect(entry.tools).toHaveLength(4);
  });

  it("serves the cache without starting any server, until --refresh", async () => {
    const w = world({ a: greeter(), b: greeter() });
    const first = await loadCatalog({ pool: w.newPool(), config: w.config, cacheDir });
    const pool = w.newPool();
    const second = await loadCatalog({ pool, config: w.config, cacheDir });
    expect(pool.startedServers()).toEqual([]);
    expect(second.tools).toEqual(first.tools);
    expect(second.servers.a!.cached).toBe(true);
    const refreshed = await loadCatalog({ pool, config: w.config, cacheDir, refresh: true });
    expect(refreshed.servers.a!.cached).toBe(false);
    expect(pool.startedServers().sort()).toEqual(["a", "b"]);
  });

  it("is keyed by the server's config: a changed command misses the cache", async () => {
    const w = world({ a: greeter() });
    await loadCatalog({ pool: w.newPool(), config: w.config, cacheDir });
    const changed = { ...w.config, servers: { a: { ...w.config.servers.a!, args: ["--new-flag"] } } };
    const pool = createClientPool(changed, { createTransport: w.createTransport });
    pools.push(pool);
    const catalog = await loadCatalog({ pool, config: changed, cacheDir });
    expect(catalog.servers.a!.cached).toBe(false);
    expect((await readdir(cacheDir)).filter((file) => file.endsWith(".json"))).toHaveLength(2);
  });

  it("refetches when a running server reports another version than the cache", async () => {
    const fakes = { a: greeter("1.0.0") };
    const w = world(fakes);
    await loadCatalog({ pool: w.newPool(), config: w.config, cacheDir });
    fakes.a = greeter("1.1.0");
    const pool = w.newPool();
    await pool.connect("a");
    const catalog = await loadCatalog({ pool, config: w.config, cacheDir });
    expect(catalog.servers.a).toMatchObject({ cached: false, serverInfo: { version: "1.1.0" } });
    expect(catalog.tools[0]!.serverInfo.version).toBe("1.1.0");
  });

  it("a run that started its server early uses the cache at once; another version drops it for next time", async () => {
    const fakes = { a: greeter("1.0.0") };
    const w = world(fakes);
    const first = await loadCatalog({ pool: w.newPool(), config: w.config, cacheDir });
    const file = first.servers.a!.cacheFile!;
    fakes.a = greeter("1.1.0");
    const pool = w.newPool();
    pool.prestart(["a"]);
    const catalog = await loadCatalog({ pool, config: w.config, cacheDir, checkRunning: false });
    expect(catalog.servers.a).toMatchObject({ cached: true, serverInfo: { version: "1.0.0" } });
    const stale: string[] = [];
    watchCachedVersions({ pool, config: w.config, cacheDir, catalog, servers: ["a"], onStale: (m) => stale.push(m) });
    for (let i = 0; i < 100 && (stale.length === 0 || existsSync(file)); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(stale).toEqual([
      "a: the server is now version 1.1.0, its cached tool list was for 1.0.0; this run used the cached schemas, the next one lists the tools again",
    ]);
    expect(existsSync(file)).toBe(false);
    // the same version says nothing and keeps the cache
    const again = await loadCatalog({ pool: w.newPool(), config: w.config, cacheDir });
    const quiet: string[] = [];
    const next = w.newPool();
    next.prestart(["a"]);
    const cached = await loadCatalog({ pool: next, config: w.config, cacheDir, checkRunning: false });
    watchCachedVersions({
      pool: next,
      config: w.config,
      cacheDir,
      catalog: cached,
      servers: ["a"],
      onStale: (m) => quiet.push(m),
    });
    await next.serverInfo("a");
    await new Promise((r) => setTimeout(r, 50));
    expect(quiet).toEqual([]);
    expect(existsSync(again.servers.a!.cacheFile!)).toBe(true);
  });

  it("ignores a broken cache file and rewrites it", async () => {
    const w = world({ a: greeter() });
    const first = await loadCatalog({ pool: w.newPool(), config: w.config, cacheDir });
    const file = first.servers.a!.cacheFile!;
    await writeFile(file, "{ not json");
    const second = await loadCatalog({ pool: w.newPool(), config: w.config, cacheDir });
    expect(second.servers.a!.cached).toBe(false);
    expect(JSON.parse(await readFile(file, "utf8")).tools).toHaveLength(4);
  });

  it("caches a list fetched after a tools/list_changed that came before the answer", async () => {
    const w = world({ r: restless("before") });
    const pool = w.newPool();
    const catalog = await loadCatalog({ pool, config: w.config, cacheDir });
    expect(catalog.tools.map((tool) => tool.name)).toEqual(["moving_target"]);
    // The notification also starts a re-fetch in the background, and it may be seen after the answer (the first list
    // is then not cached, as it might be stale): close() waits for the re-fetch, whose list is cached either way.
    await pool.close();
    const files = (await readdir(cacheDir)).filter((name) => /^catalog-.*\.json$/.test(name));
    expect(files).toHaveLength(1);
    const cached = JSON.parse(await readFile(join(cacheDir, files[0]!), "utf8"));
    expect(cached.tools.map((tool: { name: string }) => tool.name)).toEqual(["moving_target"]);
  });

  it("drops a cached list when tools/list_changed comes right after the answer", async () => {
    const w = world({ r: restless("after") });
    const pool = w.newPool();
    let notified = 0;
    pool.onToolsChanged(() => {
      notified += 1;
    });
    const catalog = await loadCatalog({ pool, config: w.config, cacheDir });
    expect(catalog.tools.map((tool) => tool.name)).toEqual(["moving_target"]);
    const files = async () => (existsSync(cacheDir) ? await readdir(cacheDir) : []);
    // The notification comes 5 ms after each answer and each re-fetch brings another: the entry goes at the change
    // after MAX_REFRESHES (3) re-fetches, the 4th. Under load that takes a while: wait for it, bounded; close() then
    // waits for the pool's work (the removal it started), and the folder is judged.
    for (let i = 0; i < 500 && notified < 4; i++) await new Promise((r) => setTimeout(r, 20));
    expect(notified).toBeGreaterThanOrEqual(4);
    await pool.close();
    for (let i = 0; i < 250 && (await files()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await files()).toEqual([]);
  });

  it("drops a cached list when tools/list_changed lands while that list is being written", async () => {
    // The last re-fetch's list is stale as well: it was fetched before the change that came during its write.
    const w = world({ r: restless("at once") });
    const pool = w.newPool();
    await loadCatalog({ pool, config: w.config, cacheDir });
    const files = async () => (existsSync(cacheDir) ? await readdir(cacheDir) : []);
    for (let i = 0; i < 250 && (await files()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    // Writes of the earlier lists may still be in flight when the folder is first empty: close() waits for them.
    await pool.close();
    expect(await files()).toEqual([]);
  });

  it("still answers when the cache cannot be written", async () => {
    const w = world({ a: greeter() });
    const blocked = join(root, "not-a-folder");
    await writeFile(blocked, "a file where the cache folder should be");
    const catalog = await loadCatalog({ pool: w.newPool(), config: w.config, cacheDir: blocked });
    expect(catalog.tools).toHaveLength(4);
    expect(catalog.servers.a).toMatchObject({ cached: false, toolCount: 4 });
    expect(catalog.servers.a!.cacheFile).toBeUndefined();
  });

  it("reports a server that fails in servers[name].error and still returns the others' tools", async () => {
    const w = world({ a: greeter(), b: { ...greeter(), fail: "boom" } });
    const catalog = await loadCatalog({ pool: w.newPool(), config: w.config, cacheDir });
    expect(catalog.servers.b).toMatchObject({ errorCode: "SERVER_START_FAILED", toolCount: 0 });
    expect(catalog.servers.b!.error).toContain("boom");
    expect(catalog.tools.every((tool) => tool.server === "a")).toBe(true);
    expect(catalog.tools).toHaveLength(4);
  });

  it("loads only the servers asked for, and rejects unknown ones", async () => {
    const w = world({ a: greeter(), b: greeter() });
    const pool = w.newPool();
    const catalog = await loadCatalog({ pool, config: w.config, cacheDir, servers: ["b"] });
    expect(Object.keys(catalog.servers)).toEqual(["b"]);
    expect(pool.startedServers()).toEqual(["b"]);
    const error = await loadCatalog({ pool, config: w.config, cacheDir, servers: ["c"] }).catch((e: unknown) => e);
    expect((error as SkillsError).code).toBe("SERVER_NOT_FOUND");
  });

  it("re-fetches and caches the new list when a server sends tools/list_changed; invalidateCatalog drops it", async () => {
    const w = world({ a: greeter() });
    const pool = w.newPool();
    const catalog = await loadCatalog({ pool, config: w.config, cacheDir });
    const file = catalog.servers.a!.cacheFile!;
    const cachedNames = async (): Promise<string[]> =>
      (JSON.parse(await readFile(file, "utf8")) as { tools: { name: string }[] }).tools.map((tool) => tool.name);
    expect(await cachedNames()).not.toContain("extra");
    await pool.callTool("a", "add_tool", { name: "extra" });
    for (let i = 0; i < 100 && !(await cachedNames()).includes("extra"); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(await cachedNames()).toContain("extra");
    const again = await loadCatalog({ pool, config: w.config, cacheDir });
    expect(again.servers.a!.cached).toBe(true);
    expect(again.tools.map((tool) => tool.name)).toContain("extra");
    await invalidateCatalog(w.config, cacheDir, "a");
    expect(existsSync(file)).toBe(false);
  });

  it("a notification that lands while the command closes the pool is still cached: close() waits for it", async () => {
    const w = world({ a: greeter() });
    const pool = w.newPool();
    const catalog = await loadCatalog({ pool, config: w.config, cacheDir });
    const file = catalog.servers.a!.cacheFile!;
    await pool.callTool("a", "add_tool", { name: "late" });
    await pool.close();
    const names = (JSON.parse(await readFile(file, "utf8")) as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(names).toContain("late");
  });
});

describe("findTool", () => {
  const tool = (server: string, name: string) => ({
    server,
    name,
    serverInfo: { name: server, version: "1.0.0" },
    inputSchema: { type: "object" },
  });
  const catalog: Catalog = {
    tools: [tool("fs", "read_file"), tool("fs", "write_file"), tool("mem", "read_graph"), tool("other", "read_graph")],
    servers: {
      fs: { toolCount: 2 },
      mem: { toolCount: 1 },
      other: { toolCount: 1 },
      down: { toolCount: 0, error: "exited\nmore" },
    },
  };
  const fail = (key: string) => {
    try {
      findTool(catalog, key);
    } catch (error) {
      return error as SkillsError;
    }
    throw new Error("expected an error");
  };

  it("finds server/tool and a bare name that only one server has", () => {
    expect(findTool(catalog, "fs/read_file").name).toBe("read_file");
    expect(findTool(catalog, "write_file").server).toBe("fs");
  });
  it("says when a bare name is ambiguous", () => {
    const error = fail("read_graph");
    expect(error.code).toBe("TOOL_NOT_FOUND");
    expect(error.message).toContain("mem/read_graph, other/read_graph");
    expect(error.data.hint).toContain("<server>/<tool>");
  });
  it("suggests close names for a typo", () => {
    const error = fail("fs/raed_file");
    expect(error.code).toBe("TOOL_NOT_FOUND");
    expect(error.data.hint).toBe("did you mean fs/read_file?");
  });
  it("points to list and search when nothing is close", () => {
    expect(fail("fs/zzzzzzzzzz").data.hint).toContain("skills tools list");
  });
  it("names an unknown server, and a server that failed", () => {
    expect(fail("nope/read_file").code).toBe("SERVER_NOT_FOUND");
    expect(fail("down/read_file").message).toContain('server "down" failed: exited');
  });
});
