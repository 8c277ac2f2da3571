/**
 * `skills lock` and `skills compat` on skills in both languages that use different parts of the same tools, against
 * the releases of a real fixture server (test/fixtures/servers/weather.mjs), through the CLI: recording locks the
 * skills, verdicts follow usage, every output format, and the --fix round trip ends with tests replaying green.
 * The steps run in order: each moves the server to the next release. Each command runs once as the built binary
 * (`spawned`); the other steps run the same CLI (registration, rendering, exit codes) in this process, where the
 * modules a start loads are loaded once instead of at every step.
 */
import { cp, chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateXML } from "xmllint-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, skillsAsync, skillsMain } from "../helpers/cli.js";
import { fixtureServer } from "../helpers/testServers.js";

let project: string;
const run = (args: string[]) => skillsMain(args, { cwd: project });
const spawned = (args: string[]) => skillsAsync(args, { cwd: project });

async function release(version: string): Promise<void> {
  const server = {
    command: process.execPath,
    args: [fixtureServer("weather.mjs")],
    env: { WEATHER_RELEASE: version },
  };
  await writeFile(join(project, ".mcp.json"), JSON.stringify({ mcpServers: { weather: server } }, null, 2));
}

interface Change {
  rule: string;
  direction: string;
  path: string;
  severity: string;
  used: boolean;
  uses: { file: string; line: number }[];
}
interface Dependency {
  tool: string;
  range: string;
  locked: { server: string; version: string } | null;
  live: { server: string; version: string } | null;
  status: string;
  changes: Change[];
  hints: string[];
}
interface Report {
  skills: { name: string; status: string; dependencies: Dependency[] }[];
  summary: Record<string, number>;
}

async function compatJson(
  args: string[] = [],
  cli: typeof run = run,
): Promise<{ code: number | null; report: Report }> {
  const result = await cli(["compat", ...args, "--json"]);
  expect(result.stderr).toBe("");
  return { code: result.code, report: JSON.parse(result.stdout) as Report };
}

function dependency(report: Report, skill: string, tool = "weather/get_forecast"): Dependency {
  const found = report.skills.find((s) => s.name === skill)?.dependencies.find((d) => d.tool === tool);
  if (!found) throw new Error(`no ${tool} in ${skill}`);
  return found;
}

