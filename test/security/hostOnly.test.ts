/**
 * What a program cannot read, through the real path (bwrap): the tests and recordings of its own skill (cassettes
 * hold the real values the servers saw) when the skill folder is mounted as it is, and the list of other SDK trees
 * in the shared cache (other projects' tool descriptions).
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
  it("a skill mounted as is shows empty tests/ and cassettes/, and /sdk cannot be listed", async () => {
    const run = await runProgram({
      language: "python",
      code: PROGRAM,
      tools: [],
      skillDir: dir,
      requireIsolation: true,
    });
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual({
      skill: ["cassettes", "main.py", "tests"],
      cassettes: [],
      tests: [],
      cassette: "FileNotFoundError",
      sdk: "PermissionError",
    });
  }, 60_000);
});
