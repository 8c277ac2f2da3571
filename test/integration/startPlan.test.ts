/**
 * Start plans (src/cli/startPlan.ts), through the built CLI and a real MCP server that logs every start: a second run
 * of the same command line starts its server before the lead loads and the run takes it over; a plan the lead no
 * longer agrees with costs one start that is ended at once; a plan is not used when a file the choice went by, a
 * setting, or whether a variable .mcp.json takes is set, changed; it never holds a variable's value (a server that
 * takes one is left out); and it is read only from a private cache folder, as a private file.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import {
  chmod,
  copyFile,
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { leadSignature } from "../../src/cli/startPlan.js";
import { CLI, type CliResult, REPO, skillsSync } from "../helpers/cli.js";
import { copyPackage } from "../helpers/packageCopy.js";
import { survivors } from "../helpers/processes.js";
import { type TempProject, tempProject } from "../helpers/project.js";
import { fixtureServer } from "../helpers/testServers.js";

let project: TempProject;
/** The CLI's temp folder (TMPDIR): its code cache folder, and so its plans, are this test's own. */
let temp: string;
let startLog: string;
const uid = process.getuid?.() ?? 0;
const cacheDir = () => join(temp, `skills-code-cache-${uid}`);
const INPUT = '{"city": "Oslo"}';

const starts = async (): Promise<number[]> =>
  (await readFile(startLog, "utf8").catch(() => "")).split("\n").filter(Boolean).map(Number);

/**
 * The weather server as .mcp.json names it: no variables of its own. A shell logs its pid before node even loads, so
 * a start is logged even when the process is ended a few ms later (a plan's process the lead did not take over).
 */
const weather = () => ({
  command: "sh",
  args: ["-c", 'echo $$ >> "$0"; exec "$1" "$2"', startLog, process.execPath, fixtureServer("countedStarts.mjs")],
});

async function writeConfig(servers: Record<string, unknown>): Promise<void> {
  await writeFile(join(project.dir, ".mcp.json"), JSON.stringify({ mcpServers: servers }, null, 2));
}

async function writeManifest(tools: string): Promise<void> {
  await writeFile(
    join(project.dir, "skills", "forecast", "manifest.yaml"),
    `name: forecast\nversion: 1.0.0\nlanguage: python\nentry: main.py\n${tools}`,
  );
}

function run(env: Record<string, string | undefined> = {}, input = INPUT): CliResult {
  return skillsSync(["run", "forecast", "--input", input, "--json"], {
    cwd: project.dir,
    env: { TMPDIR: temp, ...env },
  });
}

async function plans(): Promise<string[]> {
  return (await readdir(cacheDir()).catch(() => [])).filter((name) => /^run-plan2-[0-9a-f]+\.json$/.test(name));
}

/** The only plan's path and content. */
async function thePlan(): Promise<{ path: string; plan: Record<string, unknown> & { servers: { args: string[] }[] } }> {
  const found = await plans();
  expect(found).toHaveLength(1);
  const path = join(cacheDir(), found[0]!);
  return { path, plan: JSON.parse(await readFile(path, "utf8")) };
}

/** Rewrites the plan so that it starts the weather server with one more argument: still current, but not the lead's. */
async function makeStale(path: string): Promise<void> {
  const plan = JSON.parse(await readFile(path, "utf8"));
  plan.servers[0].args.push("stale");
  await writeFile(path, JSON.stringify(plan));
}

async function expectOk(result: CliResult): Promise<void> {
  expect(result.code, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout).run).toMatchObject({ ok: true, toolCalls: [{ tool: "weather/get_forecast" }] });
}

beforeAll(async () => {
  project = await tempProject();
  temp = await mkdtemp(join(tmpdir(), "skills-plan-tmp-"));
  await chmod(temp, 0o755);
  startLog = join(project.dir, "starts.log");
  const skill = join(project.dir, "skills", "forecast");
  await mkdir(skill, { recursive: true });
  await writeFile(
    join(skill, "SKILL.md"),
    "---\nname: forecast\ndescription: The forecast for a city. Use it to test start plans.\n---\n\n# forecast\n",
  );
  await writeFile(
    join(skill, "main.py"),
    "from servers.weather import get_forecast\n\ndef run(input):\n    return get_forecast(city=input['city'])\n",
  );
}, 60_000);

