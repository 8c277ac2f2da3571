/**
 * openExecution: the one preamble of run, exec, repl and test, against real sandboxed runs and a real MCP server.
 * Every finished run and session cell reaches the observer (where the run log hooks in).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ExecutionRecord, openExecution } from "../../src/commands/shared/execution.js";
import { skillsAsync } from "../helpers/cli.js";

const repo = resolve(import.meta.dirname, "../..");
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "skills-execution-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("openExecution", () => {
  test("runs programs and cells with the tools asked for, and reports each to the observer", async () => {
    const records: ExecutionRecord[] = [];
    const execution = await openExecution({
      kind: "exec",
      cwd: repo,
      tools: { keys: ["everything/get-sum"] },
      onRun: (record) => records.push(record),
    });
    try {
      expect(execution.tools.map((tool) => `${tool.server}/${tool.name}`)).toEqual(["everything/get-sum"]);
      const code = "from servers.everything import get_sum\nresult = get_sum(a=20, b=22)\n";
      const run = await execution.run({ language: "python", code, input: {} });
      expect(run).toMatchObject({ ok: true, result: expect.anything() });
      expect(JSON.stringify(run.result)).toContain("42");
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ kind: "exec", language: "python", code, result: { ok: true } });
      expect(records[0]!.result.toolCalls.map((call) => call.tool)).toEqual(["everything/get-sum"]);
      expect(records[0]!.startedAt).toBeGreaterThan(Date.now() - 60_000);

      const session = execution.openSession({ language: "python", skill: { name: "demo", version: "1.0.0" } });
      try {
        expect((await session.execute("x = 41\n")).ok).toBe(true);
        expect((await session.execute("x + 1\n")).result).toBe(42);
      } finally {
        await session.close();
      }
      expect(records.slice(1).map((r) => [r.code, r.skill?.name, r.result.ok])).toEqual([
        ["x = 41\n", "demo", true],
        ["x + 1\n", "demo", true],
      ]);
    } finally {
      await execution.close();
    }
  });

  test("a fresh PII vault per run; the run's audit reaches the record", async () => {
    const records: ExecutionRecord[] = [];
    const execution = await openExecution({ kind: "run", cwd: repo, onRun: (record) => records.push(record) });
    try {
      const code = 'result = "write to ada@example.com"\n';
      const first = await execution.run({ language: "python", code, skill: { name: "mail", version: "0.1.0" } });
      expect(first.result).toBe("write to [EMAIL_1]");
      expect(records[0]?.skill).toEqual({ name: "mail", version: "0.1.0" });
      expect(records[0]?.result.pii).toMatchObject({ mode: "default", types: { email: { scrubbed: 1 } } });
      // A privacy block turns the detector off for this run only.
      const off = await execution.run({ language: "python", code, privacy: { mode: "off" } });
      expect(off.result).toBe("write to ada@example.com");
    } finally {
      await execution.close();
    }
  });

  test("a tool that no server has is refused before anything runs", async () => {
    await expect(
      openExecution({ kind: "exec", cwd: repo, tools: { keys: ["everything/no-such-tool"] } }),
    ).rejects.toMatchObject({
      code: "TOOL_NOT_FOUND",
    });
  });
});

describe("requireIsolation from the project applies to every kind of run", () => {
  test("skills repl refuses to start without bwrap when skills.config.json requires isolation", async () => {
    const project = join(scratch, "strict");
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "skills.config.json"), JSON.stringify({ requireIsolation: true }));
    const result = await skillsAsync(["repl", "--lang", "python", "--json"], {
      cwd: project,
      input: "x = 1\n",
      env: { SKILLS_FORCE_ISOLATION: "process" },
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: "SANDBOX_UNAVAILABLE" } });
  });
});
