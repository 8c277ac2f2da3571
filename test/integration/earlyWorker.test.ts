/**
 * A sandbox worker started before the run that needs it (skills exec starts one while its handler loads): the run
 * takes it (still a cold start of its own, not reported warm) and stages its SDK into it; a worker of another language
 * or interpreter is left alone and disposed by the early start's end; nothing outlives it. Then the same through the
 * built CLI.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createRunner, prestartWorker } from "../../src/sandbox/index.js";
import { prestartedCount } from "../../src/sandbox/runner.js";
import { spawnSync } from "node:child_process";
import { CLI, skillsSync } from "../helpers/cli.js";
import { writeSkill } from "../helpers/gitRepo.js";
import { type TempProject, tempProject } from "../helpers/project.js";
import {
  type TestBackend,
  createTestBackend,
  leftoverCgroups,
  settledSandboxProcesses,
} from "../unit/sandbox/helpers.js";

let project: TempProject | undefined;

/** Live processes running as one of the uids a host process with this pid gives its sandboxed runs. */
function runsOf(pid: number): string[] {
  const first = 200_000 + (pid % 800) * 1000;
  return spawnSync("ps", ["-eo", "uid=,stat=,args="], { encoding: "utf8" })
    .stdout.split("\n")
    .filter((line) => {
      const [uid, stat] = line.trim().split(/\s+/);
      return Number(uid) >= first && Number(uid) < first + 1000 && !stat?.startsWith("Z");
    });
}
let backend: TestBackend | undefined;

/**
 * A command refused after its worker was started early (exit 2, `code`): the CLI ends that worker before it exits,
 * so no process of its runs' uids (found from its pid) is left.
 */
function refusedLeavingNoRun(args: string[], code: string): void {
  const refused = spawnSync(process.execPath, [CLI, ...args], {
    cwd: project?.dir,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  expect(refused.status).toBe(2);
  expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, error: { code } });
  expect(runsOf(refused.pid)).toEqual([]);
}

afterAll(async () => {
  await backend?.close();
  await project?.remove();
});

describe("a worker started early", () => {
  it("is taken by the next run of its language, with the run's SDK staged, and reported cold", async () => {
    backend = await createTestBackend();
    const end = await prestartWorker("python");
    expect(prestartedCount()).toBe(1);
    const runner = createRunner();
    try {
      const run = await runner.run({
        language: "python",
        code: "from servers.demo import add\nresult = add(a=2, b=3)",
        tools: backend.tools,
        backend,
      });
      expect(run).toMatchObject({ ok: true, result: { sum: 5 }, warm: false });
      expect(prestartedCount()).toBe(0);
      await end();
    } finally {
      await runner.close();
    }
  });

  it("of another language is not taken, and its end disposes it: no process or cgroup is left", async () => {
    const end = await prestartWorker("typescript");
    const runner = createRunner();
    try {
      const run = await runner.run({ language: "python", code: "result = 7", tools: [] });
      expect(run).toMatchObject({ ok: true, result: 7 });
      expect(prestartedCount()).toBe(1);
    } finally {
      await runner.close();
    }
    await end();
    expect(prestartedCount()).toBe(0);
    expect(await settledSandboxProcesses()).toEqual([]);
    for (let i = 0; i < 40 && leftoverCgroups().length > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(leftoverCgroups()).toEqual([]);
  });

  it("for a node run is taken only by a run with the same rlimits (a node worker starts with them)", async () => {
    const limits = { timeoutMs: 20_000, maxProcesses: 40 };
    const end = await prestartWorker("typescript", { limits });
    const runner = createRunner();
    try {
      const other = await runner.run({ language: "typescript", code: "export const result = 1", tools: [] });
      expect(other).toMatchObject({ ok: true, result: 1 });
      expect(prestartedCount()).toBe(1);
      const same = await runner.run({ language: "typescript", code: "export const result = 2", tools: [], limits });
      expect(same).toMatchObject({ ok: true, result: 2, warm: false });
      expect(prestartedCount()).toBe(0);
    } finally {
      await runner.close();
      await end();
    }
  });

  it("of another interpreter is not taken", async () => {
    const end = await prestartWorker("python", { python: "/usr/bin/python3.11" });
    const runner = createRunner({ python: "/usr/bin/python3" });
    try {
      expect(await runner.run({ language: "python", code: "result = 1", tools: [] })).toMatchObject({ ok: true });
      expect(prestartedCount()).toBe(1);
    } finally {
      await runner.close();
      await end();
    }
    expect(prestartedCount()).toBe(0);
  });
});

describe("skills run starts its sandbox while it checks the input and connects the servers", () => {
  it("runs the skill in it; a run refused for its input leaves no sandbox behind", async () => {
    project ??= await tempProject();
    await writeSkill(project.dir, "early-run", {
      code: "def run(input):\n    return {'value': str(input['n'] * 2)}\n",
    });
    const ok = skillsSync(["run", "early-run", "--input", '{"n": 21}', "--json"], { cwd: project.dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).run).toMatchObject({ ok: true, result: { value: "42" }, isolation: "bwrap" });
    refusedLeavingNoRun(["run", "early-run", "--input", '{"n": "x"}', "--json"], "INPUT_INVALID");
    expect(await settledSandboxProcesses()).toEqual([]);
  });
});

describe("skills exec starts its sandbox while it loads", () => {
  it("runs the program in it; a refused exec (input that is not JSON) leaves no sandbox behind", async () => {
    project ??= await tempProject();
    const ok = skillsSync(["exec", "--lang", "py", "--code", "result = 6 * 7", "--json"], { cwd: project.dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).run).toMatchObject({ ok: true, result: 42, warm: false, isolation: "bwrap" });
    refusedLeavingNoRun(
      ["exec", "--lang", "python", "--code", "result = input", "--input", "{nope", "--json"],
      "INPUT_INVALID",
    );
    const unknown = skillsSync(["exec", "--lang", "cobol", "--code", "x", "--json"], { cwd: project.dir });
    expect(JSON.parse(unknown.stdout)).toMatchObject({ ok: false, error: { code: "INVALID_ARGUMENT" } });
    expect(await settledSandboxProcesses()).toEqual([]);
  });
});
