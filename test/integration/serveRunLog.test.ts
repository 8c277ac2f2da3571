/**
 * What `skills serve` leaves behind, through the built binary in a throw-away project with its own run log: every
 * served run in the run log under the MCP client's name (stdio, stateful HTTP, stateless HTTP with and without the
 * X-Skills-Client header), searches that found nothing reported by `skills insights`, GET /metrics passing promtool
 * with the figures of `skills metrics --format prometheus`, and save_skill's tools.lock.json matching `skills lock`.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunRecord, SearchRecord } from "../../src/contracts/runRecord.js";
import { ProcessStdioTransport } from "../../src/mcp/pool/stdioTransport.js";
import { CLI, skillsSync } from "../helpers/cli.js";
import { PROJECT_PATHS } from "../helpers/project.js";
import { parseExposition, sampleValue } from "../helpers/promText.js";
import { makeServeProject } from "../helpers/serveProject.js";

type Answer = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: unknown };

/** The project's own paths: the run log is the project's .skills/runs/runs.jsonl, not the test run's. */
const ENV = { NO_COLOR: "1", ...PROJECT_PATHS };
const TOKEN = "run-log-test-token-5e1f0c";
const MISSED = "teleport the quantum flux capacitor";

let project: string;
let stdio: Client;
const children: ChildProcess[] = [];

const call = (client: Client, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 }) as Promise<Answer>;

