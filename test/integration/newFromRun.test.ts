/**
 * `skills new --from-run` end to end with the real CLI and MCP servers: an exec run becomes a skill that validates
 * strictly, records its cassette, and passes its test offline; and every way it can be refused. The whole way from a
 * run to a skill, and one refusal, run the built binary; the other cases run the same CLI through main() in this
 * process, which loads what a start needs once instead of at every run.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, skillsMain, skillsSync } from "../helpers/cli.js";
import { type TempProject, tempProject } from "../helpers/project.js";

let p: TempProject;
beforeAll(async () => {
  p = await tempProject({}, "skills-from-run-");
});
afterAll(async () => {
  await p?.remove();
});

const run = (args: string[]) => skillsSync(args, { cwd: p.dir, env: p.env, timeout: 120_000 });
const inProcess = (args: string[]) => skillsMain(args, { cwd: p.dir, env: p.env });

const PROGRAM = `from servers.everything import get_sum, echo

def run(input):
    total = get_sum(a=input["a"], b=input["b"])[0]["text"]
    said = echo(message="done")[0]["text"]
    return {"total": total, "said": said}
`;

function runId(result: CliResult): string {
  expect(result.code, result.stdout + result.stderr).toBe(result.stdout.includes('"ok": false') ? 1 : 0);
  return (JSON.parse(result.stdout) as { runId: string }).runId;
}
const execArgs = (code: string, extra: string[]) => ["exec", "--lang", "python", "--code", code, "--json", ...extra];
const execRun = (code: string, extra: string[] = []): string => runId(run(execArgs(code, extra)));
const execInProcess = async (code: string, extra: string[] = []): Promise<string> =>
  runId(await inProcess(execArgs(code, extra)));

describe("skills new --from-run", () => {
  it("turns an exec run into a skill that validates, records and passes its test", async () => {
    const id = execRun(PROGRAM, ["--tools", "everything/get-sum,everything/echo", "--input", '{"a": 2, "b": 3}']);
    expect(id).toMatch(/^r_[0-9a-f]{16}$/);
    const made = run(["new", "add-and-echo", "--from-run", id, "--input", '{"a": 2, "b": 3}']);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain("created skills/add-and-echo (python, from run");
    expect(made.stdout).toContain(
      "valid its files pass skills validate --strict; the test needs its recording (next) before the whole skill does",
    );
    const dir = join(p.dir, "skills/add-and-echo");
    const manifest = parse(await readFile(join(dir, "manifest.yaml"), "utf8"));
    expect(manifest).toMatchObject({
      name: "add-and-echo",
      language: "python",
      entry: "main.py",
      output: { type: "object" },
      tools: {
        "everything/get-sum": expect.stringMatching(/^\^\d+\.\d+\.\d+/),
        "everything/echo": expect.stringMatching(/^\^/),
      },
    });
    expect(await readFile(join(dir, "main.py"), "utf8")).toBe(
      `# Made from run ${id} (${new Date().toISOString().slice(0, 10)}) with \`skills new --from-run\`.\n${PROGRAM}`,
    );
    expect(parse(await readFile(join(dir, "tests/from-run.yaml"), "utf8"))).toMatchObject({
      name: "from-run",
      input: { a: 2, b: 3 },
      expect: { schema: { type: "object" } },
    });
    expect(await readFile(join(dir, "SKILL.md"), "utf8")).toContain("## When to use");

    // Until the test is recorded it replays nothing of the calls: validate says so, and what to run.
    const early = run(["validate", "--strict", "skills/add-and-echo"]);
    expect(early.code).toBe(1);
    expect(early.stdout).toContain("CASSETTE_EMPTY");
    expect(early.stdout).toContain("skills test add-and-echo --record");
    const recorded = run(["test", "--record", "skills/add-and-echo"]);
    expect(recorded.code, recorded.stdout).toBe(0);
    const replayed = run(["test", "skills/add-and-echo"]);
    expect(replayed.code, replayed.stdout).toBe(0);
    expect(replayed.stdout).toContain("1 passed, 0 failed");
    expect(run(["validate", "--strict", "skills/add-and-echo"]).code).toBe(0);
  }, 180_000);

  it("warns when the run had an input the log does not keep, and the test case uses {}", async () => {
    const id = await execInProcess("def run(input):\n    return [input.get('x', 0)]\n", ["--input", '{"x": 5}']);
    const made = await inProcess(["new", "echo-x", "--from-run", id, "--json"]);
    expect(made.code).toBe(0);
    const result = JSON.parse(made.stdout);
    expect(result).toMatchObject({
      ok: true,
      testInput: "empty",
      tools: [],
      run: { id, resultType: "array", inputBytes: 7 },
    });
    expect(result.warnings).toEqual([
      `run ${id} had an input (7 bytes of JSON) that the run log does not keep: the test case uses {} — pass the same input with --input`,
    ]);
    expect((await inProcess(["test", "skills/echo-x"])).code).toBe(0);
  }, 60_000);

  it.each([
    [["new", "x-skill", "--from-run", "nope"], 2, 'INVALID_ARGUMENT  "nope" is not a run id'],
    [
      ["new", "x-skill", "--from-run", "r_00000000deadbeef"],
      2,
      "RUN_NOT_FOUND  no run r_00000000deadbeef in the run log",
    ],
    [
      ["new", "x-skill", "--from-run", "r_1234", "--lang", "ts"],
      2,
      "USAGE  --lang and --tools cannot be used with --from-run",
    ],
    [["new", "Bad_Name", "--from-run", "r_1234"], 2, "NAME_INVALID"],
    [["new", "x-skill", "--input", "{}"], 2, "USAGE  --input and --config go with --from-run"],
  ])("%j is refused", async (args, code, message) => {
    const result = args.includes("nope") ? run(args) : await inProcess(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("hint:");
  });

  it("refuses a run that is not an exec run, and one whose code was not kept", async () => {
    // A skill run: its code is a skill already.
    const made = await inProcess(["new", "greeter"]);
    expect(made.code).toBe(0);
    const ran = JSON.parse((await inProcess(["run", "greeter", "--json"])).stdout) as { runId: string };
    const notExec = await inProcess(["new", "copy-of-greeter", "--from-run", ran.runId]);
    expect(notExec.code).toBe(2);
    expect(notExec.stderr).toContain(`run ${ran.runId} is a run run; --from-run takes exec runs`);
    // A program with personal data in its text is never kept beside the log.
    const id = await execInProcess('OWNER = "ada.lovelace@example.com"\nresult = len(OWNER)\n');
    const missing = await inProcess(["new", "owner-length", "--from-run", id]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`RUN_CODE_MISSING  the code of run ${id} is not beside the run log`);
  }, 120_000);

  it("never overwrites a folder", async () => {
    const id = await execInProcess("result = 1\n");
    await writeFile(join(p.dir, "skills", "taken"), "a file in the way\n").catch(() => undefined);
    const result = await inProcess(["new", "greeter", "--from-run", id]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("SKILL_EXISTS  skills/greeter already exists; nothing was changed");
  }, 60_000);
});
