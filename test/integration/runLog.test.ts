/**
 * The run log through the real CLI: concurrent runs append whole lines, rotation under concurrent writers loses
 * nothing, a full disk or a read-only folder costs one warning and never the run, `logRuns: false` writes nothing,
 * tokens_in counts exactly what the program received.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { Tiktoken } from "js-tiktoken/lite";
import o200k from "js-tiktoken/ranks/o200k_base";
import { afterAll, describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/contracts/runRecord.js";
import { loadProjectConfig } from "../../src/store/config.js";
import { readRunLog } from "../../src/store/runLog/read.js";
import { REPO, skillsAsync, skillsSync } from "../helpers/cli.js";
import { copyPackage } from "../helpers/packageCopy.js";
import { type TempProject, tempProject } from "../helpers/project.js";
import { npmServer } from "../helpers/testServers.js";
import { diskTmpdir } from "../helpers/tmp.js";

const projects: TempProject[] = [];
async function project(config: Record<string, unknown> = {}): Promise<TempProject> {
  const made = await tempProject(config, "skills-runlog-");
  projects.push(made);
  return made;
}
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all([...projects.map((p) => p.remove()), ...cleanups.map((cleanup) => cleanup())]);
});

async function lines(path: string): Promise<string[]> {
  return (await readFile(path, "utf8")).split("\n").filter((line) => line !== "");
}

describe("concurrent runs", () => {
  it("20 CLI runs at once leave 20 whole records", async () => {
    const p = await project();
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        skillsAsync(["exec", "--lang", "python", "--code", `result = {"n": ${i}}`, "--json"], {
          cwd: p.dir,
          env: p.env,
        }),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual(Array(20).fill(0));
    const logged = await lines(p.log);
    expect(logged).toHaveLength(20);
    const records = logged.map((line) => JSON.parse(line) as RunRecord);
    expect(new Set(records.map((r) => r.id)).size).toBe(20);
    expect(records.every((r) => r.kind === "exec" && r.outcome === "ok" && r.result_type === "object")).toBe(true);
    // Each CLI run reports the id it logged.
    const ids = runs.map((r) => (JSON.parse(r.stdout) as { runId: string }).runId).sort();
    expect(ids).toEqual(records.map((r) => r.id).sort());
    // 20 programs, 20 different hashes, 20 files in code/.
    expect((await readdir(join(p.dir, ".skills/runs/code"))).filter((f) => f.endsWith(".py"))).toHaveLength(20);
  }, 120_000);

  it("writers racing past the size limit rotate into numbered files without losing a line", async () => {
    const p = await project({ runLog: { maxFileBytes: 65536, maxFiles: 1000 } });
    const config = await loadProjectConfig(p.dir, {});
    const writer = `
      const { appendRecordLine } = await import(${JSON.stringify(join(REPO, "dist/store/runLog/append.js"))});
      const settings = JSON.parse(process.argv[1]);
      for (let i = 0; i < 300; i++) {
        const record = { v: 1, id: "r_" + process.pid.toString(16).padStart(8, "0") + i.toString(16).padStart(8, "0"),
          time: new Date().toISOString(), kind: "exec", client: "cli", language: "python", isolation: "bwrap",
          start: "cold", duration_ms: i, startup_ms: 0, tool_ms: 0, cpu_ms: 0, outcome: "ok", tool_calls: 0,
          tools: [], tokens_in: 0, tokens_out: 0, result_bytes: 0, pad: "x".repeat(200) };
        appendRecordLine(settings, JSON.stringify(record));
      }`;
    const children = Array.from(
      { length: 8 },
      () =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ["--input-type=module", "-e", writer, JSON.stringify(config.runLog)]);
          child.on("exit", resolve);
        }),
    );
    expect(await Promise.all(children)).toEqual(Array(8).fill(0));
    const files = (await readdir(join(p.dir, ".skills/runs"))).filter((f) => f.endsWith(".jsonl")).sort();
    expect(files.length).toBeGreaterThan(5);
    expect(files).toContain("runs.1.jsonl");
    const read = await readRunLog(config.runLog.path);
    expect(read.skipped.count).toBe(0);
    expect(read.records).toHaveLength(2400);
    expect(new Set(read.records.map((r) => r.id)).size).toBe(2400);
    expect(await readdir(join(p.dir, ".skills/runs"))).not.toContain("runs.jsonl.lock");
  }, 60_000);

  it("keeps at most maxFiles rotated files, dropping the oldest", async () => {
    const p = await project({ runLog: { maxFileBytes: 65536, maxFiles: 2 } });
    const config = await loadProjectConfig(p.dir, {});
    const { appendRecordLine } = await import("../../src/store/runLog/append.js");
    for (let i = 0; i < 1500; i++) appendRecordLine(config.runLog, JSON.stringify({ i, pad: "y".repeat(200) }));
    const files = (await readdir(join(p.dir, ".skills/runs"))).filter((f) => f.endsWith(".jsonl")).sort();
    expect(files).toHaveLength(3);
    expect(files).toContain("runs.jsonl");
    const numbers = files.filter((f) => f !== "runs.jsonl").map((f) => Number(f.split(".")[1]));
    expect(Math.min(...numbers)).toBeGreaterThan(1);
  });
});

describe("the token table", () => {
  it("ships with the build: a new project's first runs count tokens without building or caching one", async () => {
    const p = await project();
    const exec = () =>
      skillsSync(["exec", "--lang", "python", "--code", 'result = {"greeting": "hello world"}'], {
        cwd: p.dir,
        env: p.env,
      });
    expect(exec().code).toBe(0);
    expect(exec().code).toBe(0);
    const shipped = await readFile(join(REPO, "dist/data/tokens/o200k_base.skt"));
    expect(shipped.subarray(0, 4).toString()).toBe("SKT1");
    await expect(readdir(join(p.dir, ".skills/cache/tokens"))).rejects.toMatchObject({ code: "ENOENT" });
    // {"greeting":"hello world"} is 7 tokens (js-tiktoken says so too).
    const records = (await lines(p.log)).map((line) => JSON.parse(line) as RunRecord);
    expect(records.map((r) => r.tokens_out)).toEqual([7, 7]);
  }, 60_000);

  it("tokens_in is exactly the tokens of the results the program received, from the real server", async () => {
    const p = await project();
    // Long enough to be counted in several slices of the event loop, ASCII and not, and read three times.
    const text = Array.from({ length: 3000 }, (_, i) => `line ${i}: naïve café ${"x".repeat(i % 40)} don't\n`).join("");
    await writeFile(join(p.dir, "notes.txt"), text);
    const ran = skillsSync(
      [
        "exec",
        "--lang",
        "python",
        "--pii",
        "off",
        "--tools",
        "filesystem/read_text_file",
        "--code",
        "from servers.filesystem import read_text_file\nresult = [len(str(read_text_file(path='notes.txt'))) for _ in range(3)]",
      ],
      { cwd: p.dir, env: p.env, timeout: 60_000 },
    );
    expect(ran.code, ran.stderr).toBe(0);
    // The same call made straight to the same server, as its MCP client parses the answer.
    const client = new Client({ name: "runlog-test", version: "1.0.0" });
    await client.connect(
      new StdioClientTransport({ command: npmServer("filesystem"), args: [p.dir], stderr: "ignore" }),
    );
    const answer = await client.callTool({ name: "read_text_file", arguments: { path: join(p.dir, "notes.txt") } });
    await client.close();
    const expected = new Tiktoken(o200k).encode(JSON.stringify(answer), [], []).length;
    expect(expected).toBeGreaterThan(20_000);
    const [record] = (await lines(p.log)).map((line) => JSON.parse(line) as RunRecord);
    expect(record!.tokens_in).toBe(3 * expected);
  }, 60_000);
});

describe("a log that cannot be written", () => {
  it("a full disk: the run succeeds, with one warning", async () => {
    const p = await project();
    await mkdir(join(p.dir, ".skills/runs/code"), { recursive: true });
    await symlink("/dev/full", p.log);
    const result = skillsSync(["exec", "--lang", "python", "--code", "result = 6 * 7"], { cwd: p.dir, env: p.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("42");
    const warnings = `${result.stdout}\n${result.stderr}`.split("\n").filter((l) => l.includes("run log could not"));
    expect(warnings).toEqual([
      "warning: the run log could not be written (ENOSPC: no space left on device, write); the run itself is unaffected — see logRuns in skills.config.json",
    ]);
  }, 60_000);

  it("a full disk under `skills test`: every case passes, one warning in all", async () => {
    const p = await project();
    await mkdir(join(p.dir, ".skills/runs"), { recursive: true });
    await symlink("/dev/full", p.log);
    const skill = join(p.dir, "skills", "adder");
    await mkdir(join(skill, "tests"), { recursive: true });
    await writeFile(
      join(skill, "SKILL.md"),
      "---\nname: adder\ndescription: Adds two numbers. Use it to add.\n---\n\n# adder\n",
    );
    await writeFile(
      join(skill, "manifest.yaml"),
      "name: adder\nversion: 1.0.0\nlanguage: python\nentry: main.py\ninput: { type: object }\noutput: { type: object }\n",
    );
    await writeFile(join(skill, "main.py"), 'def run(input):\n    return {"sum": input["a"] + input["b"]}\n');
    const cases = [1, 2, 3].map(
      (i) => `  - name: case ${i}\n    input: { a: ${i}, b: 1 }\n    expect: { equals: { sum: ${i + 1} } }`,
    );
    await writeFile(join(skill, "tests", "cases.yaml"), `cases:\n${cases.join("\n")}\n`);
    const result = skillsSync(["test", "--json"], { cwd: p.dir, env: p.env });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      summary: { passed: number };
      skills: { cases: { warnings: { code: string; message: string }[] }[] }[];
    };
    expect(report.summary.passed).toBe(3);
    const warnings = report.skills
      .flatMap((s) => s.cases.flatMap((c) => c.warnings))
      .filter((w) => w.code === "RUN_LOG");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain("ENOSPC");
  }, 60_000);

  it("a folder a normal user cannot write: the run succeeds, with one warning", async () => {
    const p = await project();
    await mkdir(join(p.dir, ".skills/runs"), { recursive: true });
    await chmod(join(p.dir, ".skills"), 0o755);
    await chmod(join(p.dir, ".skills/runs"), 0o755);
    // the CLI from a copy uid 1000 can read (the repository may sit in a folder only root can enter); on the disk,
    // as its files are hard links to this repository's
    const cli = await mkdtemp(join(diskTmpdir(), "skills-runlog-cli-"));
    cleanups.push(() => rm(cli, { recursive: true, force: true }));
    await chmod(cli, 0o755);
    copyPackage(cli, { link: true });
    const result = spawnSync(
      "setpriv",
      [
        "--reuid=1000",
        "--regid=1000",
        "--init-groups",
        process.execPath,
        join(cli, "bin/skills.js"),
        "exec",
        "--lang",
        "python",
        "--code",
        "result = 'done'",
      ],
      { cwd: p.dir, encoding: "utf8", env: { ...process.env, ...p.env, NO_COLOR: "1", HOME: p.dir }, timeout: 60_000 },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("result\n  done\n");
    const warnings = result.stdout.split("\n").filter((line) => line.startsWith("warning:"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("EACCES");
    expect(await readdir(join(p.dir, ".skills/runs"))).toEqual([]);
  }, 60_000);
});

describe("configuration", () => {
  it("logRuns: false writes nothing", async () => {
    const p = await project({ logRuns: false });
    const result = skillsSync(["exec", "--lang", "python", "--code", "result = 1", "--json"], {
      cwd: p.dir,
      env: p.env,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).runId).toBeUndefined();
    await expect(readdir(join(p.dir, ".skills"))).rejects.toMatchObject({ code: "ENOENT" });
    const metrics = skillsSync(["metrics"], { cwd: p.dir, env: p.env });
    expect(metrics.stdout).toContain("warning logRuns is false in skills.config.json: new runs are not being recorded");
  }, 60_000);

  it("runLog.path moves the log (and the code beside it)", async () => {
    const p = await project({ runLog: { path: "logs/skill-runs.jsonl" } });
    expect(skillsSync(["exec", "--lang", "python", "--code", "result = 1"], { cwd: p.dir, env: p.env }).code).toBe(0);
    expect(await lines(join(p.dir, "logs/skill-runs.jsonl"))).toHaveLength(1);
    expect(await readdir(join(p.dir, "logs/code"))).toHaveLength(1);
    const metrics = JSON.parse(skillsSync(["metrics", "--json"], { cwd: p.dir, env: p.env }).stdout);
    expect(metrics.log.path).toBe("logs/skill-runs.jsonl");
    expect(metrics.summary.totals.runs).toBe(1);
  }, 60_000);

  it.each([
    [{ logRuns: "no" }, 'logRuns: must be true or false, got the string "no"', 2],
    [{ runLog: { path: "runs.txt" } }, "runLog.path", 3],
    [{ runLog: { maxFileBytes: 10 } }, "runLog.maxFileBytes", 3],
    [{ runLog: { rotate: true } }, 'runLog.rotate: unknown key "rotate"', 3],
  ])("refuses %j with the place and a hint", async (config, where, line) => {
    const p = await project(config);
    const result = skillsSync(["metrics"], { cwd: p.dir, env: p.env });
    expect(result.code).toBe(2);
    const first = result.stderr.split("\n")[0] ?? "";
    expect(first).toMatch(new RegExp(`^error skills\\.config\\.json:${line}:\\d+  CONFIG_INVALID  `));
    expect(first).toContain(where);
    expect(result.stderr).toContain("hint:");
  });
});