const change = (dep: Dependency, rule: string) => dep.changes.find((c) => c.rule === rule);

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-compat-"));
  await chmod(project, 0o755);
  await cp(join(REPO, "test/fixtures/compat/skills"), join(project, "skills"), { recursive: true });
  await writeFile(join(project, "package.json"), "{}\n");
  await release("1.0.0");
}, 30_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe("skills lock / skills compat with a real server", () => {
  it("`skills test --record` records the cassettes and locks every skill", async () => {
    const recorded = await spawned(["test", "--record"]);
    expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
    for (const skill of ["alert-digest", "forecast-brief", "forecast-card", "forecast-report", "station-info"]) {
      expect(recorded.stdout).toContain(`locked skills/${skill}/tools.lock.json`);
    }
    const lock = JSON.parse(await readFile(join(project, "skills/forecast-brief/tools.lock.json"), "utf8"));
    expect(Object.keys(lock.tools)).toEqual(["weather/get_forecast"]);
    const entry = lock.tools["weather/get_forecast"];
    expect(entry).toMatchObject({
      server: "weather",
      serverInfo: { name: "weather-fixture", version: "1.0.0" },
      protocolVersion: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      version: "1.0.0",
      fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      tool: { name: "get_forecast", description: "Weather forecast for a city.", annotations: { readOnlyHint: true } },
    });
    expect(Object.keys(entry.tool.inputSchema.properties)).toEqual(["city", "units", "days"]);
  });

  it("re-locking an unchanged server changes no byte; --check passes", async () => {
    const before = await readFile(join(project, "skills/forecast-report/tools.lock.json"), "utf8");
    const again = await spawned(["lock"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^✓ forecast-report unchanged skills\/forecast-report\/tools\.lock\.json \(1 tool\)$/m,
    );
    expect(await readFile(join(project, "skills/forecast-report/tools.lock.json"), "utf8")).toBe(before);
    const check = await run(["lock", "--check"]);
    expect(check.code).toBe(0);
    expect(check.stdout.trimEnd().split("\n").pop()).toBe("ok: 5 skills · 5 up to date, 0 stale, 0 missing");
  });

  it("against the locked release every skill is compatible (exit 0), in the documented JSON shape", async () => {
    const { code, report } = await compatJson([], spawned);
    expect(code).toBe(0);
    expect(Object.keys(report)).toEqual(["skills", "summary"]);
    expect(report.summary).toEqual({ compatible: 5, warning: 0, "migration-needed": 0, incompatible: 0 });
    const skill = report.skills.find((s) => s.name === "forecast-brief")!;
    expect(Object.keys(skill)).toEqual(["name", "status", "dependencies"]);
    expect(skill.dependencies).toEqual([
      {
        tool: "weather/get_forecast",
        range: "^1.0.0",
        locked: { server: "weather", version: "1.0.0" },
        live: { server: "weather", version: "1.0.0" },
        status: "compatible",
        changes: [],
        hints: [],
      },
    ]);
  });

  it("1.1.0 rewrites a description and adds an annotation: warnings to review (exit 1 only with --fail-on warning)", async () => {
    await release("1.1.0");
    const { code, report } = await compatJson();
    expect(code).toBe(0);
    expect(report.summary).toEqual({ compatible: 1, warning: 4, "migration-needed": 0, incompatible: 0 });
    const brief = dependency(report, "forecast-brief");
    expect(brief.changes.map((c) => [c.rule, c.severity])).toEqual([
      ["tool-description-changed", "warning"],
      ["request-parameter-added", "compatible"],
      ["response-field-added", "compatible"],
    ]);
    expect(brief.hints).toEqual([
      'the description of `get_forecast` changed since it was locked: now "Weather forecast for a city, with daily highs and lows.": review it, then run `skills lock`',
    ]);
    expect(change(dependency(report, "station-info", "weather/get_station"), "tool-annotation-changed")).toMatchObject({
      path: "/annotations/openWorldHint",
    });
    expect((await compatJson(["--fail-on", "warning"])).code).toBe(1);
    const check = await run(["lock", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("✗ forecast-brief skills/forecast-brief/tools.lock.json is stale (1 tool)");
    expect(check.stdout).toContain("~ weather/get_forecast changed on its server since it was locked");
  });

  it("2.0.0: two skills on the same tool get different verdicts, by what their code uses", async () => {
    await release("2.0.0");
    const { code, report } = await compatJson();
    expect(code).toBe(1);
    const status = Object.fromEntries(report.skills.map((s) => [s.name, s.status]));
    expect(status).toEqual({
      "alert-digest": "migration-needed",
      "forecast-brief": "migration-needed",
      "forecast-card": "incompatible",
      "forecast-report": "incompatible",
      "station-info": "incompatible",
    });
    expect(report.summary).toEqual({ compatible: 0, warning: 0, "migration-needed": 2, incompatible: 3 });

    // forecast-report reads `humidity` and passes units="imperial"; forecast-brief does neither
    const full = dependency(report, "forecast-report");
    const brief = dependency(report, "forecast-brief");
    expect(change(full, "response-field-removed")).toEqual({
      rule: "response-field-removed",
      direction: "response",
      path: "/outputSchema/properties/humidity",
      severity: "incompatible",
      used: true,
      uses: [{ file: "skills/forecast-report/main.py", line: 11 }],
    });
    expect(change(brief, "response-field-removed")).toMatchObject({ severity: "warning", used: false, uses: [] });
    expect(change(full, "request-enum-value-removed")).toMatchObject({
      severity: "incompatible",
      uses: [{ file: "skills/forecast-report/main.py", line: 6 }],
    });
    expect(full.hints).toContain(
      "`units` no longer accepts `imperial`, passed at main.py:6; it accepts `metric`, `standard`",
    );
    // days=3 is still within the new maximum of 7
    expect(change(full, "request-constraint-tightened")).toMatchObject({ severity: "compatible", used: false });
    expect(brief.hints).toContain("pass `location` instead of `city` (main.ts:5); `skills compat --fix` does it");
    expect(brief.hints).toContain("read `temp_c` instead of `temp` (main.ts:6); `skills compat --fix` does it");
    expect(brief.live).toEqual({ server: "weather", version: "2.0.0" });

    const alerts = dependency(report, "alert-digest", "weather/get_alerts");
    expect(alerts.hints[0]).toBe(
      "`get_alerts` was removed; `list_alerts` has the same schema: call `list_alerts` instead (main.py:6); `skills compat --fix` does it",
    );
    expect(change(dependency(report, "station-info", "weather/get_station"), "tool-removed")).toMatchObject({
      severity: "incompatible",
      uses: [{ file: "skills/station-info/main.py", line: 6 }],
    });

    // forecast-card passes the result to a typed helper: the type check against the new SDK finds the read
    const card = dependency(report, "forecast-card");
    expect(change(card, "typescript-type-error")).toMatchObject({
      severity: "incompatible",
      uses: [{ file: "skills/forecast-card/main.ts", line: 5 }],
    });
    expect(card.hints).toContain(
      "main.ts:5:40 TS2339: Property 'humidity' does not exist on type 'GetForecastOutput'. (against the SDK generated from the new schemas)",
    );
  });

  it("--fail-on and --strict change what fails", async () => {
    expect(
      (await run(["compat", "skills/forecast-brief", "skills/alert-digest", "--fail-on", "incompatible"])).code,
    ).toBe(0);
    expect((await run(["compat", "skills/forecast-brief", "--fail-on", "migration-needed"])).code).toBe(1);
    const strict = await compatJson(["skills/forecast-brief", "--strict"]);
    expect(strict.report.skills[0]!.status).toBe("incompatible");
    expect(change(dependency(strict.report, "forecast-brief"), "response-field-removed")).toMatchObject({
      severity: "incompatible",
      used: true,
    });
  });

  it("text output says what broke, where and what to do", async () => {
    const text = await spawned(["compat", "skills/forecast-report"]);
    expect(text.code).toBe(1);
    const lines = text.stdout.split("\n");
    expect(lines[0]).toBe("✗ forecast-report  incompatible  skills/forecast-report");
    expect(lines[1]).toBe("  ✗ weather/get_forecast ^1.0.0  locked 1.0.0 → now 2.0.0  incompatible");
    expect(lines).toContain(
      "      incompatible     request-enum-value-removed  argument `units` no longer accepts `imperial`  skills/forecast-report/main.py:6",
    );
    expect(lines).toContain("      hint: result field `humidity` was removed; read at main.py:11");
    expect(lines.at(-2)).toBe(
      "failed: 1 skill against the live servers · 0 compatible, 0 warning, 0 migration-needed, 1 incompatible · fails on migration-needed",
    );
  });

  it("--format md, junit (valid against the JUnit XSD) and github annotations", async () => {
    const md = await run(["compat", "--format", "md"]);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain("| Skill | Status | Dependency | Locked | Now | Verdict |");
    expect(md.stdout).toContain(
      "| forecast-report | ❌ incompatible | `weather/get_forecast` ^1.0.0 | 1.0.0 | 2.0.0 | ❌ incompatible |",
    );
    expect(md.stdout).toContain(
      "  - 👉 `units` no longer accepts `imperial`, passed at main.py:6; it accepts `metric`, `standard`",
    );

    const junit = await run(["compat", "--format", "junit"]);
    const xsd = await readFile(join(REPO, "test/fixtures/junit/junit-10.xsd"), "utf8");
    const checked = await validateXML({ xml: [{ fileName: "compat.xml", contents: junit.stdout }], schema: [xsd] });
    expect(checked.errors).toEqual([]);
    expect(junit.stdout).toContain('<testsuite name="forecast-report" id="3" tests="1" failures="1" errors="0"');
    expect(junit.stdout).toContain(
      '<failure message="weather/get_forecast: incompatible" type="request-enum-value-removed">',
    );

    const github = await run(["compat", "--format", "github", "skills/forecast-report"]);
    const annotations = github.stdout.split("\n").filter((line) => line.startsWith("::"));
    expect(annotations).toContain(
      "::error file=skills/forecast-report/main.py,line=6,title=skills compat%3A request-enum-value-removed::weather/get_forecast (incompatible): argument `units` no longer accepts `imperial`%0Ahint: `units` no longer accepts `imperial`, passed at main.py:6; it accepts `metric`, `standard`",
    );
    // a warning without a place in the code is annotated on the dependency in manifest.yaml
    expect(
      annotations.some((a) =>
        a.startsWith(
          "::warning file=skills/forecast-report/manifest.yaml,line=6,title=skills compat%3A response-field-became-optional::",
        ),
      ),
    ).toBe(true);
  });

  it("--fix migrates the code and the manifest, prints the diff, and the skills replay green after re-recording", async () => {
    const fixed = await run(["compat", "--fix", "skills/forecast-brief", "skills/alert-digest"]);
    expect(fixed.stdout).toContain("-  const forecast = await getForecast({ city: input.city });");
    expect(fixed.stdout).toContain("+  const forecast = await getForecast({ location: input.city });");
    expect(fixed.stdout).toContain("-from servers.weather import get_alerts\n+from servers.weather import list_alerts");
    expect(fixed.stdout).toContain("-  weather/get_alerts: ^1.0.0\n+  weather/list_alerts: ^2.0.0");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the TypeScript skill's own template literal
    const fixedLine = "return { brief: `${input.city}: ${forecast.temp_c}°, ${forecast.conditions}` };";
    expect(await readFile(join(project, "skills/forecast-brief/main.ts"), "utf8")).toContain(fixedLine);
    expect(await readFile(join(project, "skills/forecast-brief/manifest.yaml"), "utf8")).toContain(
      "weather/get_forecast: ^2.0.0",
    );
    const validate = await spawned(["validate", "skills/forecast-brief", "skills/alert-digest"]);
    expect(validate.code, validate.stdout).toBe(0);

    const record = await run(["test", "--record", "skills/forecast-brief", "skills/alert-digest"]);
    expect(record.code, record.stdout + record.stderr).toBe(0);
    expect(record.stdout).toContain("locked skills/alert-digest/tools.lock.json");
    const replay = await run(["test", "skills/forecast-brief", "skills/alert-digest"]);
    expect(replay.code, replay.stdout).toBe(0);
    expect(replay.stdout.trimEnd().split("\n").pop()).toBe("2 passed, 0 failed");
    const after = await compatJson(["skills/forecast-brief", "skills/alert-digest"]);
    expect(after.code).toBe(0);
    expect(after.report.summary).toEqual({ compatible: 2, warning: 0, "migration-needed": 0, incompatible: 0 });
  });

  it("without --fix nothing is changed", async () => {
    const before = await readFile(join(project, "skills/forecast-report/main.py"), "utf8");
    await run(["compat", "skills/forecast-report"]);
    expect(await readFile(join(project, "skills/forecast-report/main.py"), "utf8")).toBe(before);
  });

  it("2.1.0 deprecates get_forecast: the hint quotes the server's words", async () => {
    await release("2.1.0");
    const { report } = await compatJson(["skills/forecast-brief"]);
    const dep = dependency(report, "forecast-brief");
    expect(dep.status).toBe("warning");
    expect(change(dep, "tool-deprecated")).toMatchObject({ path: "/_meta/deprecated", severity: "warning" });
    expect(dep.hints).toContain(
      '`get_forecast` is deprecated: "Use get_forecast_v3, which pages the daily forecast." (called at main.ts:5)',
    );
  });
});
