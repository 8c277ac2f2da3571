/**
 * The client pool and catalog against real MCP servers over stdio: the three servers of the repo's .mcp.json and
 * the fixture servers in test/fixtures/servers (one exits at once, one never answers, one sends a malformed tool
 * list, one changes its tool list and starts a helper process).
 */
import { spawn } from "node:child_process";
import { build } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SkillsError } from "../../src/errors.js";
import { loadCatalog } from "../../src/mcp/catalog.js";
import { type McpConfig, loadMcpConfig } from "../../src/mcp/config.js";
import { type ClientPool, createClientPool } from "../../src/mcp/pool.js";
import { liveProcessGroups } from "../../src/mcp/pool/processRegistry.js";
import { fixtureServer } from "../helpers/testServers.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const FIXTURES = join(ROOT, "test/fixtures/servers");
const NODE = process.execPath;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitDead(pids: number[], ms = 5000): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (pids.every((pid) => !alive(pid))) return [];
    await new Promise((r) => setTimeout(r, 25));
  }
  return pids.filter(alive);
}

async function caught(promise: Promise<unknown>): Promise<SkillsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SkillsError) return error;
    throw error;
  }
  throw new Error("expected a SkillsError");
}

/** The child that holds a pool, bundled from src so that the test does not depend on dist/. It lives one folder
 * below the repo root (in the git-ignored .skills/) so that the toolkit's ../package.json lookup and the bare
 * package imports resolve as they do from dist/. */
let bundled: Promise<string> | undefined;
function bundledPoolInChild(): Promise<string> {
  bundled ??= (async () => {
    const outfile = join(ROOT, ".skills", `poolInChild-${process.pid}.mjs`);
    await build({
      entryPoints: [join(FIXTURES, "poolInChild.mjs")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      logLevel: "silent",
    });
    return outfile;
  })();
  return bundled;
}

const fixture = (file: string) => ({ command: NODE, args: [fixtureServer(file)] });

let tmp: string;
const pools: ClientPool[] = [];

async function fixtureConfig(servers: Record<string, unknown>): Promise<McpConfig> {
  const dir = await mkdtemp(join(tmp, "cfg-"));
  await writeFile(join(dir, ".mcp.json"), JSON.stringify({ mcpServers: servers }, null, 2));
  return loadMcpConfig({ cwd: dir });
}

function pool(config: McpConfig, options: Parameters<typeof createClientPool>[1] = {}): ClientPool {
  const created = createClientPool(config, { closeGraceMs: 300, ...options });
  pools.push(created);
  return created;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "skills-mcp-"));
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  if (bundled) await rm(await bundled, { force: true });
});

const EXPECTED = {
  filesystem: [
    "create_directory",
    "directory_tree",
    "edit_file",
    "get_file_info",
    "list_allowed_directories",
    "list_directory",
    "list_directory_with_sizes",
    "move_file",
    "read_file",
    "read_media_file",
    "read_multiple_files",
    "read_text_file",
    "search_files",
    "write_file",
  ],
  memory: [
    "add_observations",
    "create_entities",
    "create_relations",
    "delete_entities",
    "delete_observations",
    "delete_relations",
    "open_nodes",
    "read_graph",
    "search_nodes",
  ],
  everything: [
    "echo",
    "get-env",
    "get-structured-content",
    "get-sum",
    "get-tiny-image",
    "trigger-long-running-operation",
  ],
};

