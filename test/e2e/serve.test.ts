/** `skills serve` as a user starts it: usage errors, and --http with a token read from the environment. */
import { spawn } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLI, skillsSync } from "../helpers/cli.js";
import { commandLine, descendants, survivors } from "../helpers/processes.js";
import { makeServeProject } from "../helpers/serveProject.js";

let project: string;
beforeAll(async () => {
  project = await makeServeProject(["everything"]);
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe("skills serve usage", () => {
  test.each([
    [["--host", "0.0.0.0", "--http", "0"], /--host 0.0.0.0 would let other machines run code here without a token/],
    [["--http", "0", "--token-env", "SKILLS_TEST_UNSET_TOKEN"], /SKILLS_TEST_UNSET_TOKEN \(--token-env\) is not set/],
    [["--http", "0", "--token-env", "not a name"], /--token-env takes the name of an environment variable/],
    [["--stateless", "--token-env", "X"], /--token-env, --stateless only apply with --http/],
    [["--http", "eighty"], /--http needs a port number/],
    [["--http", "0", "--allow-origin", "localhost:3000"], /is not an origin/],
    [["--idle-timeout", "5"], /--idle-timeout must be milliseconds/],
  ])("skills serve %j is a usage error (exit 2)", (args, message) => {
    const { code, stderr, stdout } = skillsSync(["serve", ...args], { cwd: project });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe("");
  });
});

/** Starts `skills serve --http 0 --json` and reads where it listens. */
async function startHttp(cwd: string, env: Record<string, string> = {}, args: string[] = []) {
  const child = spawn(process.execPath, [CLI, "serve", "--http", "0", "--json", ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk) => {
    out.stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    out.stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  for (let i = 0; i < 400 && !out.stdout.includes("\n"); i++) await new Promise((r) => setTimeout(r, 50));
  const { url, port } = JSON.parse(out.stdout.split("\n")[0]!) as { url: string; port: number };
  return { child, out, exited, url, port };
}

describe("skills serve --http with a token", () => {
  test("prints where it listens, refuses requests without the token, never shows it, stops on SIGTERM", async () => {
    const token = "e2e-token-5f1d8a6c0b9e4e2f";
    const { child, out, exited, url, port } = await startHttp(project, { SKILLS_E2E_TOKEN: token }, [
      "--token-env",
      "SKILLS_E2E_TOKEN",
    ]);
    expect(url).toBe(`http://127.0.0.1:${port}/mcp`);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(401);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { Authorization: `Bearer ${token}` } });
    expect([200, 503]).toContain(health.status);
    expect(await health.json()).toMatchObject({ servers: [expect.objectContaining({ name: "everything" })] });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out.stderr).toContain(`skills serve: listening on http://127.0.0.1:${port}/mcp`);
    expect(out.stderr).toContain("skills serve: stopped");
    expect(out.stdout + out.stderr).not.toContain(token);
  }, 60_000);
});

describe("a .mcp.json that also starts skills serve (as Claude Code's does)", () => {
  test("the entry is left out; one behind a wrapper refuses to serve; nothing multiplies", async () => {
    const mcp = JSON.parse(await readFile(join(project, ".mcp.json"), "utf8"));
    mcp.mcpServers.skills = { command: process.execPath, args: [CLI, "serve"] };
    mcp.mcpServers.wrapped = { command: "sh", args: ["-c", `exec "${process.execPath}" "${CLI}" serve`] };
    await writeFile(join(project, ".mcp.json"), JSON.stringify(mcp));
    const served = await startHttp(project);
    try {
      expect(served.out.stderr).toContain('server "skills" in');
      expect(served.out.stderr).toContain("is skills serve itself; it is not served to itself");
      let health: { servers: { name: string; state: string; lastError?: string }[] } = { servers: [] };
      for (let i = 0; i < 100; i++) {
        health = await (await fetch(`http://127.0.0.1:${served.port}/healthz`)).json();
        if (health.servers.find((s) => s.name === "wrapped")?.lastError) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(health.servers.map((s) => s.name).sort()).toEqual(["everything", "wrapped"]);
      expect(health.servers.find((s) => s.name === "wrapped")).toMatchObject({
        state: expect.stringMatching(/down|starting/),
        lastError: expect.stringContaining("started as a server of another skills serve"),
      });
      const below = descendants(served.child.pid!);
      // everything, the warm pool; no second skills serve stays below us. The supervisor starts the wrapper again
      // after each refusal (250 ms, 500 ms, ... later), so one may be caught starting: it must end on its own, while
      // the serve above it still runs.
      const nested = below.filter((pid) => /skills\.js serve/.test(commandLine(pid)));
      expect(await survivors(nested)).toEqual([]);
      expect(served.child.exitCode).toBeNull();
      served.child.kill("SIGTERM");
      expect(await served.exited).toBe(0);
      expect(await survivors(below)).toEqual([]);
    } finally {
      served.child.kill("SIGKILL");
    }
  }, 60_000);
});
