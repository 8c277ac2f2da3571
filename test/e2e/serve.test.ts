/** `skills serve` as a user starts it: usage errors, and --http with a token read from the environment. */
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLI, skillsSync } from "../helpers/cli.js";
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

describe("skills serve --http with a token", () => {
  test("prints where it listens, refuses requests without the token, never shows it, stops on SIGTERM", async () => {
    const token = "e2e-token-5f1d8a6c0b9e4e2f";
    const child = spawn(process.execPath, [CLI, "serve", "--http", "0", "--token-env", "SKILLS_E2E_TOKEN", "--json"], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1", SKILLS_E2E_TOKEN: token },
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
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    for (let i = 0; i < 200 && !stdout.includes("\n"); i++) await new Promise((r) => setTimeout(r, 50));
    const { url, port } = JSON.parse(stdout.split("\n")[0]!) as { url: string; port: number };
    expect(url).toBe(`http://127.0.0.1:${port}/mcp`);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(401);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { Authorization: `Bearer ${token}` } });
    expect([200, 503]).toContain(health.status);
    expect(await health.json()).toMatchObject({ servers: [expect.objectContaining({ name: "everything" })] });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toContain(`skills serve: listening on http://127.0.0.1:${port}/mcp`);
    expect(stderr).toContain("skills serve: stopped");
    expect(stdout + stderr).not.toContain(token);
  }, 60_000);
});
