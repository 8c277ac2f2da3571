/**
 * `skills metrics` and `skills insights` through the built CLI over a generated log: every format, promtool on the
 * Prometheus text, the HTML file, the filters, a torn and a foreign line, and every error a user can hit. The text
 * outputs (metrics, Prometheus, insights, the hostile log) and one usage error come from the binary; the other runs
 * use the same CLI through main() in this process, which loads what a start needs once instead of at every run.
 */
import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/contracts/runRecord.js";
import { syntheticRecords, toJsonl } from "../../bench/lib/runRecords.mjs";
import { skillsMain, skillsSync } from "../helpers/cli.js";
import { PROJECT_PATHS, type TempProject, tempProject } from "../helpers/project.js";
import { parseExposition, sampleValue } from "../helpers/promText.js";

const records = syntheticRecords(1500) as RunRecord[];
let p: TempProject;
let empty: TempProject;

beforeAll(async () => {
  p = await tempProject({}, "skills-metrics-cli-");
  empty = await tempProject({}, "skills-metrics-empty-");
  await mkdir(join(p.dir, ".skills/runs"), { recursive: true });
  // Older records in a rotated file, newer ones in the current file, with a torn line and a foreign one between.
  const old = records.slice(0, 700);
  const recent = records.slice(700);
  await writeFile(join(p.dir, ".skills/runs/runs.1.jsonl"), toJsonl(old));
  const torn = JSON.stringify(recent[0]).slice(0, 60);
  await writeFile(p.log, `${torn}${toJsonl(recent.slice(0, 1))}# a comment someone added\n${toJsonl(recent.slice(1))}`);
});
afterAll(async () => {
  await p?.remove();
  await empty?.remove();
});

const run = (args: string[], cwd = p.dir) => skillsSync(args, { cwd, env: PROJECT_PATHS });
const inProcess = (args: string[], cwd = p.dir) => skillsMain(args, { cwd, env: PROJECT_PATHS });

