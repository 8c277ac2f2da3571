/**
 * What goes wrong around `skills lock` and `skills compat`, through the CLI: a skill without a lock, a lock
 * that is not JSON, a skill that does not load, a server that does not start (a clear line each, the other skills
 * still checked), bad usage (exit 2); `--against <ref>` reading locks from git without starting any server; and
 * `skills new` locking a new skill. Each command runs as the built binary at least once (`spawned`); the other runs use
 * the same CLI through main() in this process, which loads the modules a start needs once instead of at every run.
 */
import { execFileSync } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, skillsAsync, skillsMain } from "../helpers/cli.js";
import { loggingGit } from "../helpers/gitRepo.js";
import { fixtureServer } from "../helpers/testServers.js";

let project: string;
// The project keeps its own cache (.skills/cache), which a test below empties: the test run's shared one would not do.
const cacheEnv = () => ({ SKILLS_CACHE_DIR: join(project, ".skills/cache") });
const run = (args: string[]) => skillsMain(args, { cwd: project, env: cacheEnv() });
const spawned = (args: string[]) => skillsAsync(args, { cwd: project, env: cacheEnv() });

async function mcp(command: string, version = "1.0.0"): Promise<void> {
  const server = {
    command,
    args: [fixtureServer("weather.mjs")],
    env: { WEATHER_RELEASE: version },
  };
  await writeFile(join(project, ".mcp.json"), JSON.stringify({ mcpServers: { weather: server } }, null, 2));
}

async function write(path: string, text: string): Promise<void> {
  await mkdir(join(project, path, ".."), { recursive: true });
  await writeFile(join(project, path), text);
}

