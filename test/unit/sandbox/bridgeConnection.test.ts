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
    worker.write('{"jsonrpc":"2.0","method":"ready","params":{}}\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { events, handlers } = collect();
    bridge.attach(handlers);
    expect(events).toEqual(["notify ready"]);
    const lines: string[] = [];
    worker.on("data", (d) => lines.push(...d.toString().split("\n").filter(Boolean)));
    worker.write('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"x":1}}\n');
    const response = bridge.request("execute", { code: "x" });
    await new Promise((resolve) => setTimeout(resolve, 20));
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
});
