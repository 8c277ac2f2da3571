/**
 * save_skill then run_skill through `skills serve` over stdio (the built binary), in a throw-away git project with
 * real servers: what a saved skill looks like on disk, that it validates strictly and runs, that a second save needs
 * a higher version and keeps the files it does not write, and that a bad save changes nothing.
 */
import { execFileSync } from "node:child_process";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { loadSkill } from "../../src/store/loadSkill.js";
import { ProcessStdioTransport } from "../../src/mcp/pool/stdioTransport.js";
import { CLI } from "../helpers/cli.js";
import { makeServeProject } from "../helpers/serveProject.js";

type Answer = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: unknown };

let project: string;
let client: Client;
let transport: ProcessStdioTransport;

const call = (name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 }) as Promise<Answer>;
const text = (answer: Answer) => (answer.content as { text: string }[])[0]!.text;
const git = (...args: string[]) => execFileSync("git", args, { cwd: project, encoding: "utf8" }).trim();

const COUNT_LINES = [
  "from servers.filesystem import read_text_file",
  "",
  "def run(input):",
  '    text = read_text_file(path=input["path"])["content"]',
  '    return {"lines": len(text.splitlines())}',
].join("\n");

beforeAll(async () => {
  project = await makeServeProject(["filesystem", "everything"], { git: true });
  transport = new ProcessStdioTransport({
    command: process.execPath,
    args: [CLI, "serve"],
    env: { NO_COLOR: "1" },
    cwd: project,
    graceMs: 5000,
  });
  client = new Client({ name: "save-test", version: "1.0.0" });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await rm(project, { recursive: true, force: true });
});

