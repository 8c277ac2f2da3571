/**
 * `skills serve --http` on 127.0.0.1: real HTTP, real servers from a project's .mcp.json (the npm everything server
 * and a fixture that can crash), the real sandbox. Who may connect (Host, Origin, bearer token), several clients at
 * once, a client that goes away mid-run, an upstream server that crashes mid-session, stateless mode.
 */
import { request } from "node:http";
import { connect as connectSocket, type Socket } from "node:net";
import { rm } from "node:fs/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ServeHandle, startServe } from "../../src/commands/serve/serve.js";
import type { ExecutionRecord } from "../../src/commands/shared/execution.js";
import { isAlive } from "../helpers/processes.js";
import { makeServeProject } from "../helpers/serveProject.js";

type Answer = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: unknown };

const TOKEN = "test-token-0123456789abcdef";
let project: string;
let handle: ServeHandle;
const records: ExecutionRecord[] = [];
const clients: Client[] = [];

async function connect(name: string, url = handle.url!, token: string | null = TOKEN): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: token ? { Authorization: `Bearer ${token}` } : {} },
  });
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const call = (client: Client, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 }) as Promise<Answer>;

/** A raw HTTP request, with any Host header (fetch will not send a forged one). */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: handle.port, path, method: options.method ?? "GET", headers: options.headers },
      (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const INIT = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const MCP_HEADERS = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };

beforeAll(async () => {
  project = await makeServeProject(["everything", "crashy", "broken"]);
  handle = await startServe({
    cwd: project,
    http: { port: 0, host: "127.0.0.1", token: TOKEN, allowedOrigins: ["http://localhost:6274"] },
    onRun: (record) => records.push(record),
    backoff: { initialDelayMs: 100, maxDelayMs: 400 },
  });
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await handle?.close();
  await rm(project, { recursive: true, force: true });
});

