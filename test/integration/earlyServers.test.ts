/**
 * `skills run` starts its skill's servers before it loads the run's code (commands/shared/earlyServers.ts), through
 * the built CLI and a real MCP server that logs every start: the run takes the process started early (one start,
 * not two), and a server started for a run that then stops early (bad input) is ended, not left behind.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, skillsSync } from "../helpers/cli.js";
import { survivors } from "../helpers/processes.js";
import { type TempProject, tempProject } from "../helpers/project.js";
import { fixtureServer } from "../helpers/testServers.js";

let project: TempProject;
let startLog: string;

const starts = async (): Promise<number[]> =>
  (await readFile(startLog, "utf8").catch(() => "")).split("\n").filter(Boolean).map(Number);

beforeAll(async () => {
  project = await tempProject();
  startLog = join(project.dir, "starts.log");
  const server = {
    command: process.execPath,
    args: [fixtureServer("countedStarts.mjs")],
    env: { START_LOG: startLog },
  };
  await writeFile(join(project.dir, ".mcp.json"), JSON.stringify({ mcpServers: { weather: server } }, null, 2));
  const skill = join(project.dir, "skills", "forecast");
  await mkdir(skill, { recursive: true });
  await writeFile(
    join(skill, "SKILL.md"),
    "---\nname: forecast\ndescription: The forecast for a city. Use it to test servers started early.\n---\n\n# forecast\n",
  );
  await writeFile(
    join(skill, "manifest.yaml"),
    [
      "name: forecast",
      "version: 1.0.0",
      "language: python",
      "entry: main.py",
      "description: The forecast for a city",
      "input: { type: object, properties: { city: { type: string } }, required: [city] }",
      "tools:",
      "  # the one server it needs",
      '  "weather/get_forecast": "*"',
      "",
    ].join("\n"),
  );
  await writeFile(
    join(skill, "main.py"),
    "from servers.weather import get_forecast\n\ndef run(input):\n    return get_forecast(city=input['city'])\n",
  );
}, 60_000);

afterAll(() => project.remove());

describe("servers started early by skills run", () => {
  it("the run uses the server started before its code loaded: one start, and it ends with the run", async () => {
    await writeFile(startLog, "");
    const run = skillsSync(["run", "forecast", "--input", '{"city": "Oslo"}', "--json"], { cwd: project.dir });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).run).toMatchObject({
      ok: true,
      toolCalls: [{ tool: "weather/get_forecast", ok: true }],
    });
    const pids = await starts();
    expect(pids).toHaveLength(1);
    expect(await survivors(pids)).toEqual([]);
  });

  it("a run refused before it needs its server (bad input) ends the server it started early", async () => {
    await writeFile(startLog, "");
    const run = skillsSync(["run", "forecast", "--input", '{"town": "Oslo"}', "--json"], { cwd: project.dir });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "INPUT_INVALID" } });
    // Started before the input was read, and ended when the command ended.
    const pids = await starts();
    expect(pids).toHaveLength(1);
    expect(await survivors(pids)).toEqual([]);
  });

  it.each([
    [["--timeout", "soon"], "INVALID_ARGUMENT"],
    [["--pii", "loud"], "INVALID_ARGUMENT"],
    [["--input", "{town: Oslo"], "INPUT_INVALID"],
  ])("a run refused for its options (%j) starts nothing", async (args, code) => {
    await writeFile(startLog, "");
    const run = skillsSync(["run", "forecast", ...args, "--json"], { cwd: project.dir });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code } });
    expect(await starts()).toEqual([]);
  });

  it("a call made while its server still starts records the wait (waitMs); one made after does not", async () => {
    const slow = {
      command: process.execPath,
      args: [fixtureServer("countedStarts.mjs")],
      env: { START_LOG: startLog, START_DELAY_MS: "1500" },
    };
    const config = join(project.dir, "slow.mcp.json");
    await writeFile(config, JSON.stringify({ mcpServers: { weather: slow } }));
    const skill = join(project.dir, "skills", "forecast-twice");
    await mkdir(skill, { recursive: true });
    await writeFile(
      join(skill, "SKILL.md"),
      "---\nname: forecast-twice\ndescription: Two forecasts in a row.\n---\n\n# x\n",
    );
    await writeFile(
      join(skill, "manifest.yaml"),
      'name: forecast-twice\nversion: 1.0.0\nlanguage: python\nentry: main.py\ntools:\n  "weather/get_forecast": "*"\n',
    );
    await writeFile(
      join(skill, "main.py"),
      "from servers.weather import get_forecast\n\nresult = [get_forecast(city='Oslo'), get_forecast(city='Rome')]\n",
    );
    // The first run lists the server's tools (and waits for it before the program starts); the second takes them
    // from the catalog cache, so its program starts while the server is still starting.
    const listing = skillsSync(["run", "forecast-twice", "--config", config, "--json"], { cwd: project.dir });
    expect(listing.code, listing.stderr).toBe(0);
    const run = skillsSync(["run", "forecast-twice", "--config", config, "--json"], { cwd: project.dir });
    expect(run.code, run.stderr).toBe(0);
    const [first, second] = JSON.parse(run.stdout).run.toolCalls;
    // The server sleeps 1.5 s before it answers initialize; the program calls it long before that.
    expect(first.waitMs).toBeGreaterThan(300);
    expect(first.waitMs).toBeLessThanOrEqual(first.ms);
    expect(second).not.toHaveProperty("waitMs");
  });

  it("a skill whose manifest.yaml is a FIFO starts nothing and fails at once (no wait for a writer)", async () => {
    // The early start reads the manifest before the run's program loads; a blocking open of a FIFO would wait for a
    // writer forever, and the run (which refuses such a manifest) would never start.
    const skill = join(project.dir, "skills", "fifo-manifest");
    await mkdir(skill, { recursive: true });
    await writeFile(
      join(skill, "SKILL.md"),
      "---\nname: fifo-manifest\ndescription: A manifest that is a FIFO.\n---\n",
    );
    execFileSync("mkfifo", [join(skill, "manifest.yaml")]);
    await writeFile(startLog, "");
    const started = Date.now();
    const run = skillsSync(["run", "fifo-manifest", "--json"], { cwd: project.dir, timeout: 15_000 });
    // null: still waiting when the timeout killed it
    expect(run.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      error: {
        code: "MANIFEST_INVALID",
        message: expect.stringMatching(/manifest\.yaml:1:1 {2}FILE_UNREADABLE {2}manifest\.yaml is not a regular file/),
        file: expect.stringMatching(/manifest\.yaml$/),
      },
    });
    expect(await starts()).toEqual([]);
  });

  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)(
    "%s right after the early spawn, while the run's program loads, ends the server and the CLI dies of it",
    async (signal) => {
      // The server signals the CLI as soon as it runs (its parent: the CLI spawned it), which lands while the run's
      // program still loads, and then neither reads stdin nor answers: only a kill of its group ends it.
      const config = join(project.dir, "interrupt.mcp.json");
      const script = `echo $$ >> "$0"; kill -${signal.slice(3)} $PPID; exec sleep 60`;
      await writeFile(
        config,
        JSON.stringify({ mcpServers: { weather: { command: "sh", args: ["-c", script, startLog] } } }),
      );
      await writeFile(startLog, "");
      const run = spawnSync(
        process.execPath,
        [CLI, "run", "forecast", "--config", config, "--input", '{"city": "Oslo"}'],
        {
          cwd: project.dir,
          env: { ...process.env, NO_COLOR: "1" },
          timeout: 30_000,
        },
      );
      expect({ status: run.status, signal: run.signal }).toEqual({ status: null, signal });
      const pids = await starts();
      expect(pids).toHaveLength(1);
      expect(await survivors(pids)).toEqual([]);
    },
  );

  // The early start checks both files as the run does: a server the run would refuse to start never runs, not even
  // for the moment until the run refuses it (a user who writes "enabled": false for "disabled": true means it).
  it.each([
    ['an .mcp.json with "enabled": false (the schema knows "disabled")', { enabled: false }],
    ['an .mcp.json with "disabled": 0', { disabled: 0 }],
    ["an .mcp.json whose args are a string", { args: "x" }],
  ])("%s: the run refuses it (MCP_CONFIG_INVALID) and nothing ran", async (_name, change) => {
    const file = join(project.dir, "refused.mcp.json");
    const weather = {
      command: process.execPath,
      args: [fixtureServer("countedStarts.mjs")],
      env: { START_LOG: startLog },
    };
    await writeFile(file, JSON.stringify({ mcpServers: { weather: { ...weather, ...change } } }));
    await writeFile(startLog, "");
    const run = skillsSync(["run", "forecast", "--config", file, "--input", '{"city": "Oslo"}', "--json"], {
      cwd: project.dir,
    });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      error: { code: "MCP_CONFIG_INVALID", file: expect.stringMatching(/refused\.mcp\.json$/) },
    });
    expect(await starts()).toEqual([]);
  });

  it("a skills.config.json the run refuses (CONFIG_INVALID): nothing ran", async () => {
    const settings = join(project.dir, "skills.config.json");
    const before = await readFile(settings, "utf8");
    await writeFile(settings, JSON.stringify({ roots: "skills", python: 3 }));
    await writeFile(startLog, "");
    try {
      const run = skillsSync(["run", "forecast", "--input", '{"city": "Oslo"}', "--json"], { cwd: project.dir });
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "CONFIG_INVALID" } });
      expect(await starts()).toEqual([]);
    } finally {
      await writeFile(settings, before);
    }
  });

  it("a skill that is not there starts nothing and fails as before", async () => {
    await writeFile(startLog, "");
    const run = skillsSync(["run", "forcast", "--json"], { cwd: project.dir });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await starts()).toEqual([]);
  });
});