describe("save_skill and run_skill", () => {
  test("saved code becomes a strict-valid skill folder, committed, that run_skill runs", async () => {
    const saved = await call("save_skill", {
      name: "count-lines",
      language: "python",
      code: COUNT_LINES,
      description: "Counts the lines of a text file in the project. Use it when asked how long a file is.",
      tools: ["filesystem/read_text_file"],
      input_schema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
      output_schema: { type: "object", properties: { lines: { type: "integer" } }, required: ["lines"] },
      commit: true,
    });
    expect(saved.isError).toBeUndefined();
    expect(saved.structuredContent).toMatchObject({
      name: "count-lines",
      version: "0.1.0",
      dir: "skills/count-lines",
      files: ["SKILL.md", "main.py", "manifest.yaml", "tools.lock.json"],
      lock: "written",
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const dir = join(project, "skills/count-lines");
    const loaded = await loadSkill(dir, { strict: true });
    expect(loaded.ok ? loaded.warnings : loaded.errors).toEqual([]);
    const manifest = parse(await readFile(join(dir, "manifest.yaml"), "utf8"));
    expect(manifest.tools).toEqual({ "filesystem/read_text_file": "^0.2.0" });
    expect(git("log", "-1", "--format=%s")).toBe("Add skill count-lines 0.1.0");
    // The lock is part of the commit.
    expect(git("show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual([
      "skills/count-lines/SKILL.md",
      "skills/count-lines/main.py",
      "skills/count-lines/manifest.yaml",
      "skills/count-lines/tools.lock.json",
    ]);
    expect(git("status", "--porcelain")).toBe("");
    // nothing half-written is left beside it
    expect(await readdir(join(project, "skills"))).toEqual(["count-lines"]);

    const run = await call("run_skill", { name: "count-lines", input: { path: "notes.txt" } });
    expect(run.structuredContent).toMatchObject({ ok: true, result: { lines: 3 } });
    const listed = await call("list_skills", {});
    expect(listed.structuredContent!.skills).toEqual([
      expect.objectContaining({ name: "count-lines", version: "0.1.0", tools: ["filesystem/read_text_file"] }),
    ]);
  });

  test("a second save needs a higher version; it keeps the skill's other files and the SKILL.md body", async () => {
    const dir = join(project, "skills/count-lines");
    await writeFile(join(dir, "tests.md"), "kept by hand\n");
    const skillMd = await readFile(join(dir, "SKILL.md"), "utf8");
    await writeFile(join(dir, "SKILL.md"), `${skillMd}\n## Notes\n\nWritten by a person.\n`);
    const args = {
      name: "count-lines",
      language: "python",
      code: `${COUNT_LINES.replace('"lines": len(text.splitlines())', '"lines": len(text.splitlines()), "chars": len(text)')}\n`,
      description: "Counts the lines and characters of a text file. Use it when asked how long a file is.",
      tools: ["filesystem/read_text_file"],
    };
    const same = await call("save_skill", args);
    expect(same.isError).toBe(true);
    expect(text(same)).toMatch(/^SKILL_EXISTS: skill count-lines exists at version 0.1.0; no version was given/);
    expect(text(same)).toContain("e.g. 0.1.1 (a fix) or 0.2.0 (new behaviour)");
    const lower = await call("save_skill", { ...args, version: "0.0.9" });
    expect(text(lower)).toContain("0.0.9 is not higher");

    // 0.1.0 is released (a tag) before 0.2.0 is saved: run_skill can still run it
    git("tag", "-a", "-m", "count-lines 0.1.0", "count-lines@0.1.0");
    const saved = await call("save_skill", { ...args, version: "0.2.0", commit: true });
    // The same tool, unchanged on its server: the lock stays as it was.
    expect(saved.structuredContent).toMatchObject({ version: "0.2.0", replaced: "0.1.0", lock: "unchanged" });
    expect(await readFile(join(dir, "tests.md"), "utf8")).toBe("kept by hand\n");
    const newSkillMd = await readFile(join(dir, "SKILL.md"), "utf8");
    expect(newSkillMd).toContain("Written by a person.");
    expect(newSkillMd).toContain("description: Counts the lines and characters");
    // the input schema given the first time is still there
    expect(parse(await readFile(join(dir, "manifest.yaml"), "utf8")).input.required).toEqual(["path"]);
    expect(git("log", "-1", "--format=%s")).toBe("Update skill count-lines 0.2.0");
    const run = await call("run_skill", { name: "count-lines", input: { path: "notes.txt" } });
    expect(run.structuredContent).toMatchObject({ ok: true, result: { lines: 3, chars: 34 } });

    const released = await call("run_skill", { name: "count-lines", version: "0.1.0", input: { path: "notes.txt" } });
    expect(released.structuredContent).toMatchObject({ ok: true, skill: { version: "0.1.0" } });
    expect(released.structuredContent!.result).toEqual({ lines: 3 });
    const latest = await call("run_skill", { name: "count-lines", version: "latest", input: { path: "notes.txt" } });
    expect(latest.structuredContent).toMatchObject({ ok: true, skill: { version: "0.1.0" } });
    // the working copy's own version, not released: the working copy runs
    const current = await call("run_skill", { name: "count-lines", version: "0.2.0", input: { path: "notes.txt" } });
    expect(current.structuredContent).toMatchObject({ ok: true, result: { lines: 3, chars: 34 } });
    const missing = await call("run_skill", { name: "count-lines", version: "0.0.5", input: { path: "notes.txt" } });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(
      /^VERSION_NOT_FOUND: version 0\.0\.5 of count-lines cannot be run: count-lines@0\.0\.5 is not a release/,
    );
    expect(text(missing)).toContain("released versions: 0.1.0, or latest; the working copy is version 0.2.0");
    expect(git("status", "--porcelain")).toBe("");
  });

  test("code that would not validate is refused with the problems, and nothing is written", async () => {
    const before = await readdir(join(project, "skills"));
    const noEntry = await call("save_skill", {
      name: "does-nothing",
      language: "python",
      code: "x = 1\n",
      description: "Does nothing useful at all, as a test of what validation refuses.",
      tools: [],
    });
    expect(noEntry.isError).toBe(true);
    expect(text(noEntry)).toMatch(
      /^MANIFEST_INVALID: the skill does-nothing would not pass `skills validate --strict`/,
    );
    expect(text(noEntry)).toMatch(/does-nothing\/main\.py:1:1 /);
    const badSchema = await call("save_skill", {
      name: "bad-schema",
      language: "python",
      code: "result = 1\n",
      description: "Has an input schema that is not one, to test the validation of schemas.",
      tools: [],
      input_schema: { type: "object", properties: { n: { type: "integr" } } },
    });
    expect(text(badSchema)).toContain("bad-schema/manifest.yaml");
    const badName = await call("save_skill", {
      name: "Bad_Name",
      language: "python",
      code: "result = 1",
      description: "x",
      tools: [],
    });
    expect(text(badName)).toMatch(/^INVALID_ARGUMENT: .*\/name must match pattern/);
    const unknownTool = await call("save_skill", {
      name: "uses-nothing",
      language: "python",
      code: "result = 1",
      description: "Uses a tool that no server has, so it cannot be saved.",
      tools: ["filesystem/no_such_tool"],
    });
    expect(text(unknownTool)).toMatch(/^TOOL_NOT_FOUND/);
    expect(await readdir(join(project, "skills"))).toEqual(before);
  });

  test("a TypeScript skill saved and run", async () => {
    const saved = await call("save_skill", {
      name: "add-numbers",
      language: "typescript",
      code: [
        'import { getSum } from "servers/everything";',
        "export async function run(input: { a: number; b: number }) {",
        "  return { text: JSON.stringify(await getSum(input)) };",
        "}",
      ].join("\n"),
      description: "Adds two numbers with the everything server. Use it to check that TypeScript skills run.",
      tools: ["everything/get-sum"],
      version: "1.0.0",
    });
    expect(saved.structuredContent).toMatchObject({
      version: "1.0.0",
      files: ["SKILL.md", "main.ts", "manifest.yaml", "tools.lock.json"],
      lock: "written",
    });
    expect(saved.structuredContent!.commit).toBeUndefined();
    const run = await call("run_skill", { name: "add-numbers", input: { a: 2, b: 3 } });
    expect(run.structuredContent).toMatchObject({ ok: true });
    expect(String((run.structuredContent!.result as { text: string }).text)).toContain("5");
    const resource = await client.readResource({ uri: "skill://add-numbers/SKILL.md" });
    expect((resource.contents[0] as { text: string }).text).toContain("Adds two numbers");
  });
});
