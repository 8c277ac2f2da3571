/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP to the CLI in the middle of a run: the sandbox and everything the CLI started
 * for it (bwrap, the interpreter, the bundler) end, the run's `skills-sandbox-*` folder is removed, and the CLI dies
 * of the signal as a program without handlers would. The built binary (bin/skills.js) with a temp folder of its own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { CLI } from "../helpers/cli.js";
import { descendantsOf, settle } from "./helpers.js";

const temps: string[] = [];
const clis: ChildProcess[] = [];
afterAll(() => {
  // A test that failed half-way must not leave its CLI running.
  for (const cli of clis) if (cli.exitCode === null && cli.signalCode === null) cli.kill("SIGKILL");
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const SLEEPERS = {
  python: "import time\ntime.sleep(120)",
  typescript: "export async function run() { await new Promise((r) => setTimeout(r, 120_000)); }",
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readStatus(pid));
  } catch {
    return false;
  }
}

function readStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return "";
  }
}

function sandboxFolders(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith("skills-sandbox-"));
}

async function startRun(language: keyof typeof SLEEPERS, tmp: string): Promise<{ cli: ChildProcess; pids: number[] }> {
  const env = { ...process.env, TMPDIR: tmp, NO_COLOR: "1" };
  delete env.NODE_EXTRA_CA_CERTS;
  const cli = spawn(process.execPath, [CLI, "exec", "--lang", language, "--code", SLEEPERS[language], "--timeout", "120000"], {
    cwd: tmp,
    env,
    stdio: "ignore",
  });
  clis.push(cli);
  // Running once the interpreter is up inside bwrap under this CLI.
  const interpreter = language === "python" ? /python3 -S -I/ : /worker\.mjs/;
  const started = await settle(
    () => (descendantsOf(cli.pid!).some((proc) => interpreter.test(proc.cmdline)) ? [] : ["starting"]),
    30_000,
  );
  expect(started).toEqual([]);
  expect(sandboxFolders(tmp)).toHaveLength(1);
  return { cli, pids: descendantsOf(cli.pid!).map((proc) => proc.pid) };
}

describe.each([
  ["python", "SIGINT"],
  ["typescript", "SIGINT"],
  ["python", "SIGTERM"],
  ["typescript", "SIGHUP"],
] as const)("%s run, %s to the CLI", (language, signal) => {
  test("the sandbox ends, its folder is removed, the CLI dies of the signal", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "skills-interrupt-"));
    // a TMPDIR like /tmp: the runs' own uids may pass through it
    chmodSync(tmp, 0o755);
    temps.push(tmp);
    const { cli, pids } = await startRun(language, tmp);
    expect(pids.length).toBeGreaterThan(1);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      cli.once("exit", (code, sig) => resolve({ code, signal: sig })),
    );
    cli.kill(signal);
    expect(await exited).toEqual({ code: null, signal });
    expect(await settle(() => pids.filter(alive), 5000)).toEqual([]);
    expect(sandboxFolders(tmp)).toEqual([]);
  }, 60_000);
});

describe("a CLI killed outright (SIGKILL: no cleanup is possible)", () => {
  test("its sandbox dies with it, and the next run removes the folder it left", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "skills-interrupt-"));
    chmodSync(tmp, 0o755);
    temps.push(tmp);
    const { cli, pids } = await startRun("python", tmp);
    const left = sandboxFolders(tmp);
    const exited = new Promise((resolve) => cli.once("exit", resolve));
    cli.kill("SIGKILL");
    await exited;
    expect(await settle(() => pids.filter(alive), 5000)).toEqual([]);
    expect(sandboxFolders(tmp)).toEqual(left);
    const env = { ...process.env, TMPDIR: tmp, NO_COLOR: "1" };
    const next = spawn(process.execPath, [CLI, "exec", "--lang", "python", "--code", "result = 1"], { cwd: tmp, env, stdio: "ignore" });
    expect(await new Promise((resolve) => next.once("exit", resolve))).toBe(0);
    expect(sandboxFolders(tmp)).toEqual([]);
  }, 60_000);
});