async function logRecords(): Promise<(RunRecord | SearchRecord)[]> {
  const text = await readFile(join(project, ".skills/runs/runs.jsonl"), "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

const runsOf = async (client: string) =>
  (await logRecords()).filter((r): r is RunRecord => r.kind !== "search" && r.client === client);

/** `skills serve --http 0 --json ...` in the project; resolves with where it listens. */
async function startHttp(args: string[] = [], env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, [CLI, "serve", "--http", "0", "--json", ...args], {
    cwd: project,
    env: { ...process.env, ...ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk) => {
    out.stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    out.stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  for (let i = 0; i < 600 && !out.stdout.includes("\n"); i++) {
    if (child.exitCode !== null) throw new Error(`skills serve exited: ${out.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const { url, port } = JSON.parse(out.stdout.split("\n")[0]!) as { url: string; port: number };
  const stop = async () => {
    child.kill("SIGTERM");
    return exited;
  };
  return { url, port, out, stop };
}

async function httpClient(url: string, name: string, headers: Record<string, string> = {}): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  return client;
}

/** One JSON-RPC POST to a stateless server, as a one-shot caller (curl, a script) sends it. */
async function statelessCall(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  // The answer comes as one SSE event (or plain JSON).
  const data = text.includes("data: ") ? (text.split("data: ")[1] ?? "").split("\n")[0]! : text;
  return (JSON.parse(data) as { result: Answer }).result;
}

beforeAll(async () => {
  project = await makeServeProject(["everything"]);
  const transport = new ProcessStdioTransport({
    command: process.execPath,
    args: [CLI, "serve"],
    // The SDK's default environment has no SKILLS_RUN_LOG: the project's own log applies.
    env: { NO_COLOR: "1" },
    cwd: project,
    graceMs: 5000,
  });
  stdio = new Client({ name: "claude-code-test", version: "2.1.0" });
  await stdio.connect(transport);
}, 60_000);

afterAll(async () => {
  await stdio?.close();
  for (const child of children) child.kill("SIGKILL");
  await rm(project, { recursive: true, force: true });
});

describe("served calls in the run log", () => {
  test("execute_code runs and session cells are logged with the stdio client's name", async () => {
    const good = await call(stdio, "execute_code", {
      language: "python",
      code: 'from servers.everything import get_sum\nresult = get_sum(a=2, b=3)[0]["text"]',
      tools: ["everything/get-sum"],
    });
    expect(good.structuredContent).toMatchObject({ ok: true, result: "The sum of 2 and 3 is 5." });
    const bad = await call(stdio, "execute_code", { language: "python", code: "result = 1 / 0" });
    expect(bad.isError).toBe(true);
    const first = await call(stdio, "execute_code", { language: "typescript", code: "let x = 40;", session_id: "new" });
    const session = first.structuredContent!.session_id as string;
    const cell = await call(stdio, "execute_code", { language: "typescript", code: "x + 2", session_id: session });
    expect(cell.structuredContent).toMatchObject({ ok: true, result: 42, session_id: session });

    const runs = await runsOf("claude-code-test");
    expect(runs).toHaveLength(4);
    expect(runs.every((run) => run.kind === "serve" && run["mcp.method.name"] === "tools/call")).toBe(true);
    const [withTool, failed, firstCell, secondCell] = runs;
    expect(withTool).toMatchObject({
      language: "python",
      outcome: "ok",
      tool_calls: 1,
      tools: [{ "gen_ai.tool.name": "everything/get-sum", calls: 1, failed: 0 }],
      code_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(failed).toMatchObject({ outcome: "error", "error.type": "PROGRAM_ERROR", tool_calls: 0 });
    // A session's first cell starts its worker; the next one finds it running.
    expect(firstCell).toMatchObject({ language: "typescript", outcome: "ok", start: "cold" });
    expect(secondCell).toMatchObject({ language: "typescript", outcome: "ok", start: "warm", result_type: "number" });
    // Sizes and hashes only: the program's text is not in the log.
    expect(JSON.stringify(runs)).not.toContain("get_sum(a=2");
  });

  test("run_skill runs are logged with the skill, its version and the client", async () => {
    const saved = await call(stdio, "save_skill", {
      name: "add-two",
      language: "python",
      code: 'from servers.everything import get_sum\n\ndef run(input):\n    return {"sum": get_sum(a=input["a"], b=2)[0]["text"]}',
      description: "Adds two to a number with the everything server. Use it to test the run log.",
      tools: ["everything/get-sum"],
      input_schema: { type: "object", properties: { a: { type: "number" } }, required: ["a"] },
    });
    expect(saved.isError).toBeUndefined();
    const ran = await call(stdio, "run_skill", { name: "add-two", input: { a: 40 } });
    expect(ran.structuredContent).toMatchObject({ ok: true, result: { sum: "The sum of 40 and 2 is 42." } });
    const runs = await runsOf("claude-code-test");
    expect(runs.at(-1)).toMatchObject({ kind: "serve", skill: "add-two", version: "0.1.0", outcome: "ok" });
    expect(runs.at(-1)!.input_bytes).toBe(JSON.stringify({ a: 40 }).length);
  });
});

describe("save_skill locks the skill", () => {
  test("tools.lock.json is written with the skill, as `skills lock` would write it", async () => {
    const saved = await call(stdio, "save_skill", {
      name: "sum-locked",
      language: "python",
      code: "from servers.everything import get_sum\n\ndef run(input):\n    return get_sum(a=1, b=2)",
      description: "Adds one and two with the everything server. Use it to check locking on save.",
      tools: ["everything/get-sum"],
    });
    expect(saved.isError).toBeUndefined();
    expect(saved.structuredContent).toMatchObject({
      name: "sum-locked",
      lock: "written",
      files: ["SKILL.md", "main.py", "manifest.yaml", "tools.lock.json"],
    });
    const lock = JSON.parse(await readFile(join(project, "skills/sum-locked/tools.lock.json"), "utf8"));
    expect(Object.keys(lock.tools)).toEqual(["everything/get-sum"]);
    expect(lock.tools["everything/get-sum"]).toMatchObject({
      server: "everything",
      serverInfo: { name: expect.any(String), version: expect.any(String) },
      protocolVersion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      tool: { name: "get-sum" },
    });
    // The lock command, asking the servers itself, finds nothing to change.
    const check = skillsSync(["lock", "--check", "skills/sum-locked", "--json"], { cwd: project, env: ENV });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).skills[0]).toMatchObject({ name: "sum-locked", status: "unchanged" });

    // A new version without tools: the lock pins nothing (the old one's tools are gone from it).
    const bumped = await call(stdio, "save_skill", {
      name: "sum-locked",
      language: "python",
      code: "def run(input):\n    return 3",
      description: "Returns three. Use it to check locking on save.",
      tools: [],
      version: "0.2.0",
    });
    expect(bumped.structuredContent).toMatchObject({ version: "0.2.0", lock: "written", replaced: "0.1.0" });
    const relocked = JSON.parse(await readFile(join(project, "skills/sum-locked/tools.lock.json"), "utf8"));
    expect(relocked.tools).toEqual({});
  });

  test("a skill without tools gets no lock file", async () => {
    const saved = await call(stdio, "save_skill", {
      name: "no-tools",
      language: "python",
      code: "def run(input):\n    return 1",
      description: "Returns one. Use it to check saving a skill that calls no tool.",
      tools: [],
    });
    expect(saved.structuredContent).toMatchObject({
      lock: "no-tools",
      files: ["SKILL.md", "main.py", "manifest.yaml"],
    });
    expect(existsSync(join(project, "skills/no-tools/tools.lock.json"))).toBe(false);
  });
});

describe("searches in the run log and in skills insights", () => {
  test("a query that keeps finding nothing becomes a search-missed insight; one that found tools does not", async () => {
    for (let i = 0; i < 2; i++) {
      const missed = await call(stdio, "search_tools", { query: MISSED });
      expect(missed.structuredContent!.results).toEqual([]);
    }
    const found = await call(stdio, "search_tools", { query: "add two numbers" });
    expect((found.structuredContent!.results as unknown[]).length).toBeGreaterThan(0);
    const searches = (await logRecords()).filter((r): r is SearchRecord => r.kind === "search");
    expect(searches.map((s) => [s.client, s.query, s.results > 0])).toEqual([
      ["claude-code-test", MISSED, false],
      ["claude-code-test", MISSED, false],
      ["claude-code-test", "add two numbers", true],
    ]);

    const insights = skillsSync(["insights", "--json"], { cwd: project, env: ENV });
    expect(insights.code).toBe(0);
    const result = JSON.parse(insights.stdout) as {
      insights: { kind: string; subject: string; evidence: Record<string, unknown> }[];
      considered: { searches: number };
    };
    expect(result.considered.searches).toBe(3);
    const missed = result.insights.filter((insight) => insight.kind === "search-missed");
    expect(missed).toEqual([
      expect.objectContaining({
        subject: MISSED,
        evidence: expect.objectContaining({ searches: 2, clients: ["claude-code-test"] }),
      }),
    ]);
    const text = skillsSync(["insights"], { cwd: project, env: ENV });
    expect(text.stdout).toContain(
      [`1. Agents searched 2 times for "${MISSED}" and found nothing`, "   missed search · confidence medium"].join(
        "\n",
      ),
    );
    expect(text.stdout).toMatch(/\nfrom \d+ runs, 3 searches and \d+ skills;/);
  });
});

describe("over HTTP", () => {
  test("runs carry each HTTP client's name; /metrics passes promtool with the figures of skills metrics", async () => {
    const served = await startHttp(["--token-env", "RUN_LOG_TOKEN"], { RUN_LOG_TOKEN: TOKEN });
    try {
      const auth = { Authorization: `Bearer ${TOKEN}` };
      const client = await httpClient(served.url, "http-agent", auth);
      const answer = await call(client, "execute_code", { language: "python", code: "result = 6 * 7" });
      expect(answer.structuredContent).toMatchObject({ ok: true, result: 42 });
      await client.close();
      expect(await runsOf("http-agent")).toEqual([expect.objectContaining({ kind: "serve", outcome: "ok" })]);

      const metricsUrl = `http://127.0.0.1:${served.port}/metrics`;
      expect((await fetch(metricsUrl)).status).toBe(401);
      const scrape = await fetch(metricsUrl, { headers: auth });
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const text = await scrape.text();
      const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
      if (check.error) {
        throw new Error(`promtool is needed for this test (apt-get install prometheus): ${check.error.message}`);
      }
      expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: "" });
      const runs = (await logRecords()).filter((r) => r.kind !== "search");
      const exposition = parseExposition(text, "prometheus");
      expect(sampleValue(exposition, "skills_runs_total")).toBe(runs.length);
      expect(sampleValue(exposition, "skills_runs_total", { status: "error" })).toBe(
        runs.filter((run) => run.outcome === "error").length,
      );
      expect(sampleValue(exposition, "skills_tool_calls_total", { tool: "everything/get-sum" })).toBe(
        runs.reduce((n, run) => n + run.tools.reduce((m, t) => m + t.calls, 0), 0),
      );
      // The same text as the command: one reader, one exposition.
      const command = skillsSync(["metrics", "--format", "prometheus"], { cwd: project, env: ENV });
      expect(command.code).toBe(0);
      expect(command.stdout).toBe(text);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 90_000);

  test("stateless: the X-Skills-Client header names the client, else its runs are `unknown`", async () => {
    const served = await startHttp(["--stateless"]);
    try {
      const execute = (id: number, code: string) => ({
        jsonrpc: "2.0",
        id,
        method: "tools/call",
        params: { name: "execute_code", arguments: { language: "python", code } },
      });
      const named = await statelessCall(served.url, execute(1, "result = 'named'"), {
        "X-Skills-Client": "curl-agent",
      });
      expect(named.structuredContent).toMatchObject({ ok: true, result: "named" });
      const anonymous = await statelessCall(served.url, execute(2, "result = 'anonymous'"));
      expect(anonymous.structuredContent).toMatchObject({ ok: true, result: "anonymous" });
      // A name is a bounded label: what is not a name character is dropped.
      const odd = await statelessCall(served.url, execute(3, "result = 3"), { "X-Skills-Client": 'evil\tname{x="1"}' });
      expect(odd.structuredContent).toMatchObject({ ok: true });
      const runs = (await logRecords()).filter((r): r is RunRecord => r.kind === "serve");
      expect(runs.slice(-3).map((run) => run.client)).toEqual(["curl-agent", "unknown", "evilnamex1"]);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 90_000);

  test("logRuns off: /metrics says why there are none; served calls still work and write nothing", async () => {
    const before = (await logRecords()).length;
    const served = await startHttp([], { SKILLS_RUN_LOG: "off" });
    try {
      const client = await httpClient(served.url, "quiet-agent");
      expect((await call(client, "execute_code", { language: "python", code: "result = 1" })).isError).toBeUndefined();
      await call(client, "search_tools", { query: MISSED });
      await client.close();
      const scrape = await fetch(`http://127.0.0.1:${served.port}/metrics`);
      expect(scrape.status).toBe(404);
      expect(await scrape.json()).toEqual({
        error:
          "the run log is off (logRuns: false in skills.config.json, or SKILLS_RUN_LOG=off): no runs are recorded, so there are no metrics",
      });
      expect((await logRecords()).length).toBe(before);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  }, 90_000);
});
