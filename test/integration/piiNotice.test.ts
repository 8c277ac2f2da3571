/**
 * PII tokenization's first use in a project is announced once, and every run it changed says what the program saw:
 * the built CLI, a real filesystem server reading a file with an address in it, the real sandbox. The runs that show
 * the notice run the binary; the others run the same CLI through main() in this process, which loads what a start
 * needs once instead of at every run.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { skillsMain, skillsSync } from "../helpers/cli.js";
import { makeServeProject } from "../helpers/serveProject.js";

let project: string;
let cache: string;

const READ = 'from servers.filesystem import read_text_file\nresult = read_text_file(path="contact.txt")["content"]\n';
const NOTE = /^note: PII tokenization is on by default: .* \[EMAIL_1\].* `--pii off` .* shown once per project\.$/m;

const execArgs = (code: string, extra: string[]) => [
  "exec",
  "--lang",
  "python",
  "--tools",
  "filesystem/read_text_file",
  "--code",
  code,
  ...extra,
];
// The notice's marker lives in the cache folder: this test's own, so other tests' runs do not count.
const exec = (code: string, ...extra: string[]) =>
  skillsSync(execArgs(code, extra), { cwd: project, env: { SKILLS_CACHE_DIR: cache } });
const execInProcess = (code: string, ...extra: string[]) =>
  skillsMain(execArgs(code, extra), { cwd: project, env: { SKILLS_CACHE_DIR: cache } });

beforeAll(async () => {
  project = await makeServeProject(["filesystem"]);
  cache = await mkdtemp(join(tmpdir(), "skills-pii-notice-cache-"));
  await writeFile(join(project, "contact.txt"), "write to ada@example.com\n");
  await writeFile(join(project, "plain.txt"), "nothing personal here\n");
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
  await rm(cache, { recursive: true, force: true });
});

describe("PII tokenization is announced", () => {
  test("a run that tokenizes nothing says nothing, and does not use up the notice", async () => {
    const plain = await execInProcess(
      'from servers.filesystem import read_text_file\nresult = read_text_file(path="plain.txt")',
    );
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toMatch(/^note:|^pii /m);
  });

  test("the first run it changed carries the notice; every such run says what the program saw", async () => {
    const first = exec(READ);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^ {2}write to \[EMAIL_1\]$/m);
    expect(first.stdout).toMatch(
      /^pii \(default\): the program saw 1 value of tool results as a token \(\[EMAIL_1\]…\) \(email 1\)$/m,
    );
    expect(first.stdout).toMatch(NOTE);
    expect(await readdir(cache)).toContain("pii-notice-shown");

    const second = await execInProcess(READ);
    expect(second.stdout).toMatch(/^pii \(default\): the program saw 1 value/m);
    expect(second.stdout).not.toMatch(/^note:/m);
  });

  test("--json has the notice as notes on first use; --pii off tokenizes nothing and notes nothing", async () => {
    await rm(join(cache, "pii-notice-shown"));
    const off = await execInProcess(READ, "--pii", "off");
    expect(off.stdout).toContain("ada@example.com");
    expect(off.stdout).not.toMatch(/^note:|^pii /m);
    const json = JSON.parse((await execInProcess(READ, "--json")).stdout);
    expect(json.notes).toEqual([expect.stringMatching(/^PII tokenization is on by default/)]);
    expect(json.run.pii.types.email.tokenized).toBe(1);
    expect(JSON.parse((await execInProcess(READ, "--json")).stdout).notes).toBeUndefined();
  });

  test("skills run announces it too", async () => {
    await rm(join(cache, "pii-notice-shown"));
    const dir = join(project, "skills/read-contact");
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, "SKILL.md"),
      "---\nname: read-contact\ndescription: Reads the contact file of the project, for this test.\n---\n\nRead it.\n",
    );
    await writeFile(
      join(dir, "manifest.yaml"),
      [
        "name: read-contact",
        "version: 0.1.0",
        "language: python",
        "entry: main.py",
        "tools:",
        '  filesystem/read_text_file: "^0.2.0"',
        "",
      ].join("\n"),
    );
    await writeFile(
      join(dir, "main.py"),
      'from servers.filesystem import read_text_file\n\n\ndef run(input):\n    return read_text_file(path="contact.txt")["content"]\n',
    );
    const run = skillsSync(["run", "read-contact"], { cwd: project, env: { SKILLS_CACHE_DIR: cache } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(NOTE);
    const again = await skillsMain(["run", "read-contact"], { cwd: project, env: { SKILLS_CACHE_DIR: cache } });
    expect(again.stdout).not.toMatch(/^note:/m);
    expect(again.stdout).toMatch(/^pii \(default\): the program saw 1 value/m);
  });
});