describe("the repo's .mcp.json with the three real servers", () => {
  it("is found from a subfolder and lists every tool of every server with its schema", async () => {
    const config = await loadMcpConfig({ cwd: join(ROOT, "src", "mcp") });
    expect(config.file).toBe(join(ROOT, ".mcp.json"));
    expect(Object.keys(config.servers)).toEqual(["filesystem", "memory", "everything"]);
    const cacheDir = await mkdtemp(join(tmp, "cache-"));
    const p = pool(config);
    expect(p.startedServers()).toEqual([]);
    const catalog = await loadCatalog({ pool: p, config, cacheDir });
    expect(Object.keys(catalog.servers).sort()).toEqual(["everything", "filesystem", "memory"]);
    for (const [server, names] of Object.entries(EXPECTED)) {
      expect(catalog.servers[server]!.error).toBeUndefined();
      expect(catalog.servers[server]!.cached).toBe(false);
      const tools = catalog.tools.filter((tool) => tool.server === server);
      const found = tools.map((tool) => tool.name);
      for (const name of names) expect(found).toContain(name);
      if (server !== "everything") expect([...found].sort()).toEqual(names);
      for (const tool of tools) {
        expect(tool.inputSchema.type).toBe("object");
        expect(tool.serverInfo.version).toMatch(/^\d+\.\d+\.\d+/);
        expect(typeof tool.description).toBe("string");
      }
    }
    expect(catalog.servers.filesystem!.serverInfo!.name).toBe("secure-filesystem-server");
    expect(catalog.servers.memory!.serverInfo!.name).toBe("memory-server");
    const readText = catalog.tools.find((tool) => tool.server === "filesystem" && tool.name === "read_text_file")!;
    expect(Object.keys(readText.inputSchema.properties as object)).toEqual(["path", "tail", "head"]);
    expect(readText.outputSchema).toBeDefined();
    expect(readText.annotations).toMatchObject({ readOnlyHint: true });

    // The servers answer calls: the filesystem server is scoped to the repo folder.
    const read = await p.callTool("filesystem", "read_text_file", { path: join(ROOT, "package.json") });
    expect(JSON.stringify(read.content)).toContain('\\"name\\": \\"skillsmith\\"');
    const outside = await p.callTool("filesystem", "read_text_file", { path: "/etc/hostname" });
    expect(outside.isError).toBe(true);
    const sum = await p.callTool("everything", "get-sum", { a: 2, b: 40 });
    expect(JSON.stringify(sum.content)).toContain("42");
    const graph = await p.callTool("memory", "read_graph", {});
    expect(graph.isError).toBeFalsy();

    const pids = Object.values(p.processIds());
    expect(pids).toHaveLength(3);
    await p.close();
    expect(await waitDead(pids)).toEqual([]);
    expect(liveProcessGroups()).toEqual([]);

    // The second time the catalog comes from the cache: no server starts.
    const again = pool(config);
    const cached = await loadCatalog({ pool: again, config, cacheDir });
    expect(again.startedServers()).toEqual([]);
    expect(cached.tools).toEqual(catalog.tools);
    expect(Object.values(cached.servers).every((server) => server.cached)).toBe(true);
    expect(existsSync(cached.servers.filesystem!.cacheFile!)).toBe(true);
  });
});

