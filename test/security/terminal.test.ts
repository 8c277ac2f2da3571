/**
 * What a program prints cannot drive the terminal of the person running it: stdout, stderr, the result, the error
 * message and traceback, and the text of a refused tool call reach the human output with every control character
 * escaped; `--json` keeps the exact text (JSON escapes it). Real programs in the real sandbox, through the CLI's
 * own rendering (the CLI in this process, from src/).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { skillsInProcess } from "../helpers/cli.js";

const cwd = mkdtempSync(join(tmpdir(), "skills-terminal-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Every control character a terminal acts on, but newline and tab (ESC, BEL, CR, C1, bidi overrides). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const ATTACK = "\u001b]0;pwned\u0007\u001b[2J\u001b[H\u009b31m\u202e\r✓ ok exec python";

const PY = `
import sys
from servers._runtime import call_tool, ToolError
print(${JSON.stringify(ATTACK)})
print(${JSON.stringify(ATTACK)}, file=sys.stderr)
try:
    call_tool("srv\\x1b[2J", "t\\x07", {})
except ToolError as e:
    print("tool said:", e, file=sys.stderr)
def run(input):
    if input == "fail":
        raise ValueError(${JSON.stringify(ATTACK)})
    return {"text": ${JSON.stringify(ATTACK)}, ${JSON.stringify(ATTACK)}: 1}
`;

const TS = `
console.log(${JSON.stringify(ATTACK)});
console.error(${JSON.stringify(ATTACK)});
export async function run(input: unknown) {
  if (input === "fail") throw new Error(${JSON.stringify(ATTACK)});
  return ${JSON.stringify(ATTACK)};
}
`;

async function exec(language: string, code: string, input: string, json = false) {
  const args = ["exec", "--lang", language, "--code", code, "--input", JSON.stringify(input)];
  return skillsInProcess(json ? [...args, "--json"] : args, cwd);
}

describe.each([
  ["python", PY],
  ["typescript", TS],
])("%s: program output on a terminal", (language, code) => {
  test("a successful run: logs, stderr and result are printed with their control characters escaped", async () => {
    const out = await exec(language, code, "ok");
    expect(out.code).toBe(0);
    expect(out.out).not.toMatch(CONTROLS);
    expect(out.err).not.toMatch(CONTROLS);
    expect(out.out).toContain("\\x1b]0;pwned\\x07\\x1b[2J\\x1b[H\\x9b31m\\u202e\\r✓ ok exec python");
    // the only real outcome line is the toolkit's own, at the start of the output
    expect(out.out.split("\n").filter((line) => line.startsWith("✓ ok"))).toHaveLength(1);
    if (language === "python") expect(out.out).toContain("srv\\x1b[2J/t\\x07");
  }, 60_000);

  test("a failing run: the error message and the traceback are escaped too", async () => {
    const out = await exec(language, code, "fail");
    expect(out.code).toBe(1);
    expect(out.out + out.err).not.toMatch(CONTROLS);
    expect(out.out + out.err).toContain("\\x1b]0;pwned\\x07");
  }, 60_000);

  test("--json keeps the exact text (escaped by JSON, not by us)", async () => {
    const out = await exec(language, code, "ok", true);
    expect(out.code).toBe(0);
    expect(out.out).not.toMatch(CONTROLS);
    const parsed = JSON.parse(out.out) as { run: { logs: string; stderr: string; result: unknown } };
    expect(parsed.run.logs).toBe(`${ATTACK}\n`);
    expect(parsed.run.stderr.startsWith(`${ATTACK}\n`)).toBe(true);
    expect(JSON.stringify(parsed.run.result)).toContain(JSON.stringify(ATTACK).slice(1, -1));
  }, 60_000);
});
