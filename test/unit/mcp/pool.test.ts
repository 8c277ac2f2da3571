import { afterEach, describe, expect, it } from "vitest";
import { SkillsError } from "../../../src/errors.js";
import { type ClientPool, createClientPool } from "../../../src/mcp/pool.js";
import { greeter, inMemoryWorld, paged } from "./inMemory.js";

const pools: ClientPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

function setup(options: { fail?: boolean; servers?: string[] } = {}) {
  const world = inMemoryWorld({
    a: greeter("1.2.3"),
    b: options.fail ? { ...greeter(), fail: "spawn exploded" } : greeter("2.0.0"),
  });
  const pool = createClientPool(world.config, {
    createTransport: world.createTransport,
    ...(options.servers ? { servers: options.servers } : {}),
  });
  pools.push(pool);
  return { world, pool };
}

async function caught(promise: Promise<unknown>): Promise<SkillsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SkillsError);
  return error as SkillsError;
}

describe("ClientPool", () => {
  it("starts nothing until a server is used, then only that server, once", async () => {
    const { world, pool } = setup();
    expect(pool.startedServers()).toEqual([]);
    const [first, second] = await Promise.all([pool.connect("a"), pool.connect("a")]);
    expect(first).toBe(second);
    expect(world.starts.get("a")).toBe(1);
    expect(world.starts.get("b")).toBeUndefined();
    expect(pool.startedServers()).toEqual(["a"]);
    expect(await pool.serverInfo("a")).toEqual({ name: "a-server", version: "1.2.3" });
  });

  it("lists tools as ToolInfo with server, serverInfo, title, schemas and annotations", async () => {
    const { pool } = setup();
    const tools = await pool.listTools();
    expect(tools.map((tool) => `${tool.server}/${tool.name}`)).toEqual([
      "a/greet",
      "a/fail",
      "a/typed",
      "a/add_tool",
      "b/greet",
      "b/fail",
      "b/typed",
      "b/add_tool",
    ]);
    const greet = tools[0]!;
    expect(greet).toMatchObject({
      server: "a",
      serverInfo: { name: "a-server", version: "1.2.3" },
      title: "Greet",
      description: "Say hello to someone. Friendly.",
      inputSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
    });
    const typed = tools[2]!;
    expect(typed.outputSchema).toMatchObject({ type: "object", properties: { count: { type: "number" } } });
    expect(typed.annotations).toEqual({ readOnlyHint: true });
  });

  it("calls tools; a tool-level failure is a result with isError, not an exception", async () => {
    const { pool } = setup();
    expect(await pool.callTool("a", "greet", { name: "Ada" })).toMatchObject({
      content: [{ type: "text", text: "hello Ada" }],
    });
    const failed = await pool.callTool("a", "fail", {});
    expect(failed.isError).toBe(true);
    expect(JSON.stringify(failed.content)).toContain("it broke");
  });

  it("passes on a result that breaks the tool's output schema as an error result", async () => {
    const { pool } = setup();
    await pool.listServerTools("a");
    const result = await pool.callTool("a", "typed", {});
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/output/i);
  });

  it("keeps the other servers working when one fails to start, and tries the failed one again on next use", async () => {
    const { world, pool } = setup({ fail: true });
    const error = await caught(pool.connect("b"));
    expect(error.code).toBe("SERVER_START_FAILED");
    expect(error.message).toContain('server "b" failed to start (fake-b): spawn exploded');
    expect(error.data).toMatchObject({ server: "b", command: "fake-b" });
    expect((await pool.listServerTools("a")).length).toBe(4);
    await caught(pool.connect("b"));
    expect(world.starts.get("b")).toBe(2);
    expect(pool.startedServers().sort()).toEqual(["a", "b"]);
  });

  it("rejects servers that are not configured or not selected", async () => {
    const { pool } = setup({ servers: ["a"] });
    expect(pool.serverNames()).toEqual(["a"]);
    const error = await caught(pool.callTool("b", "greet", { name: "x" }));
    expect(error.code).toBe("SERVER_NOT_FOUND");
    expect(error.data.hint).toBe("configured servers: a");
    expect((await caught(pool.connect("zzz"))).code).toBe("SERVER_NOT_FOUND");
  });

  it("tells listeners about notifications/tools/list_changed, and stops when they unsubscribe", async () => {
    const { pool } = setup();
    const seen: string[] = [];
    const stop = pool.onToolsChanged((server) => seen.push(server));
    await pool.callTool("b", "add_tool", { name: "extra" });
    for (let i = 0; i < 20 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual(["b"]);
    expect((await pool.listServerTools("b")).map((tool) => tool.name)).toContain("extra");
    stop();
    await pool.callTool("b", "add_tool", { name: "extra2" });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(["b"]);
  });

  it("follows tools/list pages, and stops a server that sends the same cursor forever", async () => {
    const world = inMemoryWorld({ pages: paged(5), endless: paged(3, true) });
    const pool = createClientPool(world.config, { createTransport: world.createTransport });
    pools.push(pool);
    expect((await pool.listServerTools("pages")).map((tool) => tool.name)).toEqual([
      "tool_0",
      "tool_1",
      "tool_2",
      "tool_3",
      "tool_4",
    ]);
    const error = await caught(pool.listServerTools("endless"));
    expect(error.code).toBe("SERVER_PROTOCOL");
    expect(error.message).toContain("endless pages");
  });

  it("refuses work after close", async () => {
    const { pool } = setup();
    await pool.connect("a");
    await pool.close();
    const error = await caught(pool.connect("a"));
    expect(error.message).toContain("the client pool is closed");
  });
});