describe("servers that fail", () => {
  it("reports a server that exits at once with its name, command, exit code and stderr; the others keep working", async () => {
    const config = await fixtureConfig({ broken: fixture("exitAtOnce.mjs"), dynamic: fixture("dynamicTools.mjs") });
    const p = pool(config);
    const error = await caught(p.connect("broken"));
    expect(error.code).toBe("SERVER_START_FAILED");
    expect(error.message).toContain('server "broken" failed to start');
    expect(error.message).toContain("exitAtOnce.mjs");
    expect(error.message).toContain("exited with code 3");
    expect(error.message).toContain("fatal: FIXTURE_API_KEY is not set");
    expect(error.data.stderr).toEqual(["starting fixture server", "fatal: FIXTURE_API_KEY is not set"]);
    expect(error.data.hint).toContain("run `");

    const catalog = await loadCatalog({ pool: p, config, cacheDir: join(tmp, "cache-broken") });
    expect(catalog.servers.broken!.error).toContain("exited with code 3");
    expect(catalog.servers.broken!.errorCode).toBe("SERVER_START_FAILED");
    expect(catalog.servers.dynamic!.error).toBeUndefined();
    expect(catalog.tools.map((tool) => tool.name).sort()).toEqual(["add_tool", "child_pid", "slow"]);
  });

  it("hands stderr to a callback when asked", async () => {
    const config = await fixtureConfig({ broken: fixture("exitAtOnce.mjs") });
    const chunks: string[] = [];
    const p = pool(config, { stderr: (server, text) => chunks.push(`${server}:${text}`) });
    await caught(p.connect("broken"));
    expect(chunks.join("")).toContain("broken:starting fixture server");
  });

  it("gives up on a server that never answers after the connect timeout and kills it, even if it ignores SIGTERM", async () => {
    const config = await fixtureConfig({ silent: fixture("neverAnswers.mjs") });
    const p = pool(config, { connectTimeoutMs: 600 });
    const started = Date.now();
    const error = await caught(p.connect("silent"));
    expect(Date.now() - started).toBeLessThan(4000);
    expect(error.code).toBe("SERVER_START_FAILED");
    expect(error.data.reason).toBe("timeout");
    expect(error.message).toContain("no answer to initialize within 600 ms");
    expect(error.data.hint).toContain('"timeout"');
    const pidLine = (error.data.stderr as string[]).find((line) => line.startsWith("pid "))!;
    const pid = Number(/^pid (\d+)/.exec(pidLine)![1]);
    expect(await waitDead([pid])).toEqual([]);
  });

  it("spawned() settles once a server's process exists, before its handshake; at once when none is starting", async () => {
    const config = await fixtureConfig({
      silent: fixture("neverAnswers.mjs"),
      other: fixture("neverAnswers.mjs"),
      missing: { command: "/nonexistent/mcp-server" },
    });
    const p = pool(config, { connectTimeoutMs: 30_000 });
    await p.spawned("silent");
    await p.spawned();
    expect(p.processIds()).toEqual({});
    const connecting = [caught(p.connect("silent"))];
    await p.spawned("silent");
    expect(Object.keys(p.processIds())).toEqual(["silent"]);
    // without a name: every server being started
    connecting.push(caught(p.connect("other")));
    await p.spawned();
    expect(Object.keys(p.processIds()).sort()).toEqual(["other", "silent"]);
    // a start that fails settles it too
    const failing = caught(p.connect("missing"));
    await p.spawned("missing");
    expect((await failing).code).toBe("SERVER_START_FAILED");
    await p.close();
    for (const started of connecting) expect((await started).code).toBe("SERVER_START_FAILED");
  });

  it("close() does not wait for a server that is still in its handshake", async () => {
    const config = await fixtureConfig({ silent: fixture("neverAnswers.mjs") });
    const p = createClientPool(config, { connectTimeoutMs: 30_000, closeGraceMs: 200 });
    const connecting = caught(p.connect("silent"));
    for (let i = 0; i < 100 && Object.keys(p.processIds()).length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    const pid = p.processIds().silent!;
    const started = Date.now();
    await p.close();
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await connecting).code).toBe("SERVER_START_FAILED");
    expect(await waitDead([pid])).toEqual([]);
  });

  it("honours a per-server timeout from .mcp.json", async () => {
    const config = await fixtureConfig({ silent: { ...fixture("neverAnswers.mjs"), timeout: 300 } });
    const error = await caught(pool(config).connect("silent"));
    expect(error.message).toContain("within 300 ms");
  });

  it("reports a malformed tools/list as SERVER_PROTOCOL", async () => {
    const config = await fixtureConfig({ malformed: fixture("malformedTools.mjs") });
    const p = pool(config);
    const error = await caught(p.listServerTools("malformed"));
    expect(error.code).toBe("SERVER_PROTOCOL");
    expect(error.message).toContain('server "malformed" sent an invalid answer to tools/list');
    const catalog = await loadCatalog({ pool: p, config, cacheDir: join(tmp, "cache-malformed") });
    expect(catalog.servers.malformed!.errorCode).toBe("SERVER_PROTOCOL");
    expect(catalog.tools).toEqual([]);
  });

  it("reports a command that does not exist", async () => {
    const config = await fixtureConfig({ missing: { command: "./no/such/server" } });
    const error = await caught(pool(config).connect("missing"));
    expect(error.code).toBe("SERVER_START_FAILED");
    expect(error.message).toContain("command not found");
    expect(error.message).toContain("no/such/server");
  });

  it("rejects an unknown server name with the configured ones as hint", async () => {
    const config = await fixtureConfig({ dynamic: fixture("dynamicTools.mjs") });
    const error = await caught(pool(config).connect("nope"));
    expect(error.code).toBe("SERVER_NOT_FOUND");
    expect(error.data.hint).toContain("dynamic");
    expect(() => createClientPool(config, { servers: ["nope"] })).toThrow(/no server "nope"/);
  });

  it("times out a slow call with SERVER_TIMEOUT and keeps the server usable", async () => {
    const config = await fixtureConfig({ dynamic: fixture("dynamicTools.mjs") });
    const p = pool(config, { callTimeoutMs: 300 });
    const error = await caught(p.callTool("dynamic", "slow", { ms: 3000 }));
    expect(error.code).toBe("SERVER_TIMEOUT");
    const fast = await p.callTool("dynamic", "slow", { ms: 1 });
    expect(fast.content).toEqual([{ type: "text", text: "done" }]);
  });

  it("starts a server again after it died", async () => {
    const config = await fixtureConfig({ dynamic: fixture("dynamicTools.mjs") });
    const p = pool(config);
    await p.connect("dynamic");
    const first = p.processIds().dynamic!;
    process.kill(first, "SIGKILL");
    expect(await waitDead([first])).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    const result = await p.callTool("dynamic", "slow", { ms: 1 });
    expect(result.content).toEqual([{ type: "text", text: "done" }]);
    expect(p.processIds().dynamic).not.toBe(first);
  });
});

