/**
 * Secrets that .mcp.json takes from the environment (`${VAR}` in a command, its args, a URL or a header) reach the
 * server they are meant for, and nothing else: not an error message, not `skills serve`'s /healthz (which any
 * local process may read when no token is set), not the lines it logs, not what an agent is told. Real failing
 * servers (a missing binary, a process that exits, an HTTP endpoint nobody listens on), real HTTP on 127.0.0.1.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ServeHandle, startServe } from "../../src/commands/serve/serve.js";
import type { ServerEvent } from "../../src/commands/serve/liveTools.js";
import { skillsAsync } from "../helpers/cli.js";
import { testStateEnv } from "../helpers/serveProject.js";

const VARIABLE = "SKILLS_TEST_API_KEY";
const SECRET = `sk-${process.pid}-${Date.now()}-secret`;
const REF = "$" + `{${VARIABLE}}`;
let project: string;
let handle: ServeHandle;
const events: ServerEvent[] = [];

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-secrets-"));
  const mcpServers = {
    missing: { command: `/nonexistent/mcp-${REF}`, args: ["--api-key", REF] },
    exits: { command: process.execPath, args: ["-e", "process.exit(3)", "--", `--key=${REF}`] },
    remote: { type: "http", url: `http://127.0.0.1:9/mcp?key=${REF}`, headers: { Authorization: `Bearer ${REF}` } },
  };
  await writeFile(join(project, ".mcp.json"), `${JSON.stringify({ mcpServers }, null, 2)}\n`);
  await writeFile(join(project, "skills.config.json"), `${JSON.stringify({ roots: ["skills"] })}\n`);
  process.env[VARIABLE] = SECRET;
  handle = await startServe({
    cwd: project,
    http: { port: 0, host: "127.0.0.1" },
    backoff: { initialDelayMs: 50, maxDelayMs: 100 },
    onServerEvent: (event) => events.push(event),
  });
}, 60_000);

afterAll(async () => {
  delete process.env[VARIABLE];
  await handle?.close();
  await rm(project, { recursive: true, force: true });
});

describe("a secret in .mcp.json stays out of what failing servers report", () => {
  test("/healthz and the server events name the command as written, with the variable, never its value", async () => {
    // every server has failed at least once
    for (let i = 0; i < 100 && new Set(events.map((e) => e.server)).size < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const body = await (await fetch(`http://127.0.0.1:${handle.port}/healthz`)).text();
    const health = JSON.parse(body) as { servers: { name: string; lastError?: string }[] };
    expect(health.servers.map((s) => s.name).sort()).toEqual(["exits", "missing", "remote"]);
    for (const server of health.servers) expect(server.lastError).toContain(REF);
    expect(body).not.toContain(SECRET);
    expect(JSON.stringify(events)).not.toContain(SECRET);
    expect(events.filter((e) => e.reason).length).toBeGreaterThan(0);
  });

  test("the CLI names a server that failed without the secret", async () => {
    const listed = await skillsAsync(["tools", "list"], {
      cwd: project,
      env: { [VARIABLE]: SECRET, ...testStateEnv() },
    });
    expect(listed.code).not.toBe(0);
    expect(`${listed.stdout}${listed.stderr}`).toContain(REF);
    expect(`${listed.stdout}${listed.stderr}`).not.toContain(SECRET);
  }, 60_000);
});