describe("who may connect", () => {
  test("a request without the bearer token, or with another, is refused with 401", async () => {
    for (const headers of [{}, { Authorization: "Bearer wrong-token" }, { Authorization: `Basic ${TOKEN}` }]) {
      const answer = await raw("/mcp", { method: "POST", headers: { ...MCP_HEADERS, ...headers }, body: INIT });
      expect(answer.status).toBe(401);
      expect(answer.headers["www-authenticate"]).toBe('Bearer realm="skills"');
      expect(JSON.parse(answer.body)).toMatchObject({
        jsonrpc: "2.0",
        error: { message: expect.stringContaining("bearer token") },
      });
      expect(answer.body).not.toContain(TOKEN);
    }
    await expect(connect("no-token", handle.url, null)).rejects.toThrow(/a valid bearer token is required/);
    expect((await raw("/healthz")).status).toBe(401);
  });

  test("a page of another origin, and a rebound Host, are refused with 403", async () => {
    const auth = { ...MCP_HEADERS, Authorization: `Bearer ${TOKEN}` };
    const evil = await raw("/mcp", { method: "POST", headers: { ...auth, Origin: "http://evil.example" }, body: INIT });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body).error.message).toContain('Origin "http://evil.example" is not allowed');
    const rebound = await raw("/mcp", {
      method: "POST",
      headers: { ...auth, Host: `evil.example:${handle.port}` },
      body: INIT,
    });
    expect(rebound.status).toBe(403);
    const allowed = await raw("/mcp", {
      method: "POST",
      headers: { ...auth, Origin: "http://localhost:6274" },
      body: INIT,
    });
    expect(allowed.status).toBe(200);
    const own = await raw("/mcp", {
      method: "POST",
      headers: { ...auth, Origin: `http://127.0.0.1:${handle.port}` },
      body: INIT,
    });
    expect(own.status).toBe(200);
  });

  test("health, metrics, wrong paths, methods, bodies", async () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const health = await raw("/healthz", { headers: auth });
    expect([200, 503]).toContain(health.status);
    expect(JSON.parse(health.body)).toMatchObject({
      version: expect.any(String),
      servers: expect.arrayContaining([expect.objectContaining({ name: "everything" })]),
    });
    // The run log's figures (test/integration/serveRunLog.test.ts checks them against promtool and the command).
    const metrics = await raw("/metrics", { headers: auth });
    expect(metrics.status).toBe(200);
    expect(metrics.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(metrics.body).toContain("# TYPE skills_runs_total counter");
    expect((await raw("/nothing", { headers: auth })).status).toBe(404);
    expect((await raw("/mcp", { method: "PUT", headers: auth })).status).toBe(405);
    const notJson = await raw("/mcp", { method: "POST", headers: { ...auth, ...MCP_HEADERS }, body: "{nope" });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.code).toBe(-32700);
    const wrongType = await raw("/mcp", {
      method: "POST",
      headers: { ...auth, "Content-Type": "text/plain" },
      body: "x",
    });
    expect(wrongType.status).toBe(415);
    const big = await raw("/mcp", {
      method: "POST",
      headers: { ...auth, ...MCP_HEADERS },
      body: JSON.stringify({ pad: "x".repeat(5 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    const noSession = await raw("/mcp", {
      method: "POST",
      headers: { ...auth, ...MCP_HEADERS },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
    expect(noSession.status).toBe(400);
    const goneSession = await raw("/mcp", {
      method: "POST",
      headers: { ...auth, ...MCP_HEADERS, "mcp-session-id": "00000000-0000-0000-0000-000000000000" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
    expect(goneSession.status).toBe(404);
  });
});

describe("several clients", () => {
  test("each client's runs get their own sandboxes, its sessions are its own, its name is on its runs", async () => {
    const [a, b] = await Promise.all([connect("client-a"), connect("client-b")]);
    const marker = (who: string) =>
      `import os, time\nopen('mine-${who}', 'w').write('x')\ntime.sleep(0.3)\nresult = sorted(f for f in os.listdir('.') if f.startswith('mine'))`;
    const runs = await Promise.all(
      [a, b, a, b].map((client, i) => call(client, "execute_code", { language: "python", code: marker(`${i}`) })),
    );
    for (const [i, run] of runs.entries()) {
      expect(run.structuredContent).toMatchObject({ ok: true, result: [`mine-${i}`] });
    }

    const session = await call(a, "execute_code", { language: "python", code: "secret = 7", session_id: "new" });
    const id = session.structuredContent!.session_id as string;
    expect(
      (await call(a, "execute_code", { language: "python", code: "secret * 6", session_id: id })).structuredContent,
    ).toMatchObject({ result: 42 });
    const stolen = await call(b, "execute_code", { language: "python", code: "secret", session_id: id });
    expect(stolen.isError).toBe(true);
    expect((stolen.content as { text: string }[])[0]!.text).toContain(`there is no session ${id}`);

    const names = new Set(records.map((record) => record.client));
    expect(names).toEqual(new Set(["client-a", "client-b"]));
    expect(records.every((record) => record.kind === "serve")).toBe(true);
    expect(records.find((record) => record.code?.includes("secret = 7"))).toMatchObject({ client: "client-a" });
  });

  test("a client whose connection drops mid-run (no cancel sent): the run is stopped", async () => {
    const client = await connect("leaver");
    const transport = (client as unknown as { transport: StreamableHTTPClientTransport }).transport;
    const pending = client
      .callTool(
        { name: "execute_code", arguments: { language: "python", code: "import time\ntime.sleep(60)" } },
        undefined,
        {
          timeout: 60_000,
        },
      )
      .catch((error: Error) => error);
    for (let i = 0; i < 100 && handle.health().runs.active === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(handle.health().runs.active).toBe(1);
    // close() aborts the open HTTP requests; nothing tells the server the call is cancelled
    await transport.close();
    await pending;
    for (let i = 0; i < 100 && handle.health().runs.active > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(handle.health().runs.active).toBe(0);
    const record = records.find((r) => r.code?.includes("time.sleep(60)"));
    expect(record).toMatchObject({ client: "leaver", result: { ok: false, killedBy: "signal" } });
    expect(record!.result.durationMs).toBeLessThan(10_000);
  });

  test("a client that ends its MCP session: its execute_code sessions end with it", async () => {
    const client = await connect("ender");
    const transport = (client as unknown as { transport: StreamableHTTPClientTransport }).transport;
    const before = handle.health().sessions;
    await call(client, "execute_code", { language: "python", code: "x = 1", session_id: "new" });
    await call(client, "execute_code", { language: "typescript", code: "let y = 2;", session_id: "new" });
    expect(handle.health().sessions).toBe(before + 2);
    await transport.terminateSession();
    for (let i = 0; i < 40 && handle.health().sessions > before; i++) await new Promise((r) => setTimeout(r, 50));
    expect(handle.health().sessions).toBe(before);
  });
});

describe("an upstream server that crashes mid-session", () => {
  test("is started again, and the next call reaches the new process", async () => {
    const client = await connect("crash-test");
    const pidOf = async () => {
      const answer = await call(client, "execute_code", {
        language: "python",
        code: "from servers.crashy import pid\nresult = pid()['pid']",
        tools: ["crashy/pid"],
      });
      expect(answer.structuredContent).toMatchObject({ ok: true });
      return answer.structuredContent!.result as number;
    };
    const before = await pidOf();
    expect(handle.serverPids().crashy).toBe(before);
    const crashed = await call(client, "execute_code", {
      language: "python",
      code: "from servers.crashy import crash\ncrash()",
      tools: ["crashy/crash"],
    });
    expect(crashed.isError).toBe(true);
    expect(JSON.stringify(crashed.structuredContent!.error)).toMatch(/crashy/);
    for (let i = 0; i < 100; i++) {
      const crashy = handle.health().servers.find((server) => server.name === "crashy")!;
      if (crashy.restarts > 0 && crashy.state === "up") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(handle.health().servers.find((server) => server.name === "crashy")).toMatchObject({
      state: "up",
      restarts: 1,
    });
    expect(isAlive(before)).toBe(false);
    const after = await pidOf();
    expect(after).not.toBe(before);
    // the other server was not disturbed
    const other = await call(client, "execute_code", {
      language: "python",
      code: "from servers.everything import get_sum\nresult = get_sum(a=1, b=1)",
    });
    expect(other.structuredContent).toMatchObject({ ok: true });
  });
});

describe("a server that does not start", () => {
  test("is reported, retried, and named when a call needs it; the others serve on", async () => {
    const client = await connect("broken-test");
    const health = handle.health();
    expect(health.status).toBe("degraded");
    expect(health.servers.find((server) => server.name === "broken")).toMatchObject({
      state: expect.stringMatching(/down|starting/),
      lastError: expect.stringContaining("command not found"),
    });
    const search = await call(client, "search_tools", { query: "sum" });
    expect(search.structuredContent!.unavailable).toEqual([expect.stringMatching(/^broken: .*command not found/)]);
    const needs = await call(client, "execute_code", { language: "python", code: "result = 1", tools: ["broken/x"] });
    expect((needs.content as { text: string }[])[0]!.text).toMatch(
      /^SERVER_START_FAILED: the server of a tool it needs is down: broken: /,
    );
    const unknown = await call(client, "execute_code", { language: "python", code: "result = 1", tools: ["nosuch/x"] });
    expect((unknown.content as { text: string }[])[0]!.text).toMatch(/^SERVER_NOT_FOUND: no server "nosuch"/);
    const fine = await call(client, "execute_code", {
      language: "python",
      code: "result = 1",
      tools: ["everything/echo"],
    });
    expect(fine.structuredContent).toMatchObject({ ok: true, result: 1 });
  });
});

describe("stateless mode", () => {
  test("every request stands alone; execute_code sessions still work by id", async () => {
    const stateless = await startServe({
      cwd: project,
      http: { port: 0, host: "127.0.0.1", stateless: true },
    });
    try {
      const client = await connect("stateless-client", stateless.url, null);
      expect((await client.listTools()).tools).toHaveLength(6);
      const first = await call(client, "execute_code", { language: "python", code: "n = 20", session_id: "new" });
      const id = first.structuredContent!.session_id as string;
      const second = await call(client, "execute_code", { language: "python", code: "n + 22", session_id: id });
      expect(second.structuredContent).toMatchObject({ ok: true, result: 42 });
      const get = await fetch(stateless.url!, { headers: { Accept: "text/event-stream" } });
      expect(get.status).toBe(405);
    } finally {
      await stateless.close();
    }
  });
});

describe("clients that hold sockets (slowloris)", () => {
  /** A raw TCP connection that sends `text` and waits for the server to end it; resolves with how long that took. */
  function heldOpen(port: number, text: string): { closed: Promise<number>; socket: Socket } {
    const socket = connectSocket(port, "127.0.0.1");
    const started = Date.now();
    socket.on("error", () => undefined);
    socket.resume(); // read what the server says (a 408), or "close" never comes
    socket.write(text);
    const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now() - started)));
    return { closed, socket };
  }

  test("headers or a body trickled too slowly end the connection; past maxConnections a connection is refused", async () => {
    const guarded = await startServe({
      cwd: project,
      http: { port: 0, host: "127.0.0.1", headersTimeoutMs: 400, requestTimeoutMs: 800, maxConnections: 3 },
    });
    try {
      const port = guarded.port!;
      // headers that never end
      const headers = heldOpen(port, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      // complete headers, then 10 of 100 promised bytes
      const body = heldOpen(
        port,
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\"",
      );
      // a third holds the last free connection; a fourth is over the cap and closed at once
      const third = heldOpen(port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      await new Promise((resolve) => setTimeout(resolve, 100));
      const fourth = heldOpen(port, "");
      expect(await fourth.closed).toBeLessThan(400);
      expect(await headers.closed).toBeLessThan(3_000);
      expect(await body.closed).toBeLessThan(3_000);
      expect(await third.closed).toBeLessThan(3_000);
      // and the server still answers
      const client = await connect("after-slowloris", guarded.url, null);
      expect((await client.listTools()).tools).toHaveLength(6);
      await client.close();
    } finally {
      await guarded.close();
    }
  });
});