describe("no orphaned processes", () => {
  it("close() ends the server and the processes it started, and removes its signal handlers", async () => {
    const baseline = ["SIGINT", "SIGTERM", "SIGHUP", "exit"].map((event) => process.listenerCount(event));
    const config = await fixtureConfig({ dynamic: fixture("dynamicTools.mjs") });
    const p = pool(config);
    const result = await p.callTool("dynamic", "child_pid", {});
    const grandchild = Number((result.content[0] as { text: string }).text);
    const server = p.processIds().dynamic!;
    expect(alive(grandchild)).toBe(true);
    expect(process.listenerCount("SIGINT")).toBe(baseline[0]! + 1);
    await p.close();
    expect(await waitDead([server, grandchild])).toEqual([]);
    expect(liveProcessGroups()).toEqual([]);
    expect(["SIGINT", "SIGTERM", "SIGHUP", "exit"].map((event) => process.listenerCount(event))).toEqual(baseline);
  });

  for (const [signal, stubborn] of [
    ["SIGINT", false],
    ["SIGTERM", false],
    ["SIGINT", true],
    ["SIGHUP", true],
  ] as const) {
    it(`ends every server when our process gets ${signal}${stubborn ? ", one that ignores SIGTERM too" : ""}`, async () => {
      const server = { ...fixture("dynamicTools.mjs"), ...(stubborn ? { env: { IGNORE_SIGTERM: "1" } } : {}) };
      const config = await fixtureConfig({ dynamic: server });
      const child = spawn(NODE, [await bundledPoolInChild(), JSON.stringify(config)], {
        cwd: config.dir,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const pids = await new Promise<number[]>((resolvePids, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("\n")) resolvePids(JSON.parse(out.split("\n")[0]!) as number[]);
        });
        let err = "";
        child.stderr.on("data", (chunk: Buffer) => {
          err += chunk.toString();
        });
        child.once("exit", (code) => reject(new Error(`child exited early with ${code}: ${err}`)));
      });
      expect(pids).toHaveLength(2);
      expect(pids.every(alive)).toBe(true);
      const exited = new Promise<NodeJS.Signals | null>((r) => child.once("exit", (_code, sig) => r(sig)));
      const signalled = Date.now();
      child.kill(signal);
      expect(await exited).toBe(signal);
      // A server that ignores SIGTERM gets half a second, then SIGKILL: we still die of the signal, soon.
      expect(Date.now() - signalled).toBeLessThan(stubborn ? 3000 : 2000);
      expect(await waitDead(pids)).toEqual([]);
    });
  }
});

describe("tools/list_changed", () => {
  it("tells listeners and re-caches the server's new tool list", async () => {
    const config = await fixtureConfig({ dynamic: fixture("dynamicTools.mjs") });
    const cacheDir = join(tmp, "cache-dynamic");
    const p = pool(config);
    const catalog = await loadCatalog({ pool: p, config, cacheDir });
    const cacheFile = catalog.servers.dynamic!.cacheFile!;
    expect(existsSync(cacheFile)).toBe(true);
    const cachedNames = (): string[] =>
      (JSON.parse(readFileSync(cacheFile, "utf8")) as { tools: { name: string }[] }).tools.map((tool) => tool.name);
    expect(cachedNames()).not.toContain("brand_new");
    const changed = new Promise<string>((r) => p.onToolsChanged(r));
    await p.callTool("dynamic", "add_tool", { name: "brand_new" });
    expect(await changed).toBe("dynamic");
    for (let i = 0; i < 40 && !cachedNames().includes("brand_new"); i++) await new Promise((r) => setTimeout(r, 25));
    expect(cachedNames()).toContain("brand_new");
    const fresh = await loadCatalog({ pool: p, config, cacheDir });
    expect(fresh.servers.dynamic!.cached).toBe(true);
    expect(fresh.tools.map((tool) => tool.name)).toContain("brand_new");
  });
});
