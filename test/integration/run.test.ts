/**
 * `skills run` through its command function: the example skills against the real servers of the repo's .mcp.json,
 * input parsing and validation with positions, invalid skills, missing tools and servers, failed runs, output
 * schema, timeouts, and --cells. The servers are the repo's, bundled, with the memory server's graph in a temporary
 * folder (test/helpers/testServers.ts: repoServersConfig); test/e2e runs the repo's own .mcp.json.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runSkill } from "../../src/commands/run.js";
import { SkillsError } from "../../src/errors.js";
import { repoServersConfig } from "../helpers/testServers.js";

const repo = resolve(import.meta.dirname, "../..");
let scratch: string;
/** The repo's servers, for runs in the repo and in the scratch folder (`configPath`). */
let mcpConfig: string;

/** Writes a skill folder (SKILL.md, manifest.yaml, entry) and returns its path. */
async function makeSkill(
  name: string,
  manifest: Record<string, unknown>,
  entry: { file: string; code: string },
): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "SKILL.md"),
    `---\nname: ${name}\ndescription: A test skill that exercises skills run.\n---\n\n# ${name}\n\nUsed by the run tests.\n`,
  );
  const yaml = Object.entries({ name, version: "1.0.0", ...manifest })
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join("\n");
  await writeFile(join(dir, "manifest.yaml"), `${yaml}\n`);
  await writeFile(join(dir, entry.file), entry.code);
  return dir;
}

