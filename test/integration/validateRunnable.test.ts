// biome-ignore-all lint/suspicious/noTemplateCurlyInString: .mcp.json uses ${workspaceFolder}
/**
 * A skill that cannot run does not validate: `skills validate` against a real filesystem server (its catalog cached
 * after the first look), the real Python `ast` and TypeScript compiler. Every problem has its file, line, column and
 * fix; without a .mcp.json the tool check is skipped with a note, not a warning; `skills test` refuses to pass a case
 * that replays a never-recorded cassette of a skill whose code calls tools.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTests } from "../../src/commands/test.js";
import { type SkillValidation, validate } from "../../src/commands/validate.js";
import type { Problem } from "../../src/contracts/problem.js";
import { skillsInProcess } from "../helpers/cli.js";
import { npmServer } from "../helpers/testServers.js";

let project: string;

async function skill(dir: string, files: Record<string, string>): Promise<void> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(project, "skills", dir, file, ".."), { recursive: true });
    await writeFile(join(project, "skills", dir, file), text);
  }
}

const skillMd = (name: string, body = "Used by the validate tests.") =>
  `---\nname: ${name}\ndescription: A skill for the validate tests.\n---\n\n${body}\n`;

function problems(result: { skills: SkillValidation[] }, name: string): Problem[] {
  const found = result.skills.find((s) => s.name === name);
  if (!found) throw new Error(`no skill ${name}`);
  return [...found.errors, ...found.warnings];
}

const where = (p: Problem) => [p.code, `${p.file}:${p.line}:${p.column}`];

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-validate-run-"));
  await chmod(project, 0o755);
  await writeFile(join(project, "package.json"), "{}\n");
  await writeFile(
    join(project, ".mcp.json"),
    JSON.stringify({
      mcpServers: {
        filesystem: { command: npmServer("filesystem"), args: ["${workspaceFolder}"] },
      },
    }),
  );
  await skill("py-broken", {
    "SKILL.md": skillMd("py-broken", "Run it: `skills run py-broken --input '{\"path\": 3}'`"),
    "manifest.yaml": [
      "name: py-broken",
      "version: 0.1.0",
      "language: python",
      "entry: main.py",
      "input:",
      "  type: object",
      "  properties: { path: { type: string } }",
      "  required: [path]",
      "tools:",
      '  filesystem/read_fil: "*"',
      '  filesytem/list_directory: "*"',
      "",
    ].join("\n"),
    "main.py": "def run(input)\n    return 1\n",
    "tests/basic.yaml": "name: basic\ninput: { path: 5 }\nexpect: { subset: {} }\n",
    "tests/refused.yaml": "name: refused\ninput: { path: 5 }\nexpect: { error: { code: INPUT_INVALID } }\n",
  });
  await skill("ts-broken", {
    "SKILL.md": skillMd("ts-broken"),
    "manifest.yaml":
      'name: ts-broken\nversion: 0.1.0\nlanguage: typescript\nentry: main.ts\ntools:\n  filesystem/read_text_file: "*"\n',
    "main.ts": [
      'import { readTextFile } from "servers/filesystem";',
      "",
      "export async function run(input: { path: string }) {",
      "  const pth = input.path;",
      "  const text = await readTextFile({ pth });",
      '  console.log("read");',
      "  return text.contnt.length;",
      "}",
      "",
    ].join("\n"),
  });
  // A TypeScript syntax error beside skills that parse: each file of the batch keeps its own answer.
  await skill("ts-syntax", {
    "SKILL.md": skillMd("ts-syntax"),
    "manifest.yaml":
      'name: ts-syntax\nversion: 0.1.0\nlanguage: typescript\nentry: main.ts\ntools:\n  filesystem/list_directory: "*"\n',
    "main.ts": [
      'import { listDirectory } from "servers/filesystem";',
      "",
      "export async function run(input: { path: string }) {",
      "  return listDirectory({ path: input.path );",
      "}",
      "",
    ].join("\n"),
    "util.ts": "export const twice = (n: number) => n * ;\n",
  });
  // The scaffold after its code started calling a tool: its test still replays the empty, never-recorded cassette.
  await skill("scaffold", {
    "SKILL.md": skillMd("scaffold"),
    "manifest.yaml":
      'name: scaffold\nversion: 0.1.0\nlanguage: python\nentry: main.py\ntools:\n  filesystem/list_allowed_directories: "*"\n',
    "main.py":
      "from servers.filesystem import list_allowed_directories\n\n\ndef run(input):\n    return list_allowed_directories()\n",
    "tests/basic.yaml": "name: basic\ninput: {}\nexpect: { subset: {} }\n",
    "cassettes/basic.json":
      '{"version": 1, "skill": "scaffold", "case": "basic", "servers": {}, "tools": [], "calls": []}\n',
  });
  // Calls a tool of a server it uses, without declaring it.
  await skill("undeclared", {
    "SKILL.md": skillMd("undeclared"),
    "manifest.yaml":
      'name: undeclared\nversion: 0.1.0\nlanguage: python\nentry: main.py\ntools:\n  filesystem/list_directory: "^0.2.0"\n',
    "main.py": [
      "from servers.filesystem import list_directory, read_text_file",
      "",
      "",
      "def run(input):",
      '    return [list_directory(path="."), read_text_file(path="x")]',
      "",
    ].join("\n"),
  });
  await skill("fine", {
    "SKILL.md": skillMd("fine", 'Run it: `skills run fine --input \'{"path": "docs"}\'`'),
    "manifest.yaml": [
      "name: fine",
      "version: 0.1.0",
      "language: typescript",
      "entry: main.ts",
      "input: { type: object, properties: { path: { type: string } }, required: [path] }",
      "tools:",
      '  filesystem/list_directory: "*"',
      "",
    ].join("\n"),
    "main.ts":
      'import { listDirectory } from "servers/filesystem";\n\nexport async function run(input: { path: string }) {\n  const listing = await listDirectory({ path: input.path });\n  console.log("listed");\n  return listing.content.split("\\n").length;\n}\n',
    "tests/basic.yaml": "name: basic\ninput: { path: docs }\nlive: true\nexpect: { subset: {} }\n",
  });
}, 60_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe("skills validate: a skill that cannot run does not validate", () => {
  let result: Awaited<ReturnType<typeof validate>>;
  beforeAll(async () => {
    result = await validate({ paths: [], cwd: project });
  }, 120_000);

  it("names a tool and a server the catalog does not have, with the closest name", () => {
    const found = problems(result, "py-broken");
    expect(found.find((p) => p.code === "TOOL_UNKNOWN")).toMatchObject({
      severity: "error",
      message: 'filesystem/read_fil: the server "filesystem" has no tool "read_fil"',
      file: "skills/py-broken/manifest.yaml",
      line: 10,
      column: 3,
      hint: 'did you mean "filesystem/read_file"?',
    });
    expect(found.find((p) => p.code === "SERVER_UNKNOWN")).toMatchObject({
      message: 'filesytem/list_directory: .mcp.json configures no server "filesytem"',
      line: 11,
      hint: 'did you mean "filesystem"?',
    });
  });

  it("a Python syntax error, at its line and column", () => {
    expect(problems(result, "py-broken").find((p) => p.code === "CODE_SYNTAX")).toMatchObject({
      severity: "error",
      message: "SyntaxError: expected ':'",
      file: "skills/py-broken/main.py",
      line: 1,
      column: 15,
    });
  });

  it("TypeScript syntax errors of every file, at their line and column, next to skills that parse", () => {
    expect(
      problems(result, "ts-syntax")
        .filter((p) => p.code === "CODE_SYNTAX")
        .map((p) => [...where(p), p.message]),
    ).toEqual([
      ["CODE_SYNTAX", "skills/ts-syntax/main.ts:4:43", "TS1005: ',' expected."],
      ["CODE_SYNTAX", "skills/ts-syntax/util.ts:1:41", "TS1109: Expression expected."],
    ]);
    expect(problems(result, "fine")).toEqual([]);
  });

  it("a test input and a SKILL.md example that break the input schema; a case expecting the refusal is fine", () => {
    const found = problems(result, "py-broken");
    expect(found.filter((p) => p.code === "TEST_INPUT_INVALID").map(where)).toEqual([
      ["TEST_INPUT_INVALID", "skills/py-broken/tests/basic.yaml:2:16"],
    ]);
    expect(found.find((p) => p.code === "TEST_INPUT_INVALID")?.message).toBe(
      'case "basic": the input does not match the input schema: /path: must be string',
    );
    expect(found.find((p) => p.code === "EXAMPLE_INPUT_INVALID")).toMatchObject({
      message: 'the example input {"path": 3} does not match the input schema: /path: must be string',
      file: "skills/py-broken/SKILL.md",
      line: 6,
      column: 49,
    });
  });

  it("TypeScript type errors against the SDK of the declared tools, at main.ts:line:col; not the missing Node types", () => {
    const found = problems(result, "ts-broken").filter((p) => p.code === "CODE_TYPE");
    expect(found.map(where)).toEqual([
      ["CODE_TYPE", "skills/ts-broken/main.ts:5:37"],
      ["CODE_TYPE", "skills/ts-broken/main.ts:7:15"],
    ]);
    expect(found[0]!.message).toMatch(
      /^TS2561: .*'pth' does not exist in type 'ReadTextFileInput'. Did you mean to write 'path'\?$/,
    );
    expect(found[1]!.message).toMatch(/^TS2551: Property 'contnt' does not exist on type 'ReadTextFileOutput'/);
  });

  it("a case replaying a never-recorded cassette of a skill that calls tools", () => {
    expect(problems(result, "scaffold")).toEqual([
      expect.objectContaining({
        code: "CASSETTE_EMPTY",
        severity: "error",
        file: "skills/scaffold/tests/basic.yaml",
        line: 1,
        hint: "record it against the servers: skills test scaffold --record (or mark the case `live: true`)",
      }),
    ]);
  });

  it("a tool the code calls but the manifest does not declare: the line to add, at the version its server has now", () => {
    expect(problems(result, "undeclared")).toEqual([
      expect.objectContaining({
        code: "TOOL_UNDECLARED",
        severity: "error",
        file: "skills/undeclared/main.py",
        line: 1,
        column: 48,
        hint: 'declare it under tools: in manifest.yaml (`filesystem/read_text_file: "^0.2.0"` (its version now)), or remove the call; undeclared tools are refused at run time',
      }),
    ]);
  });

  it("a skill that can run is valid, with nothing to say", () => {
    expect(problems(result, "fine")).toEqual([]);
    expect(result.skills.find((s) => s.name === "fine")?.ok).toBe(true);
  });

  it("prints every problem with its position and hint", async () => {
    const { code, out } = await skillsInProcess(["validate", "skills/ts-broken"], project);
    expect(code).toBe(1);
    expect(out).toContain("skills/ts-broken/main.ts:5:37  CODE_TYPE  TS2561:");
  });
});

describe("skills validate without a .mcp.json", () => {
  it("skips the tool check with a note, and still checks the code", async () => {
    const alone = await mkdtemp(join(tmpdir(), "skills-validate-alone-"));
    try {
      await writeFile(join(alone, "package.json"), "{}\n");
      await mkdir(join(alone, "skills"));
      const { cp } = await import("node:fs/promises");
      for (const name of ["py-broken", "undeclared"]) {
        await cp(join(project, "skills", name), join(alone, "skills", name), { recursive: true });
      }
      const result = await validate({ paths: [], cwd: alone });
      expect(result.notes).toContain(
        "no .mcp.json: the tools the skills declare were not checked against their servers (pass --config FILE, or add .mcp.json)",
      );
      const codes = problems(result, "py-broken").map((p) => p.code);
      expect(codes).not.toContain("TOOL_UNKNOWN");
      expect(codes).toContain("CODE_SYNTAX");
      expect(result.summary.warnings).toBe(0);
      // No server to ask for a version: the line to add takes any.
      expect(problems(result, "undeclared").map((p) => p.hint)).toEqual([
        'declare it under tools: in manifest.yaml (`filesystem/read_text_file: "*"`, or a range), or remove the call; undeclared tools are refused at run time',
      ]);
    } finally {
      await rm(alone, { recursive: true, force: true });
    }
  });
});

describe("skills test", () => {
  it("does not pass a case that replays a never-recorded cassette of a skill that calls tools", async () => {
    const result = await runTests({ cwd: project, paths: ["skills/scaffold"] });
    expect(result.ok).toBe(false);
    const basic = result.skills[0]!.cases[0]!;
    expect(basic.status).toBe("error");
    expect(basic.problems.map((p) => p.code)).toEqual(["CASSETTE_EMPTY"]);
    expect(basic.problems[0]!.message).toMatch(/never recorded .* the skill's code calls tools/);
  }, 60_000);
});
