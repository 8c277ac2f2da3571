import { mkdtempSync, rmSync } from "node:fs";
import { type Server, type Socket, createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { BridgeConnection } from "../../../src/sandbox/bridgeConnection.js";

let server: Server | undefined;
let dir: string | undefined;

/** Two connected UNIX stream sockets, like the socketpair a worker gets. */
async function pair(): Promise<[Socket, Socket]> {
  dir = mkdtempSync(join(tmpdir(), "bridge-"));
  const path = join(dir, "s");
  const accepted = new Promise<Socket>((resolve) => {
    server = createServer(resolve);
  });
  await new Promise<void>((resolve) => server!.listen(path, resolve));
  const client = createConnection(path);
  return [await accepted, client];
}

afterEach(() => {
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Waits until `ready()` holds (data crossing a socket takes a moment; a loaded machine can make it many ms). */
async function until(ready: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !ready(); ) {
    if (Date.now() > end) throw new Error("timed out waiting for the socket");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function collect() {
  const events: string[] = [];
  return {
    events,
    handlers: {
      onRequest: async (method: string, params: unknown) => ({ result: { method, params } }),
      onNotification: (method: string) => events.push(`notify ${method}`),
      onViolation: (reason: string) => events.push(`violation ${reason}`),
    },
  };
}

describe("BridgeConnection", () => {
  test("answers requests, delivers notifications (also ones sent before handlers attach), matches responses", async () => {
    const [host, worker] = await pair();
    const bridge = new BridgeConnection(host, 1024);
    // The notification reaches the host before any handler is attached.
    const arrived = new Promise((resolve) => host.once("data", resolve));
    worker.write('{"jsonrpc":"2.0","method":"ready","params":{}}\n');
    await arrived;
    const { events, handlers } = collect();
    bridge.attach(handlers);
    expect(events).toEqual(["notify ready"]);
    const lines: string[] = [];
    worker.on("data", (d) => lines.push(...d.toString().split("\n").filter(Boolean)));
    worker.write('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"x":1}}\n');
    const response = bridge.request("execute", { code: "x" });
    await until(() => lines.length >= 2);
    const sent = lines.map((l) => JSON.parse(l));
    expect(sent).toContainEqual({ jsonrpc: "2.0", id: 7, result: { method: "tools/call", params: { x: 1 } } });
    const execute = sent.find((m) => m.method === "execute");
    worker.write(`${JSON.stringify({ jsonrpc: "2.0", id: execute.id, result: { ok: true } })}\n`);
    expect(await response).toMatchObject({ result: { ok: true } });
    bridge.close();
    worker.destroy();
  });

  test.each([
    ["an oversized line", `{"a":"${"x".repeat(2000)}"}\n`, /2\d{3} bytes is over the 1024-byte limit/],
    ["an oversized partial line", `{"a":"${"x".repeat(2000)}`, /over the 1024-byte limit/],
    ["invalid JSON", "not json\n", /not valid JSON/],
    ["a non-object", "[1,2]\n", /not a JSON-RPC object/],
    ["a bad id", '{"jsonrpc":"2.0","id":{},"method":"x"}\n', /invalid id/],
  ])("%s is a violation, reported once, and closes the bridge", async (_name, payload, reason) => {
    const [host, worker] = await pair();
    const bridge = new BridgeConnection(host, 1024);
    const { events, handlers } = collect();
    bridge.attach(handlers);
    worker.write(payload);
    worker.write(payload);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatch(reason);
    expect(await bridge.request("execute", {})).toMatchObject({ error: { message: "bridge closed" } });
    worker.destroy();
  });

  test("pending requests settle with an error when the worker goes away", async () => {
    const [host, worker] = await pair();
    const bridge = new BridgeConnection(host, 1024);
    bridge.attach(collect().handlers);
    const pending = bridge.request("execute", {});
    worker.destroy();
    expect(await pending).toMatchObject({ error: { message: "bridge closed" } });
  });

  test("the host's request ids are random strings: a guessed answer is refused, the real one settles", async () => {
    const [host, worker] = await pair();
    const bridge = new BridgeConnection(host, { maxRefused: 100 });
    bridge.attach(collect().handlers);
    const lines: string[] = [];
    worker.on("data", (d) => lines.push(...d.toString().split("\n").filter(Boolean)));
    const response = bridge.request("execute", {});
    await until(() => lines.length >= 1);
    const id = JSON.parse(lines[0]!).id as string;
    expect(id).toMatch(/^h[0-9a-f]{32}$/);
    for (const guess of [1, 0, "1", null]) {
      worker.write(`${JSON.stringify({ jsonrpc: "2.0", id: guess, result: { forged: true } })}\n`);
    }
    worker.write(`${JSON.stringify({ jsonrpc: "2.0", id, result: { ok: true } })}\n`);
    expect(await response).toMatchObject({ result: { ok: true } });
    expect(bridge.refused).toBe(4);
    bridge.close();
    worker.destroy();
  });

  test("refused messages count: unknown notifications, stray answers, refused requests; past the limit, a violation", async () => {
    const [host, worker] = await pair();
    const bridge = new BridgeConnection(host, { maxRefused: 5 });
    const { events, handlers } = collect();
    bridge.attach({ ...handlers, onRequest: async () => ({ error: { code: -32601, message: "no" }, refused: "unknown" }) });
    worker.write('{"jsonrpc":"2.0","method":"nope"}\n{"jsonrpc":"2.0","id":"x","result":1}\n');
    for (let i = 0; i < 3; i++) worker.write(`{"jsonrpc":"2.0","id":${i},"method":"what"}\n`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(bridge.refused).toBe(5);
    expect(events.filter((e) => e.startsWith("violation"))).toEqual([]);
    worker.write('{"jsonrpc":"2.0","method":"nope"}\n');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(events).toEqual([expect.stringMatching(/^violation the program kept sending refused messages \(5 refused/)]);
    worker.destroy();
  });

  test("a message nested deeper than the limit is refused before parsing, and answered when it is a request", async () => {
    const [host, worker] = await pair();
    const bridge = new BridgeConnection(host, { maxDepth: 8 });
    const { events, handlers } = collect();
    bridge.attach(handlers);
    const lines: string[] = [];
    worker.on("data", (d) => lines.push(...d.toString().split("\n").filter(Boolean)));
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    worker.write(`{"jsonrpc":"2.0","id":12,"method":"tools/call","params":${deep}}\n`);
    worker.write(`{"jsonrpc":"2.0","id":13,"method":"tools/call","params":{"a":[[["ok", "[[[[[[[[[[[["]]]}}\n`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = lines.map((l) => JSON.parse(l));
    expect(sent).toContainEqual({
      jsonrpc: "2.0",
      id: 12,
      error: { code: -32600, message: "a bridge message is nested deeper than 8 levels", data: { code: "BRIDGE_PROTOCOL" } },
    });
    // brackets inside strings do not count
    expect(sent).toContainEqual(expect.objectContaining({ id: 13, result: expect.anything() }));
    expect(bridge.refused).toBe(1);
    expect(events).toEqual([]);
    bridge.close();
    worker.destroy();
  });

  test("back-pressure: past maxInFlight the host stops reading until answers go out", async () => {
    const [host, worker] = await pair();
    const bridge = new BridgeConnection(host, { maxInFlight: 3 });
    const release: (() => void)[] = [];
    let started = 0;
    bridge.attach({
      ...collect().handlers,
      onRequest: () =>
        new Promise((resolve) => {
          started += 1;
          release.push(() => resolve({ result: started }));
        }),
    });
    for (let i = 0; i < 10; i++) worker.write(`{"jsonrpc":"2.0","id":${i},"method":"m"}\n`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(started).toBe(3);
    release.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(started).toBe(4);
    for (let i = 0; i < 200 && started < 10; i++) {
      release.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(started).toBe(10);
    bridge.close();
    worker.destroy();
  });

  test("back-pressure: answers the program does not read stop the reading past maxUnreadBytes", async () => {
    const [host, worker] = await pair();
    const bridge = new BridgeConnection(host, { maxUnreadBytes: 256 * 1024, maxInFlight: 4 });
    let handled = 0;
    bridge.attach({
      ...collect().handlers,
      onRequest: async () => {
        handled += 1;
        return { result: "x".repeat(64 * 1024) };
      },
    });
    worker.pause();
    for (let i = 0; i < 400; i++) worker.write(`{"jsonrpc":"2.0","id":${i},"method":"m"}\n`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // 400 answers of 64 KiB would be 25 MiB: the host stopped once the unread answers passed the budget (what the
    // kernel's socket buffers take in meanwhile is not the host's memory)
    expect(handled).toBeLessThan(150);
    expect(host.writableLength).toBeLessThanOrEqual(256 * 1024 + 5 * 64 * 1024 + 1024);
    worker.resume();
    for (let i = 0; i < 100 && handled < 400; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(handled).toBe(400);
    bridge.close();
    worker.destroy();
  });

  test("more bytes than maxInboundBytes in one run is a violation; startRun resets the budget", async () => {
    const [host, worker] = await pair();
    const bridge = new BridgeConnection(host, { maxInboundBytes: 10_000 });
    const { events, handlers } = collect();
    bridge.attach(handlers);
    const note = `{"jsonrpc":"2.0","method":"log","params":"${"z".repeat(900)}"}\n`;
    for (let i = 0; i < 8; i++) worker.write(note);
    await new Promise((resolve) => setTimeout(resolve, 30));
    bridge.startRun();
    for (let i = 0; i < 8; i++) worker.write(note);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(events.filter((e) => e.startsWith("violation"))).toEqual([]);
    for (let i = 0; i < 4; i++) worker.write(note);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(events.filter((e) => e.startsWith("violation"))).toEqual([
      "violation the program sent more than 10000 bytes over the bridge in one run",
    ]);
    worker.destroy();
  });
});