async function expectError(promise: Promise<unknown>, code: string): Promise<SkillsError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SkillsError);
  expect((error as SkillsError).code).toBe(code);
  return error as SkillsError;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "skills-run-test-"));
  // the sandbox's uid (65534) must be able to reach the skill folder it mounts
  await chmod(scratch, 0o755);
  // in a folder of its own: a run in the scratch folder finds no .mcp.json above it
  mcpConfig = await repoServersConfig(join(scratch, "servers"));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("example skills against the real servers", () => {
  test("summarize-directory (python) sizes every file of a folder through filesystem tools", async () => {
    const result = await runSkill({
      ref: "summarize-directory",
      input: JSON.stringify({ path: "skills/find-todos/tests/fixture", top: 1 }),
      cwd: repo,
      configPath: mcpConfig,
    });
    expect(result.ok).toBe(true);
    expect(result.run.isolation).toBe("bwrap");
    expect(result.run.result).toEqual({
      path: "skills/find-todos/tests/fixture",
      files: 2,
      directories: 1,
      total_bytes: expect.any(Number),
      largest: [{ path: "skills/find-todos/tests/fixture/lib/util.ts", bytes: expect.any(Number) }],
      by_extension: { ".py": { files: 1, bytes: expect.any(Number) }, ".ts": { files: 1, bytes: expect.any(Number) } },
    });
    expect(result.run.toolCalls.map((call) => call.tool).sort()).toEqual([
      "filesystem/directory_tree",
      "filesystem/get_file_info",
      "filesystem/get_file_info",
    ]);
    // defaults from the input schema are applied before the run
    expect(result.input).toMatchObject({ exclude: [] });
  });

  test("find-todos (typescript) reads files concurrently and returns only the summary", async () => {
    const result = await runSkill({
      ref: join(repo, "skills/find-todos"),
      input: '{"path": "skills/find-todos/tests/fixture", "limit": 2}',
      cwd: repo,
      configPath: mcpConfig,
    });
    expect(result.ok).toBe(true);
    expect(result.run.result).toMatchObject({
      filesScanned: 2,
      filesWithTodos: 2,
      total: 5,
      byTag: { TODO: 2, FIXME: 1, HACK: 1, XXX: 1 },
      byFile: [
        { file: "lib/util.ts", count: 3 },
        { file: "app.py", count: 2 },
      ],
      items: [
        { file: "app.py", line: 2, tag: "TODO", text: "read the port from the environment" },
        { file: "app.py", line: 4, tag: "FIXME", text: "this crashes on an empty list" },
      ],
    });
  });

  test("knowledge-graph (typescript) writes to and queries server-memory", async () => {
    const tag = `T${randomBytes(4).toString("hex")}`;
    const result = await runSkill({
      ref: "knowledge-graph",
      input: JSON.stringify({
        entities: [
          { name: `${tag} Grace`, type: "person", observations: ["reviews the compiler"] },
          { name: `${tag} Compiler`, type: "component", observations: ["emits wasm"] },
        ],
        relations: [{ from: `${tag} Grace`, to: `${tag} Compiler`, type: "reviews" }],
        query: `${tag} Compiler`,
      }),
      cwd: repo,
      configPath: mcpConfig,
    });
    expect(result.ok).toBe(true);
    expect(result.run.result).toEqual({
      query: `${tag} Compiler`,
      created: { entities: 2, relations: 1 },
      matches: [
        {
          name: `${tag} Compiler`,
          type: "component",
          observations: ["emits wasm"],
          outgoing: [],
          incoming: [`${tag} Grace reviews`],
        },
      ],
    });
  });

  test("PII in tool results is tokenized before the skill sees it (and so never reaches the result)", async () => {
    const tag = `P${randomBytes(4).toString("hex")}`;
    const email = `grace.${tag.toLowerCase()}@example.org`;
    const input = JSON.stringify({
      entities: [{ name: `${tag} Contact`, type: "person", observations: [`reach at ${email}`] }],
      query: `${tag} Contact`,
    });
    const result = await runSkill({ ref: "knowledge-graph", input, cwd: repo, configPath: mcpConfig });
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result.run.result)).not.toContain(email);
    expect(JSON.stringify(result.run.result)).toMatch(/reach at \[EMAIL_\d+\]/);
    const off = await runSkill({ ref: "knowledge-graph", input, cwd: repo, configPath: mcpConfig, pii: "off" });
    expect(JSON.stringify(off.run.result)).toContain(email);
  });

  test("import-contacts (python): real emails and phones reach server-memory, the run shows only tokens", async () => {
    const tag = randomBytes(4).toString("hex");
    const email = `ada.${tag}@example.com`;
    const phone = "+1 202-555-0143";
    const file = join(repo, ".skills", `contacts-${tag}.json`);
    await mkdir(join(repo, ".skills"), { recursive: true });
    await writeFile(file, JSON.stringify([{ name: `Ada ${tag}`, email, phone, team: "engines" }]));
    try {
      const result = await runSkill({
        ref: "import-contacts",
        input: JSON.stringify({ path: `.skills/contacts-${tag}.json` }),
        cwd: repo,
        configPath: mcpConfig,
      });
      expect(result.ok).toBe(true);
      expect(result.run.result).toEqual({
        imported: 1,
        teams: { engines: 1 },
        sample: `Ada ${tag} <[EMAIL_1]> [PHONE_1]`,
      });
      const everything = JSON.stringify(result);
      expect(everything).not.toContain(email);
      expect(everything).not.toContain("202-555-0143");
      const memory = await readFile(join(scratch, "servers", "memory.jsonl"), "utf8");
      const stored = memory.split("\n").find((line) => line.includes(`"Ada ${tag}"`));
      expect(stored).toContain(`email: ${email}`);
      expect(stored).toContain(`phone: ${phone}`);
    } finally {
      await rm(file, { force: true });
    }
  });

  test("everything-chain (python) chains three tools of server-everything", async () => {
    const result = await runSkill({
      ref: "everything-chain",
      input: JSON.stringify({ numbers: [4, 5, 6.5], cities: ["Chicago", "Los Angeles"] }),
      cwd: repo,
      configPath: mcpConfig,
    });
    expect(result.ok).toBe(true);
    const value = result.run.result as { total: number; additions: number; warmest: string; report: string };
    expect(value.total).toBe(15.5);
    expect(value.additions).toBe(2);
    expect(["Chicago", "Los Angeles"]).toContain(value.warmest);
    expect(value.report).toMatch(/^sum=15\.5 over 3 numbers; warmest: /);
  });

  test("a failing run (path outside the server's roots) is ok=false with the server's message", async () => {
    const result = await runSkill({
      ref: "summarize-directory",
      input: '{"path": "/etc"}',
      cwd: repo,
      configPath: mcpConfig,
    });
    expect(result.ok).toBe(false);
    expect(result.run.error?.code).toBe("PROGRAM_ERROR");
    expect(result.run.error?.message).toMatch(/Access denied|outside allowed/i);
  });

  test("--cells runs the entry cell by cell in one session and ends with the skill's result", async () => {
    const result = await runSkill({
      ref: "summarize-directory",
      input: '{"path": "skills/find-todos/tests/fixture"}',
      cells: true,
      cwd: repo,
      configPath: mcpConfig,
    });
    expect(result.ok).toBe(true);
    expect(result.cells?.map((cell) => cell.line)).toEqual([1, 11, 37, 0]);
    expect(result.run.result).toMatchObject({ files: 2, directories: 1 });
  });

  test("--cells with a TypeScript entry (explicit exports are fine)", async () => {
    const result = await runSkill({
      ref: "find-todos",
      input: '{"path": "skills/find-todos/tests/fixture", "limit": 0}',
      cells: true,
      cwd: repo,
      configPath: mcpConfig,
    });
    expect(result.ok).toBe(true);
    expect(result.run.result).toMatchObject({ total: 5, items: [] });
  });
});

