/**
 * The built `skills` binary: the README's quick-start command, JSON output, exit codes 0/1/2, stdin for exec and
 * repl, doctor's isolation line, forced process isolation, and --help of every command of this part.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { skillsSync } from "../helpers/cli.js";

const repo = resolve(import.meta.dirname, "../..");
const bin = resolve(repo, "bin/skills.js");

/** Runs a Python pty driver (`driver` gets node and the CLI as its arguments): the REPL in a real terminal. */
const inTerminal = (driver: string) =>
  spawnSync("/usr/bin/python3", ["-c", driver, process.execPath, bin], {
    cwd: repo,
    encoding: "utf8",
    timeout: 90_000,
  });

const skills = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
  skillsSync(args, { cwd: repo, ...options });

function expectNoStack(text: string): void {
  expect(text).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
}

describe("skills run (binary)", () => {
  test("the README's quick-start command prints a real result computed in the sandbox", () => {
    const out = skills(["run", "summarize-directory", "--input", '{"path": "src"}']);
    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^✓ ok summarize-directory 1\.0\.0 .*isolation bwrap/);
    expect(out.stdout).toContain('"by_extension"');
    expect(out.stdout).toContain("filesystem/get_file_info");
  });

  test("--json prints the run result object", () => {
    const out = skills(["run", "everything-chain", "--input", '{"numbers": [1, 2], "cities": ["Chicago"]}', "--json"]);
    expect(out.code).toBe(0);
    const parsed = JSON.parse(out.stdout);
    expect(parsed).toMatchObject({
      ok: true,
      skill: { name: "everything-chain", version: "1.0.0", language: "python" },
      run: { ok: true, isolation: "bwrap", timedOut: false, killedBy: null, result: { total: 3, warmest: "Chicago" } },
    });
    expect(parsed.run.toolCalls.length).toBe(3);
  });

  test("bad input exits 2 with position and hint, no stack trace", () => {
    const out = skills(["run", "summarize-directory", "--input", '{"path": "src", "top": "many"}']);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe("");
    expect(out.stderr).toContain("error --input:1:24  INPUT_INVALID");
    expect(out.stderr).toContain("/top: must be integer");
    expect(out.stderr).toContain("hint:");
    expectNoStack(out.stderr);
  });

  test("a failed run exits 1 and shows the error with a hint", () => {
    const out = skills(["run", "everything-chain", "--input", '{"numbers": [1], "cities": ["Atlantis"]}']);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^✗ failed everything-chain/);
    expect(out.stdout).toMatch(
      /error TOOL_ARGS_INVALID {2}ToolError: everything\/get-structured-content: invalid arguments/,
    );
    expect(out.stdout).toContain("hint:");
  });

  test("name@version that is not a release is an input error (exit 2)", () => {
    const out = skills(["run", "find-todos@99.0.0"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/VERSION_NOT_FOUND\s+find-todos/);
  });

  test("a bad --timeout is a usage error", () => {
    const out = skills(["run", "find-todos", "--timeout", "soon"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("--timeout must be a whole number of milliseconds");
  });

  test("--require-isolation refuses to run when only process isolation is available", () => {
    const out = skills(
      ["run", "everything-chain", "--input", '{"numbers": [1], "cities": ["Chicago"]}', "--require-isolation"],
      {
        env: { SKILLS_FORCE_ISOLATION: "process" },
      },
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("SANDBOX_UNAVAILABLE");
    expect(out.stderr).toContain("skills doctor");
    expectNoStack(out.stderr);
  });

  test("without --require-isolation, process isolation runs but says so loudly", () => {
    const out = skills(["run", "everything-chain", "--input", '{"numbers": [1], "cities": ["Chicago"]}'], {
      env: { SKILLS_FORCE_ISOLATION: "process" },
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("isolation process");
    expect(out.stdout).toMatch(/warning: .*NOT sandboxed/);
  });

  test("--cells prints every cell with its time", () => {
    const out = skills([
      "run",
      "summarize-directory",
      "--input",
      '{"path": "skills/find-todos/tests/fixture"}',
      "--cells",
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("cell 1 (line 1)");
    expect(out.stdout).toContain("cell 3 (line 37)");
    expect(out.stdout).toMatch(/✓ 4 cells in [\d.]+ ms/);
  });
});

describe("skills exec / repl / doctor (binary)", () => {
  test("exec reads the program from stdin with -", () => {
    const out = skills(["exec", "--lang", "python", "--tools", "everything/get-sum", "-"], {
      input: "from servers.everything import get_sum\nresult = get_sum(a=2, b=40)[0]['text']\n",
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("The sum of 2 and 40 is 42.");
  });

  test("exec with an empty program is a usage error", () => {
    const out = skills(["exec", "--lang", "python", "-"], { input: "\n" });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("is empty");
  });

  test("exec --json of a typescript program", () => {
    const out = skills([
      "exec",
      "--lang",
      "typescript",
      "--code",
      "export const result = [1, 2, 3].map((n) => n * n);",
      "--json",
    ]);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ ok: true, language: "typescript", run: { result: [1, 4, 9] } });
  });

  test("exec of a program that raises exits 1", () => {
    const out = skills(["exec", "--lang", "python", "--code", "raise ValueError('nope')"]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain("ValueError: nope");
  });

  test("repl runs blocks from stdin in one session", () => {
    const out = skills(["repl", "--lang", "python"], { input: "x = 21\n\nx * 2\n%%\ny = x + 1\n\ny\n" });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/✓ ok \[2\][\s\S]*42/);
    expect(out.stdout).toMatch(/✓ ok \[4\][\s\S]*22/);
  });

  test("repl --json prints one object per block and exits 1 when a block failed", () => {
    const out = skills(["repl", "--lang", "python", "--json"], { input: "1 + 1\n\nboom()\n" });
    expect(out.code).toBe(1);
    const lines = out.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.block, line.ok])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(lines[0].result).toBe(2);
  });

  test("repl --json escapes the controls a program printed (C1, bidi) that JSON leaves raw, and parses back", () => {
    // JSON.stringify escapes C0 controls itself; U+009B (CSI) and U+202E (right-to-left override) it writes raw
    const out = skills(["repl", "--lang", "python", "--json"], { input: "print('\\u009b2Jred\\u202e')\n'\\u009b0m'\n" });
    expect(out.code).toBe(0);
    expect(out.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out.stdout).toContain("\\u009b2Jred\\u202e");
    const [block] = out.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(block.logs).toBe("\u009b2Jred\u202e\n");
    expect(block.result).toBe("\u009b0m");
  });

  test("doctor says isolation: bwrap on this machine", () => {
    const out = skills(["doctor"]);
    expect(out.code).toBe(0);
    expect(out.stdout.split("\n")[0]).toBe("isolation: bwrap");
    expect(out.stdout).toContain("python");
  });

  test("doctor --json", () => {
    const out = skills(["doctor", "--json"]);
    expect(JSON.parse(out.stdout)).toMatchObject({ ok: true, isolation: { isolation: "bwrap" } });
  });

  test.each([
    ["run", ["--input", "--timeout", "--require-isolation", "--cells", "--config", "--json"]],
    ["exec", ["--lang", "--code", "--file", "--tools", "--all-tools", "--input", "--timeout", "--json"]],
    ["repl", ["--lang", "--tools", "--all-tools", "--json"]],
    ["doctor", ["--servers", "--json"]],
  ])("%s --help lists its options", (command, options) => {
    const out = skills([command, "--help"]);
    expect(out.code).toBe(0);
    for (const option of options) expect(out.stdout).toContain(option);
  });
});

describe("doctor under process isolation (binary)", () => {
  test("says isolation: process, why, and warns instead of 'everything looks fine'", () => {
    const out = skills(["doctor"], { env: { SKILLS_FORCE_ISOLATION: "process" } });
    expect(out.code).toBe(0);
    expect(out.stdout.split("\n")[0]).toMatch(/^isolation: process/);
    expect(out.stdout).toContain("SKILLS_FORCE_ISOLATION=process forces process isolation");
    expect(out.stdout).toMatch(/warning: programs run with resource limits only/);
    expect(out.stdout).not.toContain("everything looks fine");
  });

  test("is a problem (exit 1) when the project requires isolation", async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(resolve(tmpdir(), "skills-doctor-req-"));
    try {
      writeFileSync(resolve(dir, "skills.config.json"), JSON.stringify({ requireIsolation: true }));
      const result = spawnSync(process.execPath, [bin, "doctor"], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: "1", SKILLS_FORCE_ISOLATION: "process" },
        encoding: "utf8",
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain("the project requires isolation");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("skills repl on a terminal (binary, real pty)", () => {
  test("prompts with >>> and ..., runs blocks on a blank line, quits on Ctrl-D", () => {
    // Python's pty module gives the CLI a real terminal on stdin/stdout/stderr.
    const driver = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.environ["NO_COLOR"] = "1"
    os.execv(sys.argv[1], [sys.argv[1], sys.argv[2], "repl", "--lang", "python"])
out = b""
def until(token, seconds=40, start=0):
    global out
    end = time.time() + seconds
    while token not in out[start:] and time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    if token not in out[start:]:
        sys.stdout.write(out.decode("utf8", "replace"))
        sys.exit("timed out waiting for %r" % token)
until(b">>> ")
os.write(fd, b"x = 21\\n")
until(b"... ")
os.write(fd, b"\\n")
until(b"[1]")
os.write(fd, b"x * 2\\n\\n")
until(b"42")
until(b">>> ", start=out.index(b"42"))
os.write(fd, b"\\x04")
_, status = os.waitpid(pid, 0)
try:
    out += os.read(fd, 65536)
except OSError:
    pass
sys.stdout.write(out.decode("utf8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
`;
    const result = inTerminal(driver);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("skills repl (python)");
    expect(result.stdout).toContain(">>> ");
    expect(result.stdout).toContain("... ");
    expect(result.stdout).toMatch(/✓ ok \[2\][\s\S]*42/);
  });

  test("Ctrl-D while a block runs: the block finishes, then the REPL exits (one Ctrl-D is enough)", () => {
    const driver = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.environ["NO_COLOR"] = "1"
    os.execv(sys.argv[1], [sys.argv[1], sys.argv[2], "repl", "--lang", "python"])
out = b""
open_fd = True
def read(seconds):
    global out, open_fd
    end = time.time() + seconds
    while time.time() < end:
        if open_fd:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    out += os.read(fd, 4096)
                except OSError:
                    open_fd = False
        else:
            time.sleep(0.05)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
while b">>> " not in out:
    read(0.2)
os.write(fd, b"import time\\ntime.sleep(1)\\n6 * 7\\n\\n")
time.sleep(0.3)
os.write(fd, b"\\x04")
status = read(20)
sys.stdout.write(out.decode("utf8", "replace"))
if status is None:
    os.kill(pid, 9)
    sys.exit("still running 20 s after Ctrl-D")
sys.exit(os.waitstatus_to_exitcode(status))
`;
    const result = inTerminal(driver);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/✓ ok \[1\][\s\S]*42/);
  });
});