const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t.invalid", ...args], {
    cwd: project,
    encoding: "utf8",
  });

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-compat-errors-"));
  await chmod(project, 0o755);
  await cp(join(REPO, "test/fixtures/compat/skills"), join(project, "skills"), { recursive: true });
  await write("package.json", "{}\n");
  await write("skills/plain/SKILL.md", "---\nname: plain\ndescription: Says hello. Use it to greet.\n---\n\nGreets.\n");
  await write("skills/plain/manifest.yaml", "name: plain\nversion: 1.0.0\nlanguage: python\nentry: main.py\n");
  await write("skills/plain/main.py", "def run(input):\n    return {'hello': 'world'}\n");
  await mcp(process.execPath);
  const locked = await spawned(["lock"]);
  expect(locked.code, locked.stdout + locked.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe("compat: one line per problem, the other skills still checked", () => {
  it("no lock, a lock that is not JSON, a skill that does not load", async () => {
    const lockOf = (skill: string) => join(project, "skills", skill, "tools.lock.json");
    const saved = {
      alerts: await readFile(lockOf("alert-digest"), "utf8"),
      station: await readFile(lockOf("station-info"), "utf8"),
    };
    const manifest = join(project, "skills/forecast-card/manifest.yaml");
    const savedManifest = await readFile(manifest, "utf8");
    await rm(lockOf("station-info"));
    await writeFile(lockOf("alert-digest"), '{\n  "lockfileVersion": 1,\n  "tools": { oops }\n}\n');
    await writeFile(manifest, savedManifest.replace("version: 1.0.0", "version: one"));
    try {
      const text = await spawned(["compat"]);
      expect(text.code).toBe(1);
      const lines = text.stdout.split("\n");
      expect(lines).toContain("✗ station-info  error  skills/station-info");
      expect(lines).toContain(
        "    LOCK_MISSING  skills/station-info/tools.lock.json does not exist: there is nothing to compare the servers with",
      );
      expect(lines).toContain(
        "    hint: run `skills lock skills/station-info` and commit tools.lock.json with the skill",
      );
      expect(lines).toContain(
        "    LOCK_INVALID  skills/alert-digest/tools.lock.json:3:14 not valid JSON: unexpected 'o', expected a property name in double quotes",
      );
      expect(
        lines.find((line) => line.startsWith("    SKILL_INVALID  skills/forecast-card/manifest.yaml:2:")),
      ).toContain("VERSION_INVALID");
      expect(lines).toContain("✓ forecast-brief  compatible  skills/forecast-brief");
      expect(lines).toContain("✓ plain  compatible  skills/plain");
      expect(lines.at(-2)).toContain("· 3 compatible, 0 warning, 0 migration-needed, 0 incompatible, 3 not checked");

      const json = JSON.parse((await run(["compat", "--json"])).stdout);
      const station = json.skills.find((s: { name: string }) => s.name === "station-info");
      // the documented extension: status error and an error object, after the contract's keys
      expect(Object.keys(station)).toEqual(["name", "status", "dependencies", "error"]);
      expect(station).toEqual({
        name: "station-info",
        status: "error",
        error: {
          code: "LOCK_MISSING",
          message: "skills/station-info/tools.lock.json does not exist: there is nothing to compare the servers with",
          file: "skills/station-info/tools.lock.json",
          hint: "run `skills lock skills/station-info` and commit tools.lock.json with the skill",
        },
        dependencies: [],
      });
      expect(json.summary).toEqual({ compatible: 3, warning: 0, "migration-needed": 0, incompatible: 0, error: 3 });
      // --fail-on incompatible does not make unchecked skills pass
      expect((await run(["compat", "--fail-on", "incompatible"])).code).toBe(1);
    } finally {
      await writeFile(lockOf("alert-digest"), saved.alerts);
      await writeFile(lockOf("station-info"), saved.station);
      await writeFile(manifest, savedManifest);
    }
  });

  it("a server that does not start: each dependency on it says so; lock fails the same way", async () => {
    await mcp("/nonexistent/weather-server");
    try {
      const result = await run(["compat", "--json"]);
      expect(result.code).toBe(1);
      const json = JSON.parse(result.stdout);
      const brief = json.skills.find((s: { name: string }) => s.name === "forecast-brief");
      expect(brief.status).toBe("error");
      expect(brief.dependencies[0]).toMatchObject({
        tool: "weather/get_forecast",
        status: "error",
        live: null,
        locked: { version: "1.0.0" },
      });
      expect(brief.dependencies[0].hints[0]).toMatch(
        /^server "weather" failed to start \(\/nonexistent\/weather-server .*\): command not found \(check the "weather" entry in /,
      );
      expect(json.skills.find((s: { name: string }) => s.name === "plain").status).toBe("compatible");
      const lock = await run(["lock", "--check"]);
      expect(lock.code).toBe(1);
      expect(lock.stdout).toMatch(/SERVER_START_FAILED {2}weather\/get_forecast: server "weather" failed to start/);
    } finally {
      await mcp(process.execPath);
    }
  });

  it("bad usage exits 2 with a hint", async () => {
    const format = await spawned(["compat", "--format", "xml"]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('USAGE  --format must be one of text, json, md, junit, github, not "xml"');
    const failOn = await run(["compat", "--fail-on", "never"]);
    expect(failOn.code).toBe(2);
    expect(failOn.stderr).toContain("--fail-on must be one of warning, migration-needed, incompatible");
    expect((await run(["compat", "--no-such-option"])).code).toBe(2);
    const missing = await run(["compat", "skills/nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("NOT_FOUND  skills/nope is not a skill folder");
  });
});

describe("compat --against <git ref>", () => {
  beforeAll(async () => {
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "skills at weather 1.0.0");
    await mcp(process.execPath, "2.0.0");
    // station-info and alert-digest cannot be locked at 2.0.0 (their tools are gone): their locks stay as they were
    const relock = await run(["lock"]);
    expect(relock.code).toBe(2);
    await write("skills/new-skill/SKILL.md", "---\nname: new-skill\ndescription: New. Use it in tests.\n---\n\nNew.\n");
    await write(
      "skills/new-skill/manifest.yaml",
      "name: new-skill\nversion: 1.0.0\nlanguage: python\nentry: main.py\ntools:\n  weather/get_forecast: ^2.0.0\n",
    );
    await write(
      "skills/new-skill/main.py",
      "from servers.weather import get_forecast\n\ndef run(input):\n    return get_forecast(location='Paris')\n",
    );
    expect((await run(["lock", "skills/new-skill"])).code).toBe(0);
    // from here on no server can start: --against must not need one
    await mcp("/nonexistent/weather-server");
  }, 60_000);

  it("compares the locks at the ref with the work tree's, without starting a server", async () => {
    const gitLog = await loggingGit();
    let result: Awaited<ReturnType<typeof spawned>>;
    try {
      result = await skillsAsync(["compat", "--against", "HEAD", "--json"], {
        cwd: project,
        env: { ...cacheEnv(), PATH: `${gitLog.dir}:${process.env.PATH}` },
      });
      // the locks at HEAD of the six skills with one in the work tree: one git process reads them, not one each
      const reads = (await gitLog.calls()).filter((call) => /^(cat-file|show)\b/.test(call));
      expect(reads).toEqual(["cat-file --batch --buffer"]);
    } finally {
      await gitLog.remove();
    }
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    const status = Object.fromEntries(json.skills.map((s: { name: string; status: string }) => [s.name, s.status]));
    expect(status).toEqual({
      "alert-digest": "compatible",
      "forecast-brief": "migration-needed",
      "forecast-card": "incompatible",
      "forecast-report": "incompatible",
      "new-skill": "compatible",
      plain: "compatible",
      "station-info": "compatible",
    });
    const report = json.skills.find((s: { name: string }) => s.name === "forecast-report").dependencies[0];
    expect(report.locked).toEqual({ server: "weather", version: "1.0.0" });
    expect(report.live).toEqual({ server: "weather", version: "2.0.0" });
    expect(report.changes.find((c: { rule: string }) => c.rule === "response-field-removed")).toMatchObject({
      severity: "incompatible",
      uses: [{ file: "skills/forecast-report/main.py", line: 11 }],
    });
    const added = json.skills.find((s: { name: string }) => s.name === "new-skill").dependencies[0];
    expect(added).toMatchObject({
      locked: null,
      live: { version: "2.0.0" },
      status: "compatible",
      hints: ["weather/get_forecast is not locked at HEAD: a new dependency, nothing to compare"],
    });
  });

  it("without a Python to analyse the code, every change counts as used, and the output says why", async () => {
    await rm(join(project, ".skills/cache/analysis.json"), { force: true });
    await write("skills.config.json", JSON.stringify({ python: "/nonexistent/python3" }));
    try {
      const result = await run(["compat", "skills/forecast-report", "--against", "HEAD"]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        "    note: the code was not analysed (cannot find /nonexistent/python3 for the Python usage analysis): every change counts as used",
      );
      // days=3 is within the new maximum, but unanalysed code cannot show it
      expect(result.stdout).toMatch(/incompatible +request-constraint-tightened +argument `days`/);
    } finally {
      await rm(join(project, "skills.config.json"));
    }
  });

  it("a ref git does not know is a usage error", async () => {
    const result = await run(["compat", "--against", "no-such-branch"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('INVALID_ARGUMENT  --against: git knows no commit "no-such-branch"');
  });
});

describe("skills new locks the new skill", () => {
  it("writes tools.lock.json when the servers answer, and says why not when they do not", async () => {
    await mcp(process.execPath, "1.0.0");
    const made = await spawned(["new", "weather-now", "--tools", "weather/get_forecast@^1.0.0", "--json"]);
    expect(made.code, made.stderr).toBe(0);
    const result = JSON.parse(made.stdout);
    expect(result.files).toContain("tools.lock.json");
    expect(result.lock).toEqual({ file: "skills/weather-now/tools.lock.json", status: "written" });
    const lock = JSON.parse(await readFile(join(project, "skills/weather-now/tools.lock.json"), "utf8"));
    expect(Object.keys(lock.tools)).toEqual(["weather/get_forecast"]);

    const typo = await run(["new", "weather-typo", "--tools", "weather/get_forcast"]);
    expect(typo.code).toBe(0);
    expect(typo.stdout).toContain('not locked TOOL_NOT_FOUND: server "weather" has no tool "get_forcast"');
  });
});

describe("a hostile server", () => {
  it("a server's control characters are shown escaped, never sent to the terminal; JSON keeps the exact text", async () => {
    const server = {
      command: process.execPath,
      args: [fixtureServer("weather.mjs")],
      env: { WEATHER_RELEASE: "1.0.0", WEATHER_HOSTILE: "1" },
    };
    await writeFile(join(project, ".mcp.json"), JSON.stringify({ mcpServers: { weather: server } }, null, 2));
    try {
      for (const format of ["text", "md", "github", "junit"]) {
        // the text a terminal gets comes from the binary's own stdout
        const shown = await (format === "text" ? spawned : run)([
          "compat",
          "skills/forecast-brief",
          "--format",
          format,
        ]);
        expect(shown.code, shown.stderr).toBe(0);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
        expect(shown.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        // the hint quotes the new description (its whitespace, \r included, folded to spaces)
        if (format !== "github") expect(shown.stdout).toContain("\\x1b]0;pwned\\x07\\x1b[2J \\x1b[32m✓ compatible");
      }
      const json = JSON.parse((await run(["compat", "skills/forecast-brief", "--json"])).stdout);
      expect(json.skills[0].dependencies[0].hints[0]).toContain("\u001b]0;pwned\u0007\u001b[2J \u001b[32m✓ compatible");
      const lock = await run(["lock", "skills/forecast-brief", "--check"]);
      expect(lock.code).toBe(1);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
      expect(lock.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    } finally {
      await mcp(process.execPath);
    }
  });
});