describe("input", () => {
  test("invalid JSON names the line and column", async () => {
    const error = await expectError(
      runSkill({ ref: "find-todos", input: '{"path": "src",\n  "limit": }', cwd: repo, configPath: mcpConfig }),
      "INPUT_INVALID",
    );
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.data).toMatchObject({ file: "--input", line: 2, column: 12 });
  });

  test("input that breaks the schema names the pointer, and its line in an @file", async () => {
    const file = join(scratch, "bad-input.json");
    await writeFile(file, '{\n  "path": "src",\n  "top": 500\n}\n');
    const error = await expectError(
      runSkill({ ref: "summarize-directory", input: `@${file}`, cwd: repo, configPath: mcpConfig }),
      "INPUT_INVALID",
    );
    expect(error.data).toMatchObject({ pointer: "/top", line: 3 });
    expect(error.message).toContain("/top: must be <= 50");
    expect(error.data.hint).toContain("manifest.yaml");
  });

  test("a missing required property and an unknown one are both reported", async () => {
    const error = await expectError(
      runSkill({ ref: "summarize-directory", input: '{"paht": "src"}', cwd: repo, configPath: mcpConfig }),
      "INPUT_INVALID",
    );
    expect(error.message).toContain('required property "path" is missing');
    expect(error.message).toContain('unknown property "paht"');
  });

  test("YAML input files are accepted", async () => {
    const file = join(scratch, "input.yaml");
    await writeFile(file, "numbers: [1, 2]\ncities:\n  - Chicago\n");
    const result = await runSkill({ ref: "everything-chain", input: `@${file}`, cwd: repo, configPath: mcpConfig });
    expect(result.ok).toBe(true);
    expect((result.run.result as { total: number }).total).toBe(3);
  });

  test("an @file that does not exist is NOT_FOUND", async () => {
    const error = await expectError(
      runSkill({ ref: "find-todos", input: "@no/such/input.json", cwd: repo, configPath: mcpConfig }),
      "NOT_FOUND",
    );
    expect(error.data.hint).toMatch(/path after @/);
  });

  test("a bare @ is a usage error", async () => {
    await expectError(runSkill({ ref: "find-todos", input: "@", cwd: repo, configPath: mcpConfig }), "USAGE");
  });
});

