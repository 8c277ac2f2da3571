/**
 * `skills serve` driven by the MCP Inspector's CLI mode (a client we did not write), over stdio and over HTTP.
 *
 * The Inspector itself (@modelcontextprotocol/inspector) needs Node 22; its CLI package 1.0.3 runs on Node 20 and
 * offline. That version looks for its own package.json at `../package.json` from its working directory and then
 * imports the same path relative to its module, so it is started from a folder whose parent holds a package.json
 * (the repository's `test/`), and the served project is reached with `cd` in the server command.
 */
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLI, REPO } from "../helpers/cli.js";
import { makeServeProject, testStateEnv } from "../helpers/serveProject.js";

const INSPECTOR = join(REPO, "node_modules/@modelcontextprotocol/inspector-cli/build/cli.js");

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The inspector's answer: the JSON document it prints after its deprecation banner. */
function answer(ran: Ran): Record<string, unknown> {
  expect(ran.code, ran.stderr + ran.stdout).toBe(0);
  const start = ran.stdout.indexOf("{");
  expect(start).toBeGreaterThanOrEqual(0);
  return JSON.parse(ran.stdout.slice(start)) as Record<string, unknown>;
}

function inspect(target: string[], method: string[]): Promise<Ran> {
  return run(process.execPath, [INSPECTOR, "--cli", ...target, ...method], join(REPO, "test"), testStateEnv());
}

let project: string;
beforeAll(async () => {
  project = await makeServeProject(["everything"]);
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

/** `skills serve` over stdio in the project, as the Inspector spawns it. */
function stdioTarget(): string[] {
  return ["sh", "-c", 'cd "$1" && exec "$2" "$3" serve', "sh", project, process.execPath, CLI];
}

describe("MCP Inspector CLI against skills serve", () => {
  test("stdio: tools/list shows the served tools with schemas and annotations", async () => {
    const listed = answer(await inspect(stdioTarget(), ["--method", "tools/list"]));
    const tools = listed.tools as { name: string; inputSchema: object; outputSchema?: object; annotations?: object }[];
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "execute_code",
      "get_skill",
      "list_skills",
      "run_skill",
      "save_skill",
      "search_tools",
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema).toMatchObject({ type: "object" });
      expect(tool.outputSchema).toMatchObject({ type: "object" });
    }
    const save = tools.find((tool) => tool.name === "save_skill");
    expect(save?.annotations).toMatchObject({ destructiveHint: true });
  }, 60_000);

  test("stdio: tools/call execute_code runs Python that calls an upstream tool", async () => {
    const code = [
      "from servers.everything import echo",
      'reply = echo(message="from the inspector")',
      "result = reply",
    ].join("\n");
    const called = answer(
      await inspect(stdioTarget(), [
        "--method",
        "tools/call",
        "--tool-name",
        "execute_code",
        "--tool-arg",
        "language=python",
        "--tool-arg",
        `code=${code}`,
      ]),
    );
    expect(called.isError ?? false).toBe(false);
    const structured = called.structuredContent as { ok: boolean; result: unknown };
    expect(structured.ok).toBe(true);
    expect(JSON.stringify(structured.result)).toContain("from the inspector");
  }, 60_000);

  test("stdio: a syntax error is an isError result with its line, not a failed call", async () => {
    const called = answer(
      await inspect(stdioTarget(), [
        "--method",
        "tools/call",
        "--tool-name",
        "execute_code",
        "--tool-arg",
        "language=python",
        "--tool-arg",
        "code=result = (1 +",
      ]),
    );
    expect(called.isError).toBe(true);
    const text = (called.content as { text: string }[]).map((part) => part.text).join("\n");
    expect(text).toMatch(/SyntaxError/);
    expect(text).toMatch(/line 1/);
  }, 60_000);

  test("HTTP: tools/list through streamable HTTP at /mcp", async () => {
    const server = spawn(process.execPath, [CLI, "serve", "--http", "0", "--json"], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1", ...testStateEnv() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let first = "";
      server.stdout.on("data", (chunk) => {
        first += chunk;
      });
      for (let i = 0; i < 400 && !first.includes("\n"); i++) await new Promise((r) => setTimeout(r, 50));
      const { url } = JSON.parse(first.split("\n")[0]!) as { url: string };
      const listed = answer(await inspect([url, "--transport", "http"], ["--method", "tools/list"]));
      expect((listed.tools as { name: string }[]).map((tool) => tool.name)).toContain("execute_code");
    } finally {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
  }, 60_000);
});
