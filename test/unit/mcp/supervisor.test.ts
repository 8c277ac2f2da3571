/** The supervisor keeps servers connected: first start, a crash, a server that keeps failing (backoff), stop. */
import { afterEach, describe, expect, it } from "vitest";
import { type ClientPool, createClientPool } from "../../../src/mcp/pool.js";
import { superviseServers, type Supervisor } from "../../../src/mcp/pool/supervisor.js";
import { greeter, inMemoryWorld } from "./inMemory.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function start(fakes: Parameters<typeof inMemoryWorld>[0], options: Parameters<typeof superviseServers>[2] = {}) {
  const world = inMemoryWorld(fakes);
  const pool: ClientPool = createClientPool(world.config, { createTransport: world.createTransport });
  const events: string[] = [];
  const supervisor: Supervisor = superviseServers(pool, Object.keys(fakes), {
    initialDelayMs: 20,
    maxDelayMs: 80,
    ...options,
    onConnected: (server, restarted) => events.push(`${restarted ? "restarted" : "up"} ${server}`),
    onDown: (server) => events.push(`down ${server}`),
  });
  cleanup.push(
    () => pool.close(),
    () => supervisor.stop(),
  );
  return { world, pool, supervisor, events };
}

const until = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe("superviseServers", () => {
  it("connects every server at once", async () => {
    const { supervisor, world, events } = start({ a: greeter(), b: greeter() });
    await supervisor.ready;
    expect(supervisor.health().map((s) => [s.name, s.state, s.restarts])).toEqual([
      ["a", "up", 0],
      ["b", "up", 0],
    ]);
    expect([...world.starts.values()]).toEqual([1, 1]);
    expect(events.sort()).toEqual(["up a", "up b"]);
  });

  it("starts a server that went away again, and the pool uses the new one", async () => {
    const { supervisor, world, pool, events } = start({ a: greeter() });
    await supervisor.ready;
    await world.servers.get("a")!.close();
    await until(() => events.includes("restarted a"));
    expect(world.starts.get("a")).toBe(2);
    expect(supervisor.health()[0]).toMatchObject({ state: "up", restarts: 1, lastError: "the server process exited" });
    const answer = await pool.callTool("a", "greet", { name: "again" });
    expect(answer.content).toEqual([{ type: "text", text: "hello again" }]);
  });

  it("retries a server that fails to start, waiting longer each time, up to the maximum", async () => {
    const fake = { ...greeter(), fail: "spawn ENOENT" };
    const { supervisor, world } = start({ a: fake });
    await supervisor.ready;
    expect(supervisor.health()[0]).toMatchObject({ state: "down", lastError: expect.stringContaining("ENOENT") });
    const started = Date.now();
    await until(() => (world.starts.get("a") ?? 0) >= 5);
    // 20 + 40 + 80 + 80 ms between the five attempts
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    delete (fake as { fail?: string }).fail;
    await until(() => supervisor.health()[0]!.state === "up");
  });

  it("stop() ends the retries", async () => {
    const { supervisor, world } = start({ a: { ...greeter(), fail: "nope" } });
    await supervisor.ready;
    supervisor.stop();
    const attempts = world.starts.get("a");
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(world.starts.get("a")).toBe(attempts);
  });
});
