/**
 * `skills new`: the scaffold passes validate --strict in both languages, its run(input) really works (python3 and
 * node subprocesses), user text is escaped, bad input is refused and existing folders are never touched.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transform } from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Ajv2020 } from "ajv/dist/2020.js";
import { newSkill } from "../../src/commands/new.js";
import { validate } from "../../src/commands/validate.js";
import { SkillsError } from "../../src/errors.js";
import { loadSkill } from "../../src/store/loadSkill.js";

let project: string;

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-new-"));
  await writeFile(join(project, "package.json"), "{}\n");
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

async function refused(options: Parameters<typeof newSkill>[0]): Promise<SkillsError> {
  const error = await newSkill(options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SkillsError);
  expect((error as SkillsError).kind === "usage" || (error as SkillsError).kind === "input").toBe(true);
  return error as SkillsError;
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    out[path] = entry.isFile()
      ? createHash("sha256")
          .update(await readFile(path))
          .digest("hex") + info.mtimeMs
      : "dir";
  }
  return out;
}

describe("newSkill", () => {
  it("creates a python skill that passes validate --strict and whose run() works", async () => {
    const result = await newSkill({ name: "demo", cwd: project });
    expect(result).toMatchObject({ ok: true, name: "demo", language: "python", dir: "skills/demo" });
    expect(result.files).toEqual(["SKILL.md", "main.py", "manifest.yaml", "tests/basic.yaml"]);
    const check = await validate({ paths: ["skills/demo"], strict: true, cwd: project });
    expect(check.skills[0]!.warnings).toEqual([]);
    expect(check.ok).toBe(true);
    const out = execFileSync("/usr/bin/python3", [
      "-S",
      "-I",
      "-c",
      "import json,sys; sys.path.insert(0, sys.argv[1]); import main; print(json.dumps(main.run({})))",
      join(project, "skills/demo"),
    ]);
    expect(JSON.parse(out.toString())).toEqual({});
  });

  it("creates a typescript skill with tools that passes validate --strict and whose run() works", async () => {
    const result = await newSkill({
      name: "demo-ts",
      lang: "typescript",
      tools: ["filesystem/read_text_file,memory/search_nodes"],
      cwd: project,
    });
    expect(result.files).toEqual(["SKILL.md", "cassettes/basic.json", "main.ts", "manifest.yaml", "tests/basic.yaml"]);
    expect(result.tools).toEqual(["filesystem/read_text_file", "memory/search_nodes"]);
    const check = await validate({ paths: ["skills/demo-ts"], strict: true, cwd: project });
    expect(check.ok).toBe(true);
    const loaded = await loadSkill(join(project, "skills/demo-ts"));
    expect(loaded.ok && loaded.value.manifest.tools).toEqual({
      "filesystem/read_text_file": "*",
      "memory/search_nodes": "*",
    });
    const source = await readFile(join(project, "skills/demo-ts/main.ts"), "utf8");
    expect(source).toContain('import { readTextFile } from "servers/filesystem";');
    const js = await transform(source, { loader: "ts", format: "esm" });
    const file = join(project, "main.mjs");
    await writeFile(file, `${js.code}\nconsole.log(JSON.stringify(await run({})));\n`);
    expect(JSON.parse(execFileSync(process.execPath, [file]).toString())).toEqual({});
    // No server answered (no .mcp.json): the tools keep "*" and the result says the skill is not locked.
    expect(result.lock).toMatchObject({ status: "error" });
    expect(result.lock?.ranges).toBeUndefined();
  });

  it("writes an empty cassette for a skill with tools, valid against the cassette schema", async () => {
    await newSkill({ name: "with-tools", tools: ["memory/search_nodes"], cwd: project });
    const cassette = JSON.parse(await readFile(join(project, "skills/with-tools/cassettes/basic.json"), "utf8"));
    expect(cassette).toEqual({ version: 1, skill: "with-tools", case: "basic", servers: {}, tools: [], calls: [] });
    const schema = JSON.parse(await readFile(join(import.meta.dirname, "../../schemas/cassette.schema.json"), "utf8"));
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validate(schema, cassette), JSON.stringify(ajv.errors)).toBe(true);
    const without = await newSkill({ name: "no-tools", cwd: project });
    expect(without.files).not.toContain("cassettes/basic.json");
  });

  it("shows the python SDK import for the first tool", async () => {
    await newSkill({ name: "py-tools", tools: ["everything/get-sum"], cwd: project });
    const source = await readFile(join(project, "skills/py-tools/main.py"), "utf8");
    expect(source).toContain("from servers.everything import get_sum");
    execFileSync("/usr/bin/python3", ["-m", "py_compile", join(project, "skills/py-tools/main.py")]);
  });

  it("writes the $schema line and a test case in the test-case format", async () => {
    await newSkill({ name: "demo", cwd: project });
    const manifest = await readFile(join(project, "skills/demo/manifest.yaml"), "utf8");
    const firstLine = manifest.split("\n")[0]!;
    expect(firstLine).toMatch(/^# yaml-language-server: \$schema=.*schemas\/manifest\.schema\.json$/);
    const schemaRel = firstLine.split("=")[1]!;
    await expect(stat(join(project, "skills/demo", schemaRel))).resolves.toBeTruthy();
    const testCase = parse(await readFile(join(project, "skills/demo/tests/basic.yaml"), "utf8"));
    expect(testCase).toEqual({ name: "basic", input: {}, expect: { equals: {} } });
    const schema = JSON.parse(await readFile(join(import.meta.dirname, "../../schemas/test-case.schema.json"), "utf8"));
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validate(schema, testCase), JSON.stringify(ajv.errors)).toBe(true);
  });

  it("escapes user text in YAML and code", async () => {
    const description = `Finds "big" files: sizes #1, 'quotes', back\\slash, */ and """ too; use: always & often`;
    await newSkill({ name: "tricky", description, cwd: project });
    await newSkill({ name: "tricky-ts", lang: "ts", description, cwd: project });
    const check = await validate({ paths: ["skills"], strict: true, cwd: project });
    expect(check.ok, JSON.stringify(check.skills)).toBe(true);
    const loaded = await loadSkill(join(project, "skills/tricky"));
    expect(loaded.ok && loaded.value.frontmatter.description).toBe(description);
    expect(loaded.ok && loaded.value.manifest.description).toBe(description);
    execFileSync("/usr/bin/python3", ["-m", "py_compile", join(project, "skills/tricky/main.py")]);
    const ts = await readFile(join(project, "skills/tricky-ts/main.ts"), "utf8");
    await expect(transform(ts, { loader: "ts" })).resolves.toBeTruthy();
  });

  it("leaves nothing of an example to remove: empty schemas, a result of {}, no greeting anywhere", async () => {
    for (const lang of ["python", "typescript"]) {
      const name = `blank-${lang}`;
      await newSkill({ name, lang, tools: ["filesystem/read_text_file"], cwd: project });
      const dir = join(project, "skills", name);
      const manifest = parse(await readFile(join(dir, "manifest.yaml"), "utf8"));
      expect(manifest.input).toEqual({ type: "object", properties: {}, additionalProperties: false });
      expect(manifest.output).toEqual({ type: "object" });
      // The sandbox's default, high enough for a program that calls a tool per file of a folder.
      expect(manifest.limits).toEqual({ timeout_ms: 30000, max_tool_calls: 1000 });
      for (const file of await readdir(dir, { recursive: true })) {
        const text = await readFile(join(dir, file), "utf8").catch(() => "");
        expect(text, file).not.toMatch(/greet|hello|world/i);
      }
    }
  });

  it("locks a tool given without a range to the version its server has now", async () => {
    const { makeServeProject } = await import("../helpers/serveProject.js");
    const live = await makeServeProject(["filesystem", "memory"]);
    try {
      const result = await newSkill({
        name: "pinned",
        tools: ["filesystem/read_text_file", "memory/search_nodes@>=0.5"],
        cwd: live,
      });
      expect(result.lock).toMatchObject({ status: "written", ranges: { "filesystem/read_text_file": "^0.2.0" } });
      const loaded = await loadSkill(join(live, "skills/pinned"), { strict: true });
      // A range the user gave is kept as given; the other is the caret range of the locked version.
      expect(loaded.ok && loaded.value.manifest.tools).toEqual({
        "filesystem/read_text_file": "^0.2.0",
        "memory/search_nodes": ">=0.5",
      });
      const lock = JSON.parse(await readFile(join(live, "skills/pinned/tools.lock.json"), "utf8"));
      expect(lock.tools["filesystem/read_text_file"].version).toMatch(/^0\.2\./);
      const manifest = await readFile(join(live, "skills/pinned/manifest.yaml"), "utf8");
      expect(manifest.split("\n")[0]).toMatch(/^# yaml-language-server: \$schema=/);
      expect(await readdir(join(live, "skills"))).toEqual(["pinned"]);
    } finally {
      await rm(live, { recursive: true, force: true });
    }
  });

  it("takes an optional range per tool (server/tool@range)", async () => {
    const result = await newSkill({
      name: "ranged",
      tools: ["filesystem/read_text_file@^0.2.0", "memory/search_nodes@>=1 <2"],
      cwd: project,
    });
    expect(result.tools).toEqual(["filesystem/read_text_file", "memory/search_nodes"]);
    const loaded = await loadSkill(join(project, "skills/ranged"), { strict: true });
    expect(loaded.ok && loaded.value.manifest.tools).toEqual({
      "filesystem/read_text_file": "^0.2.0",
      "memory/search_nodes": ">=1 <2",
    });
    const error = await refused({ name: "x", tools: ["filesystem/read_text_file@latest"], cwd: project });
    expect(error.message).toMatch(/"latest" is not a valid semver range for filesystem\/read_text_file/);
  });

  it("honours --dir", async () => {
    const result = await newSkill({ name: "elsewhere", dir: "lib/skills", cwd: project });
    expect(result.dir).toBe("lib/skills/elsewhere");
    await expect(stat(join(project, "lib/skills/elsewhere/SKILL.md"))).resolves.toBeTruthy();
  });

  it.each([
    ["Uppercase", /uppercase/],
    ["double--hyphen", /consecutive hyphens/],
    ["-leading", /starts or ends with a hyphen/],
    ["a".repeat(65), /65 characters long; the maximum is 64/],
    ["café·x", /contains "·"/],
    ["has space", /contains a space/],
  ])("refuses the name %s with the rule", async (name, message) => {
    const error = await refused({ name, cwd: project });
    expect(error.code).toBe("NAME_INVALID");
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/a name must be 1-64 lowercase letters \(any script\), digits and hyphens/);
    expect(error.data.hint).toMatch(/^for example: skills new [\p{L}\p{N}-]+$/u);
    await expect(stat(join(project, "skills"))).rejects.toThrow();
  });

  it("makes skills with lowercase names of any script, valid as they are", async () => {
    for (const name of ["навык", "技能", "café"]) {
      const result = await newSkill({ name, cwd: project });
      expect(result.name).toBe(name);
      const loaded = await loadSkill(join(project, "skills", name), { strict: true });
      expect(loaded.ok ? loaded.warnings : loaded.errors).toEqual([]);
    }
  });

  it("refuses reserved words and angle brackets only in a project with the claude profile", async () => {
    expect((await newSkill({ name: "claude-notes", description: "a <b> c", cwd: project })).ok).toBe(true);
    await writeFile(join(project, "skills.config.json"), JSON.stringify({ profile: "claude" }));
    const reserved = await refused({ name: "anthropic-notes", cwd: project });
    expect(reserved.code).toBe("NAME_INVALID");
    expect(reserved.message).toBe(
      'invalid skill name: name "anthropic-notes" contains the reserved word "anthropic" (profile claude, skills.config.json)',
    );
    expect(reserved.data.hint).toBe("for example: skills new notes");
    const brackets = await refused({ name: "x", description: "a <b> c", cwd: project });
    expect(brackets.message).toMatch(/< or > \(profile claude/);
  });

  it("refuses bad --lang, --tools and --description", async () => {
    expect((await refused({ name: "x", lang: "ruby", cwd: project })).message).toMatch(/unknown language "ruby"/);
    expect((await refused({ name: "x", tools: ["filesystem"], cwd: project })).message).toMatch(
      /is not "<server>\/<tool>"/,
    );
    expect((await refused({ name: "x", description: "   ", cwd: project })).message).toMatch(/empty/);
    expect((await refused({ name: "x", description: "d".repeat(1025), cwd: project })).message).toMatch(
      /1025 characters/,
    );
    await expect(stat(join(project, "skills"))).rejects.toThrow();
  });

  it("never changes an existing folder and leaves no temp folder behind", async () => {
    const target = join(project, "skills/demo");
    await mkdir(join(target, "sub"), { recursive: true });
    await writeFile(join(target, "SKILL.md"), "my own work\n");
    await writeFile(join(target, "sub/data.bin"), Buffer.from([1, 2, 3]));
    const before = await snapshot(target);
    const error = await refused({ name: "demo", cwd: project });
    expect(error.code).toBe("SKILL_EXISTS");
    expect(error.message).toMatch(/already exists; nothing was changed/);
    expect(await snapshot(target)).toEqual(before);
    expect(await readdir(join(project, "skills"))).toEqual(["demo"]);
  });

  it("refuses a parent that is a file, leaving it as it was", async () => {
    await writeFile(join(project, "skills"), "not a folder");
    const error = await refused({ name: "demo", cwd: project });
    expect(error.message).toMatch(/cannot create the skill in skills: a file is in the way; nothing was changed/);
    expect(error.data.hint).toMatch(/--dir/);
    expect(await readFile(join(project, "skills"), "utf8")).toBe("not a folder");
  });

  it("refuses an existing empty folder too", async () => {
    await mkdir(join(project, "skills/empty"), { recursive: true });
    expect((await refused({ name: "empty", cwd: project })).code).toBe("SKILL_EXISTS");
    expect(await readdir(join(project, "skills/empty"))).toEqual([]);
  });
});
