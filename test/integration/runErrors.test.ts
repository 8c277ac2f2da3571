// biome-ignore-all lint/suspicious/noTemplateCurlyInString: .mcp.json uses ${workspaceFolder}
/**
 * Every error a new user meets when a run fails, through the real sandbox and the real filesystem server, as the CLI
 * prints it: tracebacks in the user's own files and lines (TS through the source map, never a data: URL; Python as
 * skills/<name>/main.py), an SDK import of an undeclared tool as TOOL_NOT_DECLARED with the manifest line to add,
 * max_tool_calls as TOOL_CALL_LIMIT, sandbox hints for missing packages and the network, `input` at the top level,
 * a result over its budget, and a print flood's notice once.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skillsInProcess } from "../helpers/cli.js";
import { npmServer } from "../helpers/testServers.js";

let project: string;

async function skill(name: string, language: "python" | "typescript", code: string, extra = ""): Promise<void> {
  const dir = join(project, "skills", name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "SKILL.md"),
    `---\nname: ${name}\ndescription: Fails on purpose for a test.\n---\n\nA test.\n`,
  );
  const entry = language === "python" ? "main.py" : "main.ts";
  await writeFile(
    join(dir, "manifest.yaml"),
    `name: ${name}\nversion: 0.1.0\nlanguage: ${language}\nentry: ${entry}\ntools:\n  filesystem/list_allowed_directories: ">=0.1.0"\n${extra}`,
  );
  await writeFile(join(dir, entry), code);
}

const cli = (args: string[]) => skillsInProcess(args, project);

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-run-errors-"));
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
  await skill(
    "py-raises",
    "python",
    "from servers.filesystem import list_allowed_directories\n\n\ndef helper(x):\n    return 1 / x\n\n\ndef run(input):\n    return helper(0)\n",
  );
  await skill(
    "ts-raises",
    "typescript",
    [
      'import { listAllowedDirectories } from "servers/filesystem";',
      "",
      "function inner(x: number): number {",
      '  if (x > 0) throw new Error("boom " + x);',
      "  return x;",
      "}",
      "",
      "export async function run(input: { n?: number }) {",
      "  await listAllowedDirectories();",
      "  return inner(input.n ?? 3);",
      "}",
      "",
    ].join("\n"),
  );
  await skill(
    "py-undeclared",
    "python",
    'from servers.filesystem import list_allowed_directories, read_text_file\n\n\ndef run(input):\n    return read_text_file(path="x")\n',
  );
  await skill(
    "ts-undeclared",
    "typescript",
    'import { readTextFile } from "servers/filesystem";\n\nexport async function run() {\n  return await readTextFile({ path: "x" });\n}\n',
  );
  await skill(
    "py-limit",
    "python",
    "from servers.filesystem import list_allowed_directories\n\n\ndef run(input):\n    for _ in range(10):\n        list_allowed_directories()\n    return 1\n",
    "limits:\n  max_tool_calls: 3\n",
  );
  // The catalog cache is what names an undeclared tool: the first run of a skill fills it.
  await cli(["run", "py-raises"]);
}, 60_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe("tracebacks in the user's files", () => {
  it("Python: skills/<name>/main.py, with the lines, not /skill/main.py", async () => {
    const { code, err, out } = await cli(["run", "py-raises"]);
    expect(code).toBe(1);
    const text = out + err;
    expect(text).toContain('File "skills/py-raises/main.py", line 9, in run\n      return helper(0)');
    expect(text).toContain('File "skills/py-raises/main.py", line 5, in helper\n      return 1 / x');
    expect(text).not.toContain("/skill/");
    const json = JSON.parse((await cli(["run", "py-raises", "--json"])).out);
    expect(json.run.error).toMatchObject({
      code: "PROGRAM_ERROR",
      file: "skills/py-raises/main.py",
      line: 5,
      column: 8,
      source: "return 1 / x",
    });
  });

  it("TypeScript: main.ts:line:col and the line, through the source map; no data: URL anywhere", async () => {
    const { code, out } = await cli(["run", "ts-raises"]);
    expect(code).toBe(1);
    expect(out).toContain(
      [
        "error PROGRAM_ERROR  Error: boom 3",
        "  at skills/ts-raises/main.ts:4:20",
        '    if (x > 0) throw new Error("boom " + x);',
      ].join("\n"),
    );
    expect(out).toContain("at inner (skills/ts-raises/main.ts:4:20)");
    expect(out).toContain("at Module.run (skills/ts-raises/main.ts:10:10)");
    expect(out).not.toContain("data:");
    expect(out.length).toBeLessThan(2000);
    const json = JSON.parse((await cli(["run", "ts-raises", "--json"])).out);
    expect(json.run.error).toMatchObject({ file: "skills/ts-raises/main.ts", line: 4, column: 20 });
    expect(JSON.stringify(json)).not.toContain("base64");
  });

  it("an exec'd file is named as given, in both languages", async () => {
    await writeFile(join(project, "oops.py"), "def run(input):\n    return {}['missing']\n");
    await writeFile(join(project, "oops.ts"), "export function run() {\n  return (null as any).field;\n}\n");
    const py = await cli(["exec", "--lang", "python", "--file", "oops.py"]);
    expect(py.out).toContain("File \"oops.py\", line 2, in run\n      return {}['missing']");
    const ts = await cli(["exec", "--lang", "typescript", "--file", "oops.ts"]);
    expect(ts.out).toContain("  at oops.ts:2:24\n    return (null as any).field;");
  });

  it("a TypeScript syntax error points at the skill's file, with a hint to fix it there", async () => {
    await skill("ts-syntax", "typescript", "export async function run() {\n  return 1 +;\n}\n");
    const { out } = await cli(["run", "ts-syntax"]);
    expect(out).toMatch(/error PROGRAM_ERROR {2}skills\/ts-syntax\/main\.ts:2:13: Unexpected ";"/);
    expect(out).toContain("hint: fix the code at the position shown");
  });
});

describe("the sandbox's rules, named", () => {
  it("an SDK import of an undeclared tool: TOOL_NOT_DECLARED and the manifest line to add (Python)", async () => {
    const { code, out } = await cli(["run", "py-undeclared"]);
    expect(code).toBe(1);
    expect(out).toContain(
      "error TOOL_NOT_DECLARED  the program imports read_text_file from servers/filesystem, but filesystem/read_text_file is not declared",
    );
    expect(out).toMatch(
      /hint: declare it under `tools:` in skills\/py-undeclared\/manifest\.yaml:5:\n {4}filesystem\/read_text_file: "\^\d+\.\d+\.\d+"/,
    );
    expect(out).not.toMatch(/\/sdk\/|skills-sdk-/);
  });

  it("an SDK import of an undeclared tool: TOOL_NOT_DECLARED and the manifest line to add (TypeScript)", async () => {
    const { out } = await cli(["run", "ts-undeclared"]);
    expect(out).toContain(
      "error TOOL_NOT_DECLARED  the program imports readTextFile from servers/filesystem, but filesystem/read_text_file is not declared",
    );
    expect(out).toContain("  at skills/ts-undeclared/main.ts:1:10");
    expect(out).toMatch(/in skills\/ts-undeclared\/manifest\.yaml:5:\n {4}filesystem\/read_text_file: "\^/);
  });

  it("max_tool_calls: TOOL_CALL_LIMIT naming limits.max_tool_calls and its line", async () => {
    const { code, out } = await cli(["run", "py-limit"]);
    expect(code).toBe(1);
    expect(out).toContain(
      "error TOOL_CALL_LIMIT  the program made more tool calls than limits.max_tool_calls (3) allows",
    );
    expect(out).toContain("hint: raise limits.max_tool_calls in skills/py-limit/manifest.yaml:7");
  });

  it("a third-party package and the network get the sandbox's hint", async () => {
    const module = await cli(["exec", "--lang", "python", "--code", "import requests"]);
    expect(module.out).toMatch(/hint: the sandbox runs Python with its standard library only .*"requests"/);
    const network = await cli([
      "exec",
      "--lang",
      "typescript",
      "--code",
      'export const result = await fetch("http://example.com/");',
    ]);
    expect(network.out).toContain("hint: the sandbox has no network");
    const urllib = await cli([
      "exec",
      "--lang",
      "python",
      "--code",
      'import urllib.request\nurllib.request.urlopen("http://example.com/", timeout=5)',
    ]);
    expect(urllib.out).toContain("hint: the sandbox has no network");
  });
});

describe("what a run returns", () => {
  it("top-level code reads --input as `input`, in both languages", async () => {
    const py = JSON.parse(
      (await cli(["exec", "--lang", "python", "--input", '{"a": 2}', "--code", 'result = input["a"] * 2', "--json"]))
        .out,
    );
    expect(py.run.result).toBe(4);
    const ts = JSON.parse(
      (
        await cli([
          "exec",
          "--lang",
          "typescript",
          "--input",
          '{"a": 2}',
          "--code",
          "export const result = input.a * 2",
          "--json",
        ])
      ).out,
    );
    expect(ts.run.result).toBe(4);
  });

  it("a result over its budget is not a plain ok: a short preview and one notice", async () => {
    const { code, out } = await cli(["exec", "--lang", "python", "--code", 'result = "x" * 5_000_000']);
    expect(code).toBe(0);
    expect(out.split("\n")[0]).toMatch(/^! ok, result truncated exec python/);
    expect(out).toContain("result (truncated)");
    expect(out.length).toBeLessThan(3000);
    expect(out.match(/only a preview is kept/g)).toHaveLength(1);
  });

  it("a print flood's notice is printed once", async () => {
    const { out } = await cli([
      "exec",
      "--lang",
      "python",
      "--code",
      'for i in range(60000): print("line", i, "x" * 30)\nresult = 1',
    ]);
    expect(out.match(/more bytes of stdout were dropped/g)).toHaveLength(1);
    expect(out).not.toMatch(/│ \n {2}│ \[skills:/);
  });
});
