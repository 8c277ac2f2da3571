/**
 * What a program cannot read, through the real path (bwrap): the tests and recordings of its own skill (cassettes
 * hold the real values the servers saw) are never staged into /skill, and /sdk holds only the run's own SDK tree
 * (other projects' trees in the shared cache, with their tool descriptions, are not mounted).
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProgram } from "../../src/sandbox/index.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skills-host-only-"));
  await chmod(dir, 0o755);
  await mkdir(join(dir, "cassettes"));
  await mkdir(join(dir, "tests"));
  await writeFile(join(dir, "cassettes", "basic.json"), '{"calls": [{"result": "ada@example.com"}]}');
  await writeFile(join(dir, "tests", "basic.yaml"), "name: basic\n");
  await writeFile(join(dir, "main.py"), "def run(input):\n    return 1\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const PROGRAM = `import os
def listing(path):
    try:
        return sorted(os.listdir(path))
    except OSError as error:
        return type(error).__name__
def run(input):
    try:
        cassette = open("/skill/cassettes/basic.json").read()
    except OSError as error:
        cassette = type(error).__name__
    return {"skill": listing("/skill"), "cassettes": listing("/skill/cassettes"), "tests": listing("/skill/tests"),
            "cassette": cassette, "sdk": listing("/sdk")}
`;

describe("host-only files stay out of the sandbox", () => {
  it("a skill's tests/ and cassettes/ are not staged, and /sdk holds only the run's own tree", async () => {
    const run = await runProgram({
      language: "python",
      code: PROGRAM,
      tools: [],
      skillDir: dir,
      requireIsolation: true,
    });
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual({
      skill: ["main.py"],
      cassettes: "FileNotFoundError",
      tests: "FileNotFoundError",
      cassette: "FileNotFoundError",
      sdk: ["servers"],
    });
  }, 60_000);
});