beforeEach(async () => {
  await rm(cacheDir(), { recursive: true, force: true });
  await writeConfig({ weather: weather() });
  await writeManifest('tools:\n  "weather/get_forecast": "*"\n');
  await writeFile(startLog, "");
});

afterAll(async () => {
  await project.remove();
  await rm(temp, { recursive: true, force: true });
});

describe("start plans", () => {
  it("a run keeps its choice; the next run of the same command line starts from it and takes the server over", async () => {
    await expectOk(run());
    const { path, plan } = await thePlan();
    expect(plan).toMatchObject({
      plan: 2,
      // The input's value stands for its kind (planArgv): the plan serves every JSON input.
      argv: ["run", "forecast", "--input", "\u0000json", "--json"],
      cwd: project.dir,
      servers: [{ command: "sh", args: weather().args, cwd: project.dir, mkdir: join(project.dir, ".skills") }],
    });
    // The lead that chose; what the choice went by: both config files and the skill's manifest, and settings only.
    expect((plan.lead as string[])[0]).toMatch(/dist\/bundle\/programs\/run\.lead\.cjs$/);
    const files = (plan.files as [string, string][]).map(([file]) => file);
    expect(files).toEqual(
      expect.arrayContaining([
        join(project.dir, "skills.config.json"),
        join(project.dir, ".mcp.json"),
        join(project.dir, "skills", "forecast", "manifest.yaml"),
      ]),
    );
    for (const [name] of plan.env as [string, unknown][])
      expect(["SKILLS_RUN_LOG", "SKILLS_CACHE_DIR"]).toContain(name);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const written = await readFile(path, "utf8");
    const firstStarts = await starts();
    expect(firstStarts).toHaveLength(1);

    await expectOk(run());
    // One more start (the plan's, taken over: not a second one), all ended, and the plan left as it was.
    const all = await starts();
    expect(all).toHaveLength(2);
    expect(await survivors(all)).toEqual([]);
    expect(await readFile(path, "utf8")).toBe(written);
  });

  it("a plan the lead no longer agrees with: what it started is ended, the lead starts its own, the plan is rewritten", async () => {
    await expectOk(run());
    const { path } = await thePlan();
    await makeStale(path);
    await writeFile(startLog, "");
    await expectOk(run());
    // The stale plan's server (it ran: it logged its start) and the lead's own; neither outlives the run.
    const pids = await starts();
    expect(pids).toHaveLength(2);
    expect(await survivors(pids)).toEqual([]);
    expect((await thePlan()).plan.servers[0]!.args).toEqual(weather().args);
  });

  it("a stale plan's server that ignores SIGTERM is killed within a fraction of a second: it was never asked for", async () => {
    await expectOk(run());
    const { path } = await thePlan();
    // A run as it takes here now (a loaded machine is slower), with its plan.
    let started = performance.now();
    await expectOk(run());
    const usual = performance.now() - started;
    const plan = JSON.parse(await readFile(path, "utf8"));
    plan.servers[0] = {
      ...plan.servers[0],
      args: ["-c", `trap '' TERM; echo $$ >> "$0"; while :; do sleep 0.05; done`, startLog],
    };
    await writeFile(path, JSON.stringify(plan));
    await writeFile(startLog, "");
    started = performance.now();
    await expectOk(run());
    const ms = performance.now() - started;
    const pids = await starts();
    expect(pids).toHaveLength(2);
    expect(await survivors(pids)).toEqual([]);
    // Full graces (stdin closed, 1 s, SIGTERM, 1 s, SIGKILL) would hold the run for two seconds more.
    expect(ms - usual).toBeLessThan(1200);
  });

  it("an edit to a file the choice went by: the plan is not used, and a choice of nothing removes it", async () => {
    await expectOk(run());
    const { path } = await thePlan();
    await makeStale(path);
    // The skill now names no tools: the lead starts nothing, and neither may the plan.
    await writeManifest("");
    await writeFile(startLog, "");
    const result = run();
    expect(result.code).not.toBe(0);
    expect(await starts()).toEqual([]);
    expect(await plans()).toEqual([]);
  });

  it("an edit that keeps the config's size and time (as cp -p may): the plan is not used", async () => {
    await writeConfig({ weather: { ...weather(), args: [...weather().args, "variant-A"] } });
    await expectOk(run());
    const { path } = await thePlan();
    expect(JSON.parse(await readFile(path, "utf8")).servers[0].args.at(-1)).toBe("variant-A");
    const config = join(project.dir, ".mcp.json");
    const before = await stat(config);
    // The old times to the nanosecond, as cp -p keeps them (utimes from node rounds them).
    execFileSync("cp", ["-p", config, `${config}.times`]);
    await writeConfig({ weather: { ...weather(), args: [...weather().args, "variant-B"] } });
    execFileSync("touch", ["-r", `${config}.times`, config]);
    expect(await stat(config)).toMatchObject({ size: before.size, mtimeMs: before.mtimeMs, ino: before.ino });
    await writeFile(startLog, "");
    await expectOk(run());
    // Only the lead's variant-B started: variant-A is in no config any more.
    expect(await starts()).toHaveLength(1);
    expect(JSON.parse(await readFile(path, "utf8")).servers[0].args.at(-1)).toBe("variant-B");
  });

  it("an edit to SKILL.md, which the choice only saw is a file: the plan stays", async () => {
    await expectOk(run());
    const { path } = await thePlan();
    const written = await readFile(path, "utf8");
    const skillMd = join(project.dir, "skills", "forecast", "SKILL.md");
    await writeFile(skillMd, `${await readFile(skillMd, "utf8")}\nMore words.\n`);
    await writeFile(startLog, "");
    await expectOk(run());
    expect(await starts()).toHaveLength(1);
    expect(await readFile(path, "utf8")).toBe(written);
  });

  it("two server names for one command: the plan starts it once, as the lead does", async () => {
    await writeConfig({ weather: weather(), weather2: weather() });
    await writeManifest('tools:\n  "weather/get_forecast": "*"\n  "weather2/get_forecast": "*"\n');
    await expectOk(run());
    const first = (await starts()).length;
    expect((await thePlan()).plan.servers).toHaveLength(1);
    await writeFile(startLog, "");
    await expectOk(run());
    expect(await starts()).toHaveLength(first);
  });

  it("a config edited to drop the server: the plan is not used", async () => {
    await expectOk(run());
    await makeStale((await thePlan()).path);
    await writeConfig({ other: weather() });
    await writeFile(startLog, "");
    const result = run();
    expect(result.code).not.toBe(0);
    expect(await starts()).toEqual([]);
  });

  it("a SKILLS_ variable the choice read has another value: the plan is not used", async () => {
    await expectOk(run());
    await makeStale((await thePlan()).path);
    await writeFile(startLog, "");
    // A run log path the config refuses: the lead starts nothing, and neither may the plan.
    const result = run({ SKILLS_RUN_LOG: join(project.dir, "runs.txt") });
    expect(result.code).not.toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: "CONFIG_INVALID" } });
    expect(await starts()).toEqual([]);
  });

  it("a token another server takes: the plan keeps only whether it is set, and is not used once it is not", async () => {
    const token = "token-0123456789-secret";
    await writeConfig({
      weather: weather(),
      github: { type: "http", url: "https://example.invalid/mcp", headers: { Authorization: `Bearer $\{GH_TOKEN}` } },
    });
    await expectOk(run({ GH_TOKEN: token }));
    const { path, plan } = await thePlan();
    expect(plan.present).toEqual([["GH_TOKEN", true]]);
    expect(await readFile(path, "utf8")).not.toContain(token);
    await makeStale(path);
    await writeFile(startLog, "");
    // Unset, the config is invalid and the lead starts nothing: neither may the plan.
    const result = run({ GH_TOKEN: undefined });
    expect(result.code).not.toBe(0);
    expect(await starts()).toEqual([]);
  });

  it("a plan from an older build, which could hold an input, is removed when a plan is written", async () => {
    await mkdir(cacheDir(), { recursive: true, mode: 0o700 });
    const old = join(cacheDir(), "run-plan-0123abcd.json");
    await writeFile(old, JSON.stringify({ plan: 1, argv: ["run", "forecast", "--input", '{"ssn": "123"}'] }), {
      mode: 0o600,
    });
    await expectOk(run());
    expect(await plans()).toHaveLength(1);
    expect(await readdir(cacheDir())).not.toContain("run-plan-0123abcd.json");
  });

  it("a lead rebuilt while a run goes on: the plan names the lead that chose, so the new lead chooses anew", async () => {
    // An install of its own (bin/ and dist/ hard-linked), whose run.lead.cjs is a copy this test can touch.
    const install = await mkdtemp(join(tmpdir(), "skills-plan-install-"));
    try {
      copyPackage(install, { link: true, modules: false });
      await symlink(join(REPO, "node_modules"), join(install, "node_modules"));
      const leadFile = join(install, "dist/bundle/programs/run.lead.cjs");
      await rm(leadFile);
      await copyFile(join(REPO, "dist/bundle/programs/run.lead.cjs"), leadFile);
      await writeFile(
        join(project.dir, "skills", "forecast", "main.py"),
        "import time\nfrom servers.weather import get_forecast\n\ndef run(input):\n    time.sleep(1)\n" +
          "    return get_forecast(city=input['city'])\n",
      );
      const loaded = leadSignature(await stat(leadFile));
      const running = new Promise<CliResult>((done) =>
        execFile(
          process.execPath,
          [join(install, "bin/skills.js"), "run", "forecast", "--input", INPUT, "--json"],
          { cwd: project.dir, env: { ...process.env, NO_COLOR: "1", TMPDIR: temp } },
          (error, stdout, stderr) => done({ code: error ? 1 : 0, stdout, stderr }),
        ),
      );
      // The server starts after the lead has loaded and chosen: the build changes the lead now.
      while ((await starts()).length === 0) await new Promise((done) => setTimeout(done, 20));
      const later = new Date(Date.now() + 60_000);
      await utimes(leadFile, later, later);
      await expectOk(await running);
      const { plan } = await thePlan();
      expect(plan.lead).toEqual([leadFile, loaded]);
      expect(loaded).not.toBe(leadSignature(await stat(leadFile)));
    } finally {
      await writeFile(
        join(project.dir, "skills", "forecast", "main.py"),
        "from servers.weather import get_forecast\n\ndef run(input):\n    return get_forecast(city=input['city'])\n",
      );
      await rm(install, { recursive: true, force: true });
    }
  });

  it("a --config read from a pipe is left to the run (it can be read once), and no plan is written", async () => {
    const config = JSON.stringify({ mcpServers: { weather: weather() } });
    // A shell's pipe (node's own stdin "pipe" is a socket, which /dev/stdin cannot open).
    const args = ["run", "forecast", "--input", INPUT, "--config", "/dev/stdin", "--json"];
    const piped = spawnSync("sh", ["-c", 'printf %s "$0" | exec "$@"', config, process.execPath, CLI, ...args], {
      cwd: project.dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", TMPDIR: temp },
    });
    await expectOk({ code: piped.status, stdout: piped.stdout, stderr: piped.stderr });
    expect(await starts()).toHaveLength(1);
    expect(await plans()).toEqual([]);
  });

  it("a run with another input starts from the same plan; another command line has a plan of its own", async () => {
    await expectOk(run());
    const { path } = await thePlan();
    await makeStale(path);
    await writeFile(startLog, "");
    // The stale plan's server runs (and is ended), so the plan was used: the input's value is not part of it.
    await expectOk(run({}, '{"city": "Rome"}'));
    expect(await starts()).toHaveLength(2);
    expect(await plans()).toHaveLength(1);
    const timed = skillsSync(["run", "forecast", "--input", INPUT, "--timeout", "20000", "--json"], {
      cwd: project.dir,
      env: { TMPDIR: temp },
    });
    await expectOk(timed);
    expect(await plans()).toHaveLength(2);
    // An input in another form would be kept as typed: no plan, and none is read.
    await expectOk(
      skillsSync(["run", "forecast", `--input=${INPUT}`, "--json"], { cwd: project.dir, env: { TMPDIR: temp } }),
    );
    expect(await plans()).toHaveLength(2);
    for (const name of await plans()) expect(await readFile(join(cacheDir(), name), "utf8")).not.toContain("Oslo");
  });

  it.each([
    [
      "a value from the environment in .mcp.json",
      () => ({ args: [fixtureServer("countedStarts.mjs"), `$\{FORECAST_LOG}`] }),
    ],
    [
      "a SKILLS_ value from the environment in .mcp.json",
      () => ({ args: [fixtureServer("countedStarts.mjs"), `$\{SKILLS_FORECAST_LOG}`] }),
    ],
    [
      "a server with variables of its own",
      () => ({ args: [fixtureServer("countedStarts.mjs")], env: { START_LOG: startLog } }),
    ],
  ])("%s: the server is left out, so no plan is written (it would keep the value in a file)", async (_, server) => {
    await writeConfig({ weather: { command: process.execPath, ...server() } });
    await expectOk(run({ FORECAST_LOG: startLog, SKILLS_FORECAST_LOG: startLog }));
    expect(await starts()).toHaveLength(1);
    expect(await plans()).toEqual([]);
  });

  it.each([
    ["writable by others", (path: string) => chmod(path, 0o666)],
    [
      "a link",
      async (path: string) => {
        await writeFile(`${path}.real`, await readFile(path), { mode: 0o600 });
        await rm(path);
        await symlink(`${path}.real`, path);
      },
    ],
    ["one of two hard links", (path: string) => link(path, `${path}.second`)],
    ["in a folder others can write", () => chmod(cacheDir(), 0o777)],
  ])("a plan file %s is not read", async (_, spoil) => {
    await expectOk(run());
    const { path } = await thePlan();
    await makeStale(path);
    try {
      await spoil(path);
      await writeFile(startLog, "");
      await expectOk(run());
      // Only the lead's start: the stale plan's server never ran.
      expect(await starts()).toHaveLength(1);
    } finally {
      await chmod(cacheDir(), 0o700);
    }
  });

  it("SKILLS_CODE_CACHE=off neither reads nor writes a plan", async () => {
    await expectOk(run({ SKILLS_CODE_CACHE: "off" }));
    expect(await plans()).toEqual([]);
    await expectOk(run());
    await makeStale((await thePlan()).path);
    await writeFile(startLog, "");
    await expectOk(run({ SKILLS_CODE_CACHE: "off" }));
    expect(await starts()).toHaveLength(1);
  });

  it("SIGINT from a server the plan started, while the lead loads, ends the server and the CLI dies of it", async () => {
    // The server signals the CLI as soon as it runs once `marker` exists: after the plan is written, so the signal
    // lands while the plan's start is followed by the lead's load.
    const marker = join(project.dir, "marker");
    const script = `echo $$ >> "$0"; if [ -e "$1" ]; then kill -INT $PPID; exec sleep 60; fi; exec "$2" "$3" "$0"`;
    await writeConfig({
      weather: {
        command: "sh",
        args: ["-c", script, startLog, marker, process.execPath, fixtureServer("countedStarts.mjs")],
      },
    });
    await expectOk(run());
    expect(await plans()).toHaveLength(1);
    await writeFile(marker, "");
    await writeFile(startLog, "");
    const result = spawnSync(process.execPath, [CLI, "run", "forecast", "--input", INPUT, "--json"], {
      cwd: project.dir,
      env: { ...process.env, NO_COLOR: "1", TMPDIR: temp },
      timeout: 30_000,
    });
    expect({ status: result.status, signal: result.signal }).toEqual({ status: null, signal: "SIGINT" });
    const pids = await starts();
    expect(pids.length).toBeGreaterThanOrEqual(1);
    expect(await survivors(pids)).toEqual([]);
    await rm(marker);
  });
});