describe("skills metrics", () => {
  it("reads every file of the log, skips the foreign line with one warning, and recovers the glued record", () => {
    const result = run(["metrics"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1500 runs {2}/);
    expect(result.stdout).toContain("run log: .skills/runs/runs.jsonl (2 files, 1500 records)");
    const warnings = result.stdout.split("\n").filter((line) => line.startsWith("warning"));
    expect(warnings).toEqual([
      "warning skipped 1 line of the run log that is not a run record — cut short by a full disk or written by something else (first at .skills/runs/runs.jsonl:2)",
    ]);
    for (const skill of ["import-contacts", "summarize-directory", "(exec)"]) expect(result.stdout).toContain(skill);
  });

  it("--json and --format json give the same summary", async () => {
    const json = JSON.parse((await inProcess(["metrics", "--json"])).stdout);
    const format = JSON.parse((await inProcess(["metrics", "--format", "json"])).stdout);
    expect(format).toEqual({ ...json, format: "json" });
    expect(json.summary.totals.runs).toBe(1500);
    expect(json.log).toEqual({
      path: ".skills/runs/runs.jsonl",
      files: [".skills/runs/runs.1.jsonl", ".skills/runs/runs.jsonl"],
      records: 1500,
      skipped: 1,
    });
    const contacts = json.summary.skills.find((s: { skill: string }) => s.skill === "import-contacts");
    const expected = records.filter((r) => r.skill === "import-contacts");
    expect(contacts.runs).toBe(expected.length);
    expect(contacts.failed).toBe(expected.filter((r) => r.outcome !== "ok").length);
  });

  it("--since and --skill narrow the window", async () => {
    const since = JSON.parse((await inProcess(["metrics", "--since", "2025-01-30", "--json"])).stdout);
    expect(since.summary.totals.runs).toBe(records.filter((r) => r.time >= "2025-01-30").length);
    const skill = JSON.parse((await inProcess(["metrics", "--skill", "weekly-report", "--json"])).stdout);
    expect(skill.summary.skills.map((s: { skill: string }) => s.skill)).toEqual(["weekly-report"]);
    const none = await inProcess(["metrics", "--skill", "nope"]);
    expect(none.stdout).toContain('warning no runs of "nope" in this window; the log has: (exec), find-large-files');
  });

  it("Prometheus text passes promtool and parses back to the log's figures", () => {
    const result = run(["metrics", "--format", "prometheus"]);
    expect(result.code).toBe(0);
    const check = spawnSync("promtool", ["check", "metrics"], { input: result.stdout, encoding: "utf8" });
    if (check.error)
      throw new Error(`promtool is needed for this test (apt-get install prometheus): ${check.error.message}`);
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: "" });
    const exposition = parseExposition(result.stdout, "prometheus");
    expect(sampleValue(exposition, "skills_runs_total")).toBe(1500);
    expect(sampleValue(exposition, "skills_tool_calls_total", { status: "error" })).toBe(
      records.reduce((n, r) => n + r.tools.reduce((m, t) => m + t.failed, 0), 0),
    );
    // The warning about the skipped line goes to stderr, so the text stays scrapeable.
    expect(result.stderr).toContain("warning skipped 1 line");
  });

  it("OpenMetrics text parses, ends in # EOF", async () => {
    const result = await inProcess(["metrics", "--format", "openmetrics", "--since", "2025-01-29"]);
    expect(result.stdout.endsWith("# EOF\n")).toBe(true);
    const expected = records.filter((r) => r.time >= "2025-01-29").length;
    expect(sampleValue(parseExposition(result.stdout, "openmetrics"), "skills_runs_total")).toBe(expected);
  });

  it("--html writes one self-contained report", async () => {
    const result = await inProcess(["metrics", "--html", "out/report.html"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("wrote out/report.html");
    const html = await readFile(join(p.dir, "out/report.html"), "utf8");
    expect(html).toContain("<h2>Token savings</h2>");
    expect(html).toContain("1500 runs");
  });

  it.each([
    [["metrics", "--since", "last week"], 'INVALID_ARGUMENT  --since "last week" is neither a duration nor a date'],
    [["metrics", "--format", "xml"], 'INVALID_ARGUMENT  unknown --format "xml"'],
    [["metrics", "--html", "skills.config.json/report.html"], "INVALID_ARGUMENT  cannot write the HTML report"],
  ])("%j is a usage error", async (args, message) => {
    const result = args.includes("xml") ? run(args) : await inProcess(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("hint:");
  });

  it("says where the log will be when there is none yet", async () => {
    const result = await inProcess(["metrics"], empty.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("no run log yet at .skills/runs/runs.jsonl");
  });
});

describe("names from a hand-edited log", () => {
  it("reach the terminal without control characters: escape sequences and bells show as escapes", async () => {
    const hostile = await tempProject({}, "skills-metrics-hostile-");
    try {
      await mkdir(join(hostile.dir, ".skills/runs"), { recursive: true });
      const base = records[1]!;
      const odd = Array.from({ length: 12 }, (_, i) => ({
        ...base,
        id: `r_${i.toString(16).padStart(16, "0")}`,
        skill: "evil\u001b[2J\u001b]0;pwned\u0007",
        outcome: "error" as const,
        "error.type": "PROGRAM_ERROR",
        error_message: "boom\u001b[31m",
        tools: [{ ...base.tools[0]!, "gen_ai.tool.name": "srv/t\u009b1m" }],
      }));
      await writeFile(hostile.log, toJsonl(odd));
      for (const args of [["metrics"], ["insights", "--min-runs", "5"]]) {
        const result = skillsSync(args, { cwd: hostile.dir, env: PROJECT_PATHS });
        expect(result.code).toBe(0);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
        expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        expect(result.stdout).toContain("evil\\x1b[2J\\x1b]0;pwned\\x07");
      }
    } finally {
      await hostile.remove();
    }
  });
});

describe("skills insights", () => {
  it("ranks what to fix, with evidence and the command to act on it", async () => {
    // Two near-duplicate skills in the library.
    for (const name of ["big-files", "large-files"]) {
      const dir = join(p.dir, "skills", name);
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, "SKILL.md"),
        `---\nname: ${name}\ndescription: Lists big files. Use it to find large files.\n---\n\n# ${name}\n`,
      );
      await writeFile(
        join(dir, "manifest.yaml"),
        `name: ${name}\nversion: 1.0.0\nlanguage: python\nentry: main.py\ninput: { type: object }\noutput: { type: object }\ntools:\n  filesystem/list_directory_with_sizes: '*'\n`,
      );
      await writeFile(
        join(dir, "main.py"),
        `from servers.filesystem import list_directory_with_sizes\n\ndef run(input):\n    listing = list_directory_with_sizes(path=input["${name === "big-files" ? "root" : "dir"}"])\n    lines = [l for l in listing.split("\\n") if "[FILE]" in l]\n    return {"count": len(lines), "files": lines[:10]}\n`,
      );
    }
    const result = await inProcess(["insights", "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      insights: { kind: string; subject: string; command?: string }[];
      considered: { runs: number; skills: number };
    };
    expect(report.considered).toMatchObject({ runs: 1500, skills: 2 });
    const kinds = report.insights.map((i) => `${i.kind}:${i.subject}`);
    expect(kinds[0]).toBe("failing-skill:import-contacts");
    expect(kinds).toContain("slower-version:find-large-files");
    expect(kinds).toContain("near-duplicate:big-files ~ large-files");
    expect(kinds).toContain("repeated-sequence:memory/search_nodes → memory/open_nodes");
    const human = run(["insights"]);
    expect(human.stdout).toMatch(/^1\. import-contacts fails in \d+% of its runs/);
    expect(human.stdout).toContain(
      "skills new search-nodes-to-open-nodes --tools memory/search_nodes,memory/open_nodes",
    );
  });

  it("--min-runs must be a whole number", async () => {
    const result = await inProcess(["insights", "--min-runs", "0"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--min-runs must be a whole number of at least 1");
  });

  it("says there is nothing to go on in a project without runs", async () => {
    const result = await inProcess(["insights"], empty.dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("nothing to go on yet: the run log has no runs");
  });
});
