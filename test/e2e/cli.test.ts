/** Spawns the built `skills` binary (bin/skills.js -> dist/) and checks stdout, stderr and exit codes. */
import { spawnSync } from "node:child_process";
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skillsSync } from "../helpers/cli.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/skills.js");
const FIXTURES = join(ROOT, "test/fixtures");
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[/;
let project: string;

const skills = (args: string[], env: Record<string, string | undefined> = {}) =>
  skillsSync(args, { cwd: project, env: { NO_COLOR: undefined, FORCE_COLOR: undefined, ...env }, timeout: 30_000 });

function noStackTrace(text: string) {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-e2e-"));
  // mkdtemp makes the folder 0700; the sandbox runs skills as an unprivileged uid that must be able to enter it.
  await chmod(project, 0o755);
  await writeFile(join(project, "package.json"), "{}\n");
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe("skills (help, version, usage errors)", () => {
  it("--help lists the commands and global options", () => {
    const { code, stdout } = skills(["--help"]);
    expect(code).toBe(0);
    for (const text of ["validate [...paths]", "new <name>", "list", "--json", "--debug", "--no-color", "--version"]) {
      expect(stdout).toContain(text);
    }
  });

  it("no arguments prints the help", () => {
    const { code, stdout } = skills([]);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage:");
  });

  it.each([
    ["validate", ["--strict", "--json"]],
    ["new", ["--lang <language>", "--description <text>", "--tools <list>", "--dir <folder>", "--json"]],
    ["list", ["--json", "--strict"]],
    ["lock", ["--check", "--config <file>", "--refresh", "--json"]],
    [
      "compat",
      ["--against <ref>", "--format <format>", "--fail-on <level>", "--strict", "--fix", "--rules", "--no-typecheck"],
    ],
  ])("%s --help lists its options", (command, options) => {
    const { code, stdout } = skills([command, "--help"]);
    expect(code).toBe(0);
    for (const option of options) expect(stdout).toContain(option);
  });

  it("--version prints the package version", async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
    const { code, stdout } = skills(["--version"]);
    expect(code).toBe(0);
    expect(stdout).toContain(pkg.version);
  });

  it("an unknown command exits 2 with a hint", () => {
    const { code, stderr, stdout } = skills(["frobnicate"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/USAGE\s+unknown command: frobnicate/);
    expect(stderr).toMatch(/hint: run `skills help` to see the commands/);
    noStackTrace(stderr);
  });

  it("an unknown option exits 2", () => {
    const { code, stderr } = skills(["validate", "--bogus"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option --bogus for skills validate/);
    noStackTrace(stderr);
  });

  it("a missing argument exits 2", () => {
    const { code, stderr } = skills(["new"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing required args/i);
  });

  it("option values reach the command as typed: a blank program is refused, not run as the number 0", () => {
    for (const code of [" ", ""]) {
      const { code: exit, stderr } = skills(["exec", "--lang", "python", "--code", code]);
      expect(exit).toBe(2);
      expect(stderr).toMatch(/^error USAGE {2}the program from --code is empty\n/);
    }
    const missing = skills(["exec", "--lang", "python", "--code"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "error USAGE  option `--code <source>` value is missing\n  hint: run `skills help exec` to see its options\n",
    );
  });

  it("usage errors are JSON with --json", () => {
    const { code, stdout } = skills(["frobnicate", "--json"]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: "USAGE" } });
  });
});

describe("skills validate", () => {
  it("prints file:line:col  CODE  message and a hint, exits 1", async () => {
    await cp(join(FIXTURES, "broken/bad-range"), join(project, "bad/bad-range"), { recursive: true });
    const { code, stdout, stderr } = skills(["validate", "bad"]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'bad/bad-range/manifest.yaml:8:30  TOOL_RANGE_INVALID  "not-a-range" is not a valid semver range',
    );
    expect(stdout).toMatch(/\n {2}hint: use a range like/);
    expect(stdout).toMatch(/failed: 1 skill checked, 0 valid, 1 invalid/);
    expect(stderr).toBe("");
  });

  it("--json prints { ok, skills, summary } with pointers", () => {
    const { code, stdout } = skills(["validate", "bad", "--json"]);
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ ok: false, summary: { skills: 1, valid: 0, invalid: 1, errors: 1, warnings: 0 } });
    expect(result.skills[0]).toMatchObject({ dir: "bad/bad-range", name: "bad-range", ok: false, warnings: [] });
    expect(result.skills[0].errors[0]).toMatchObject({
      code: "TOOL_RANGE_INVALID",
      line: 8,
      column: 30,
      pointer: "/tools/filesystem~1list_directory",
      severity: "error",
    });
  });

  it("exits 0 with warnings, 1 with --strict", async () => {
    await cp(join(FIXTURES, "broken/entry-no-run"), join(project, "warn/entry-no-run"), {
      recursive: true,
    });
    const loose = skills(["validate", "warn"]);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/ENTRY_NO_RUN .*\(warning\)/);
    expect(skills(["validate", "warn", "--strict"]).code).toBe(1);
  });

  it("exits 2 for a path that does not exist", () => {
    const { code, stderr } = skills(["validate", "no-such-folder"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/NOT_FOUND\s+no-such-folder does not exist/);
    noStackTrace(stderr);
  });

  it("explains a missing skills/ folder and exits 0", () => {
    const { code, stdout } = skills(["validate", "skills"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/skills does not exist yet/);
  });

  it("reports a broken skills.config.json with its position (exit 2)", async () => {
    const sub = join(project, "cfg");
    await cp(join(FIXTURES, "valid/minimal-python"), join(sub, "skills/minimal-python"), { recursive: true });
    await writeFile(join(sub, "skills.config.json"), '{\n  "roots": "skills"\n}\n');
    const result = spawnSync(process.execPath, [BIN, "validate"], {
      cwd: sub,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/skills\.config\.json:2:12\s+CONFIG_INVALID\s+roots: must be a list/);
  });

  it("NO_COLOR wins over FORCE_COLOR; FORCE_COLOR alone colours the output", () => {
    expect(skills(["validate", "bad"], { FORCE_COLOR: "1" }).stdout).toMatch(ANSI);
    expect(skills(["validate", "bad"], { FORCE_COLOR: "1", NO_COLOR: "1" }).stdout).not.toMatch(ANSI);
    expect(skills(["validate", "bad", "--no-color"], { FORCE_COLOR: "1" }).stdout).not.toMatch(ANSI);
    expect(skills(["validate", "bad"]).stdout).not.toMatch(ANSI);
  });
});

describe("skills new + validate --strict + list", () => {
  it.each(["python", "typescript"])("a new %s skill passes validate --strict", (lang) => {
    const name = `demo-${lang}`;
    const created = skills(["new", name, "--lang", lang, "--tools", "filesystem/read_text_file"]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`created skills/${name}`);
    const checked = skills(["validate", "--strict", `skills/${name}`]);
    expect(checked.stdout).toMatch(/ok: 1 skill checked \(strict\), 1 valid/);
    expect(checked.code).toBe(0);
  });

  it("the scaffolds' own tests pass offline with `skills test`", () => {
    const tested = skills(["test", "skills/demo-python", "skills/demo-typescript"]);
    expect(tested.stdout).toMatch(/2 passed, 0 failed/);
    expect(tested.code).toBe(0);
  });

  it("refuses an existing folder (exit 2) and a bad name with the rule (exit 2)", () => {
    const again = skills(["new", "demo-python"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/SKILL_EXISTS\s+skills\/demo-python already exists; nothing was changed/);
    const bad = skills(["new", "Bad--Name"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/NAME_INVALID/);
    expect(bad.stderr).toMatch(/a name must be 1-64 lowercase letters \(any script\), digits and hyphens/);
    expect(bad.stderr).toMatch(/hint: for example: skills new bad-name/);
  });

  it("new --json prints what was created", () => {
    const { code, stdout } = skills(["new", "json-skill", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: true,
      name: "json-skill",
      language: "python",
      dir: "skills/json-skill",
    });
  });

  it("list shows the skills as a table and as JSON", () => {
    const table = skills(["list"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/NAME\s+KIND\s+VERSION\s+LANGUAGE\s+TOOLS\s+VALID\s+DESCRIPTION/);
    expect(table.stdout).toMatch(
      /demo-typescript\s+runnable\s+0\.1\.0\s+typescript\s+filesystem\/read_text_file\s+yes/,
    );
    const json = JSON.parse(skills(["list", "--json"]).stdout);
    expect(json.skills.map((s: { name: string }) => s.name)).toEqual(["demo-python", "demo-typescript", "json-skill"]);
  });
});