describe("skills and tools that cannot run", () => {
  test("name@version that is not a release is VERSION_NOT_FOUND (input error)", async () => {
    const error = await expectError(
      runSkill({ ref: "find-todos@99.0.0", cwd: repo, configPath: mcpConfig }),
      "VERSION_NOT_FOUND",
    );
    expect(error.message).toMatch(/^find-todos(@99\.0\.0 is not a release of find-todos| has no releases)/);
  });

  test("an unknown skill name is NOT_FOUND", async () => {
    await expectError(runSkill({ ref: "no-such-skill-anywhere", cwd: repo, configPath: mcpConfig }), "NOT_FOUND");
  });

  test("an invalid skill lists its problems with positions (exit 2)", async () => {
    const dir = await makeSkill("broken-skill", { language: "cobol", entry: "main.py" }, { file: "main.py", code: "" });
    const error = await expectError(runSkill({ ref: dir, cwd: scratch }), "MANIFEST_INVALID");
    expect(error.message).toMatch(/is invalid/);
    expect(error.message).toMatch(/manifest\.yaml:\d+:\d+/);
    expect(Array.isArray(error.data.problems)).toBe(true);
  });

  test("a declared tool the server lacks is TOOL_NOT_FOUND with a suggestion", async () => {
    const dir = await makeSkill(
      "missing-tool",
      { language: "python", entry: "main.py", tools: { "filesystem/read_text_fil": "^0.2.0" } },
      { file: "main.py", code: "def run(input):\n    return 1\n" },
    );
    const error = await expectError(runSkill({ ref: dir, cwd: scratch, configPath: mcpConfig }), "TOOL_NOT_FOUND");
    expect(error.message).toContain('server "filesystem" has no tool "read_text_fil"');
    expect(error.data.hint).toContain('did you mean "read_text_file"');
  });

  test("a tool of a server that .mcp.json does not configure is SERVER_NOT_FOUND", async () => {
    const dir = await makeSkill(
      "missing-server",
      { language: "python", entry: "main.py", tools: { "github/create_issue": "^1.0.0" } },
      { file: "main.py", code: "def run(input):\n    return 1\n" },
    );
    const error = await expectError(runSkill({ ref: dir, cwd: scratch, configPath: mcpConfig }), "SERVER_NOT_FOUND");
    expect(error.data.hint).toContain("filesystem, memory, everything");
  });

  test("a version outside the declared range is a warning, and the run still happens", async () => {
    const dir = await makeSkill(
      "old-range",
      { language: "python", entry: "main.py", tools: { "everything/get-sum": "^1.0.0" } },
      {
        file: "main.py",
        code: "from servers.everything import get_sum\ndef run(input):\n    return get_sum(a=2, b=3)\n",
      },
    );
    const result = await runSkill({ ref: dir, cwd: scratch, configPath: mcpConfig });
    expect(result.ok).toBe(true);
    expect(result.warnings.join("\n")).toContain("outside the declared range ^1.0.0");
  });

  test("a result that breaks the output schema fails the run with OUTPUT_INVALID and the pointer", async () => {
    const dir = await makeSkill(
      "bad-output",
      {
        language: "python",
        entry: "main.py",
        output: { type: "object", properties: { count: { type: "integer" } }, required: ["count"] },
      },
      { file: "main.py", code: 'def run(input):\n    return {"count": "three"}\n' },
    );
    const result = await runSkill({ ref: dir, cwd: scratch });
    expect(result.ok).toBe(false);
    expect(result.run.error?.code).toBe("OUTPUT_INVALID");
    expect(result.run.error?.pointer).toBe("/count");
  });

  test("--timeout overrides the manifest and kills a slow program", async () => {
    const dir = await makeSkill(
      "slow-skill",
      { language: "typescript", entry: "main.ts", limits: { timeout_ms: 60000 } },
      { file: "main.ts", code: "export async function run() { await new Promise((r) => setTimeout(r, 60000)); }\n" },
    );
    const started = Date.now();
    const result = await runSkill({ ref: dir, cwd: scratch, timeoutMs: 700 });
    expect(result.ok).toBe(false);
    expect(result.run.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test("a skill without tools needs no .mcp.json", async () => {
    const lonely = await mkdtemp(join(tmpdir(), "skills-run-nomcp-"));
    await chmod(lonely, 0o755);
    try {
      // a project of its own (a package.json makes it the root), with no .mcp.json anywhere in it
      await writeFile(join(lonely, "package.json"), '{ "name": "lonely", "private": true }\n');
      const dir = join(lonely, "skills", "no-tools");
      await mkdir(dir, { recursive: true });
      await writeFile(
        join(dir, "SKILL.md"),
        "---\nname: no-tools\ndescription: Doubles a number.\n---\n\nDoubles `n`.\n",
      );
      await writeFile(
        join(dir, "manifest.yaml"),
        "name: no-tools\nversion: 0.1.0\nlanguage: python\nentry: main.py\ninput: { type: object, properties: { n: { type: number } } }\n",
      );
      await writeFile(join(dir, "main.py"), 'def run(input):\n    return input["n"] * 2\n');
      const result = await runSkill({ ref: "no-tools", input: '{"n": 21}', cwd: lonely });
      expect(result.run.result).toBe(42);
    } finally {
      await rm(lonely, { recursive: true, force: true });
    }
  });
});
