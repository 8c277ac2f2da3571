/**
 * `skills serve --http` and execute_code sessions: each session is a live sandboxed worker, so the number a server
 * keeps must not grow with the number of clients (100 MCP sessions x 8 execute_code sessions each would be 800
 * workers). Real HTTP on 127.0.0.1, the real sandbox.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ServeHandle, startServe } from "../../src/commands/serve/serve.js";

type Answer = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: unknown };

let project: string;
let handle: ServeHandle;
const clients: Client[] = [];

async function connect(name: string): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(handle.url!)));
  clients.push(client);
  return client;
}

const newSession = (client: Client) =>
  client.callTool(
    {
      name: "execute_code",
      arguments: { language: "python", code: "x = 1\nresult = x", session_id: "new", tools: [] },
    },
    undefined,
    { timeout: 60_000 },
  ) as Promise<Answer>;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-session-cap-"));
  await writeFile(join(project, ".mcp.json"), `${JSON.stringify({ mcpServers: {} })}\n`);
  await writeFile(join(project, "skills.config.json"), `${JSON.stringify({ roots: ["skills"] })}\n`);
  handle = await startServe({
    cwd: project,
    http: { port: 0, host: "127.0.0.1" },
    sessionsPerConnection: 2,
    maxSessions: 3,
  });
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await handle?.close();
  await rm(project, { recursive: true, force: true });
});

describe("execute_code sessions across clients", () => {
  test("the server keeps at most maxSessions; past it a new one is refused, the others live on", async () => {
    const [a, b] = [await connect("a"), await connect("b")];
    const opened = [await newSession(a), await newSession(a), await newSession(b)];
    expect(opened.map((answer) => answer.isError ?? false)).toEqual([false, false, false]);
    expect(handle.health().sessions).toBe(3);

    const refused = await newSession(b);
    expect(refused.isError).toBe(true);
    expect((refused.content as { text: string }[])[0]!.text).toMatch(
      /^SESSION_LIMIT: this server keeps at most 3 execute_code sessions open, and all 3 are in use/,
    );
    expect(handle.health().sessions).toBe(3);
    // a client at its own limit still ends its least recently used session to start one
    const replaced = await newSession(a);
    expect(replaced.isError).toBeUndefined();
    expect(handle.health().sessions).toBe(3);
    // the refused client's first session still works
    const id = opened[2]!.structuredContent!.session_id as string;
    const again = (await b.callTool({
      name: "execute_code",
      arguments: { language: "python", code: "result = x + 1", session_id: id },
    })) as Answer;
    expect(again.structuredContent).toMatchObject({ ok: true, result: 2 });
  }, 120_000);
});
