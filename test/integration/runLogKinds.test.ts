/**
 * Every way code runs leaves its record through openExecution, with no logging code in the commands: a skill run,
 * a run cell by cell (one record for the whole run), repl blocks (one each), test cases (with the case's name), an
 * exec, and a run the sandbox refused before its program started (logged with its error, isolation "none").
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/contracts/runRecord.js";
import { skillsSync } from "../helpers/cli.js";
import { type TempProject, tempProject } from "../helpers/project.js";

let p: TempProject;
const records = async (): Promise<RunRecord[]> =>
  (await readFile(p.log, "utf8").catch(() => ""))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as RunRecord);
const run = (args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}) =>
  skillsSync(args, { cwd: p.dir, ...options, env: { ...p.env, ...options.env } });

beforeAll(async () => {
  p = await tempProject({}, "skills-runlog-kinds-");
  const skill = join(p.dir, "skills", "doubler");
  await mkdir(join(skill, "tests"), { recursive: true });
  await writeFile(
    join(skill, "SKILL.md"),
    "---\nname: doubler\ndescription: Doubles a number. Use it to double.\n---\n\n# doubler\n",
  );
  await writeFile(
    join(skill, "manifest.yaml"),
    "name: doubler\nversion: 1.2.0\nlanguage: python\nentry: main.py\ninput: { type: object }\noutput: { type: object }\n",
  );
  await writeFile(
    join(skill, "main.py"),
    '# %%\nfactor = 2\n\n# %%\ndef run(input):\n    return {"n": input["n"] * factor}\n',
  );
  await writeFile(join(skill, "tests", "basic.yaml"), "name: doubles\ninput: { n: 4 }\nexpect: { equals: { n: 8 } }\n");
});
afterAll(async () => {
  await p.remove();
});

describe("one record per run, from openExecution", () => {
  it("skills run: one record with the skill, its version and the input's size; its id is on the result", async () => {
    const result = run(["run", "doubler", "--input", '{"n": 21}', "--json"]);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { runId: string; run: { runId: string; result: unknown } };
    expect(output.run.result).toEqual({ n: 42 });
    const logged = await records();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      id: output.runId,
      kind: "run",
      skill: "doubler",
      version: "1.2.0",
      outcome: "ok",
      input_bytes: 8,
      result_type: "object",
    });
    expect(output.run.runId).toBe(output.runId);
  });

  it("skills run --cells: the cells, the input and the finish are one run, logged once", async () => {
    const before = (await records()).length;
    const result = run(["run", "doubler", "--cells", "--input", '{"n": 5}', "--json"]);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { runId: string; cells: unknown[]; run: { result: unknown } };
    expect(output.cells.length).toBe(3);
    expect(output.run.result).toEqual({ n: 10 });
    const added = (await records()).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ id: output.runId, kind: "run", skill: "doubler", outcome: "ok", input_bytes: 7 });
  });

  it("skills repl: one record per block, each with its code's hash", async () => {
    const before = (await records()).length;
    const result = run(["repl", "--lang", "python"], { input: "x = 20\n\nx + 22\n" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("42");
    const added = (await records()).slice(before);
    expect(added.map((r) => [r.kind, r.outcome])).toEqual([
      ["repl", "ok"],
      ["repl", "ok"],
    ]);
    expect(new Set(added.map((r) => r.code_sha256)).size).toBe(2);
    // A repl block is not a program on its own: its code is not kept for --from-run.
    await expect(readFile(join(p.dir, ".skills/runs/code", `${added[0]!.code_sha256}.py`))).rejects.toThrow();
  });

  it("skills test: one record per case, with the case's name", async () => {
    const before = (await records()).length;
    const result = run(["test", "--json"]);
    expect(result.code).toBe(0);
    const added = (await records()).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      kind: "test",
      skill: "doubler",
      version: "1.2.0",
      case: "doubles",
      outcome: "ok",
    });
  });

  it("a run refused before it started is logged with its error and no isolation", async () => {
    expect(run(["exec", "--lang", "python", "--code", "result = 1"]).code).toBe(0);
    const before = (await records()).length;
    const result = run(["exec", "--lang", "python", "--code", "result = 1", "--require-isolation"], {
      env: { SKILLS_FORCE_ISOLATION: "process" },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("SANDBOX_UNAVAILABLE");
    const added = (await records()).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      kind: "exec",
      outcome: "error",
      "error.type": "SANDBOX_UNAVAILABLE",
      isolation: "none",
      duration_ms: 0,
      tool_calls: 0,
    });
    // `skills metrics` counts it as a failed run, without a duration of 0 pulling the percentiles down.
    const ok = (await records()).at(-2)!;
    expect(ok.outcome).toBe("ok");
    const metrics = JSON.parse(run(["metrics", "--skill", "(exec)", "--json"]).stdout) as {
      summary: { totals: { runs: number; failed: number; durationMs: { p50: number } } };
    };
    expect(metrics.summary.totals).toMatchObject({ runs: 2, failed: 1, durationMs: { p50: ok.duration_ms } });
  });
});
