// biome-ignore-all lint/suspicious/noTemplateCurlyInString: .mcp.json uses ${VAR} syntax, these strings are config text
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SkillsError } from "../../../src/errors.js";
import { findMcpConfig, loadMcpConfig, parseMcpConfig } from "../../../src/mcp/config.js";
import { expandVariables, showVariables } from "../../../src/mcp/config/expand.js";
import { MCP_CONFIG_SCHEMA_PATH } from "../../../src/mcp/config/schema.js";

const FILE = "/project/.mcp.json";

function parse(value: unknown, env: NodeJS.ProcessEnv = {}) {
  return parseMcpConfig(typeof value === "string" ? value : JSON.stringify(value, null, 2), FILE, env);
}

function errors(value: unknown, env: NodeJS.ProcessEnv = {}) {
  const result = parse(value, env);
  if (result.ok) throw new Error("expected problems");
  return result.errors;
}

describe("expandVariables", () => {
  const env = { HOME: "/home/me", EMPTY: "" };
  it.each([
    ["${HOME}/x", "/home/me/x"],
    ["${MISSING:-fallback}", "fallback"],
    ["${EMPTY:-used when empty}", "used when empty"],
    ["${MISSING:-}", ""],
    ["no variables", "no variables"],
    ["$HOME stays", "$HOME stays"],
    ["${workspaceFolder}/a", "/ws/a"],
  ])("%s → %s", (input, expected) => {
    expect(expandVariables(input, env, { workspaceFolder: "/ws" })).toEqual({ ok: true, value: expected });
  });
  it("names the first unset variable", () => {
    expect(expandVariables("${A}${B}", {})).toEqual({ ok: false, variable: "A" });
  });
  it.each(["constructor", "toString", "__proto__", "hasOwnProperty"])(
    "${%s} is a variable like any other, not a property every object has",
    (name) => {
      expect(expandVariables(`$\{${name}}`, process.env, { workspaceFolder: "/ws" })).toEqual({
        ok: false,
        variable: name,
      });
      expect(expandVariables(`$\{${name}:-x}`, {}, { workspaceFolder: "/ws" })).toEqual({ ok: true, value: "x" });
      expect(showVariables(`$\{${name}}`, { workspaceFolder: "/ws" })).toBe(`$\{${name}}`);
    },
  );
});

describe("parseMcpConfig", () => {
  it("resolves stdio servers: command paths and cwd against the config folder, ${VAR} in args/env", () => {
    const result = parse(
      {
        mcpServers: {
          local: {
            command: "node_modules/.bin/server",
            args: ["${workspaceFolder}", "--token=${TOKEN}"],
            env: { KEY: "${KEY:-dev}" },
          },
          onPath: { command: "python3", args: ["-m", "server"], cwd: "sub" },
          abs: { type: "stdio", command: "/usr/bin/env" },
        },
      },
      { TOKEN: "t0k" },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.file).toBe(FILE);
    expect(result.config.dir).toBe("/project");
    expect(result.config.servers.local).toEqual({
      type: "stdio",
      name: "local",
      command: "/project/node_modules/.bin/server",
      args: ["/project", "--token=t0k"],
      env: { KEY: "dev" },
      cwd: "/project",
      // what messages show: the variable's name, not its value
      shown: "/project/node_modules/.bin/server /project --token=${TOKEN}",
      // the variables it takes, by name (a start plan leaves such a server out: src/cli/startPlan.ts)
      variables: ["TOKEN", "KEY"],
    });
    expect(result.config.servers.onPath).toMatchObject({ command: "python3", cwd: "/project/sub" });
    expect(result.config.servers.onPath).not.toHaveProperty("variables");
    expect(result.config.servers.abs).toMatchObject({ command: "/usr/bin/env", args: [] });
  });

  it("reads http servers with headers and per-server timeouts, and leaves disabled servers out", () => {
    const result = parse(
      {
        mcpServers: {
          remote: {
            type: "http",
            url: "https://mcp.example.com/mcp",
            headers: { Authorization: "Bearer ${API_TOKEN}" },
            timeout: 5000,
          },
          off: { command: "x", disabled: true },
        },
      },
      { API_TOKEN: "secret" },
    );
    expect(result.ok && result.config.servers).toEqual({
      remote: {
        type: "http",
        name: "remote",
        url: "https://mcp.example.com/mcp",
        headers: { Authorization: "Bearer secret" },
        timeoutMs: 5000,
        shown: "https://mcp.example.com/mcp",
      },
    });
    expect(result.ok && result.config.disabled).toEqual(["off"]);
  });

  it("reports JSON syntax errors with line and column", () => {
    const [problem] = errors('{\n  "mcpServers": {\n    "a": { "command": "x", }\n  }\n}');
    expect(problem).toMatchObject({ code: "JSON_SYNTAX", line: 3, column: 28, file: FILE });
    expect(problem!.message).toContain("trailing comma");
    expect(problem!.hint).toContain("no trailing commas");
  });

  it("reports an unset variable at the string that uses it", () => {
    const [problem] = errors({
      mcpServers: { gh: { command: "gh-server", env: { GITHUB_TOKEN: "${GITHUB_TOKEN}" } } },
    });
    expect(problem).toMatchObject({
      code: "MCP_CONFIG_VARIABLE",
      pointer: "/mcpServers/gh/env/GITHUB_TOKEN",
      line: 6,
      column: 25,
    });
    expect(problem!.message).toContain("environment variable GITHUB_TOKEN is not set");
    expect(problem!.hint).toContain("${GITHUB_TOKEN:-value}");
  });

  const shapes: [string, unknown, string, string, number, number][] = [
    ["no mcpServers", { servers: {} }, "", 'is missing "mcpServers"', 1, 1],
    [
      "a stdio server without command",
      { mcpServers: { a: { args: [] } } },
      "/mcpServers/a",
      'missing "command"',
      3,
      10,
    ],
    [
      "an unknown key (typo)",
      { mcpServers: { a: { command: "x", arg: [] } } },
      "/mcpServers/a/arg",
      'unknown property "arg"',
      5,
      14,
    ],
    [
      "args that are not strings",
      { mcpServers: { a: { command: "x", args: [1] } } },
      "/mcpServers/a/args/0",
      "must be string",
      6,
      9,
    ],
    [
      "a bad server name",
      { mcpServers: { "a/b": { command: "x" } } },
      "/mcpServers/a~1b",
      'server name "a/b" is not allowed',
      3,
      12,
    ],
    [
      "an unknown transport",
      { mcpServers: { a: { type: "sse", command: "x" } } },
      "/mcpServers/a/type",
      'must be "stdio" or "http"',
      4,
      15,
    ],
    ["http without url", { mcpServers: { a: { type: "http" } } }, "/mcpServers/a", 'missing "url"', 3, 10],
    [
      "http with a non-http url",
      { mcpServers: { a: { type: "http", url: "ftp://x" } } },
      "/mcpServers/a/url",
      "must match pattern",
      5,
      14,
    ],
    ["an unknown top-level key", { mcpServers: {}, extra: 1 }, "/extra", 'unknown property "extra"', 3, 12],
  ];
  it.each(shapes)("rejects %s", (_name, value, pointer, message, line, column) => {
    const problems = errors(value);
    const problem = problems.find((p) => p.pointer === pointer);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem!.message).toContain(message);
    expect(problem).toMatchObject({ line, column, file: FILE, severity: "error" });
  });
});

describe("loadMcpConfig", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "skills-config-"));
    await mkdir(join(root, "project", "deep", "er"), { recursive: true });
    await writeFile(join(root, "project", ".mcp.json"), JSON.stringify({ mcpServers: { a: { command: "./srv" } } }));
    await writeFile(join(root, "other.json"), JSON.stringify({ mcpServers: { b: { command: "srv" } } }));
    await writeFile(join(root, "broken.json"), '{\n  "mcpServers": {\n    "a": { "command": 5 }\n  }\n}\n');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("finds the nearest .mcp.json above the working folder", async () => {
    const config = await loadMcpConfig({ cwd: join(root, "project", "deep", "er") });
    expect(config.file).toBe(join(root, "project", ".mcp.json"));
    expect(config.servers.a).toMatchObject({ command: join(root, "project", "srv"), cwd: join(root, "project") });
    expect(await findMcpConfig(join(root, "project"))).toBe(join(root, "project", ".mcp.json"));
  });

  it("uses --config instead, relative to the working folder", async () => {
    const config = await loadMcpConfig({ cwd: join(root, "project"), configPath: "../other.json" });
    expect(Object.keys(config.servers)).toEqual(["b"]);
  });

  it("keeps ${workspaceFolder} at the project with --config elsewhere; relative paths stay the file's", async () => {
    const elsewhere = join(root, "elsewhere");
    await mkdir(elsewhere, { recursive: true });
    await writeFile(
      join(elsewhere, "try.json"),
      JSON.stringify({
        mcpServers: {
          fs: { command: "node_modules/.bin/srv", args: ["${workspaceFolder}"], env: { F: "${workspaceFolder}/f" } },
        },
      }),
    );
    // The working folder is inside the project (its .mcp.json marks the root): the copy serves that project.
    const project = join(root, "project");
    const config = await loadMcpConfig({ cwd: join(project, "deep"), configPath: "../../elsewhere/try.json" });
    expect(config.file).toBe(join(elsewhere, "try.json"));
    expect(config.dir).toBe(project);
    expect(config.servers.fs).toMatchObject({
      command: join(elsewhere, "node_modules/.bin/srv"),
      args: [project],
      env: { F: `${project}/f` },
      cwd: project,
    });
    // Found by search, the workspace is the folder that holds .mcp.json.
    expect((await loadMcpConfig({ cwd: join(project, "deep") })).dir).toBe(project);
  });

  it("fails with MCP_CONFIG_NOT_FOUND when there is none, or the --config file is missing", async () => {
    const none = await loadMcpConfig({ cwd: root }).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(SkillsError);
    expect((none as SkillsError).code).toBe("MCP_CONFIG_NOT_FOUND");
    expect((none as SkillsError).data.hint).toContain("--config");
    const missing = (await loadMcpConfig({ cwd: root, configPath: "nope.json" }).catch(
      (e: unknown) => e,
    )) as SkillsError;
    expect(missing.code).toBe("MCP_CONFIG_NOT_FOUND");
    expect(missing.message).toContain("nope.json");
  });

  it("fails with MCP_CONFIG_INVALID naming file:line:column, relative to the working folder", async () => {
    const error = (await loadMcpConfig({ cwd: root, configPath: "broken.json" }).catch(
      (e: unknown) => e,
    )) as SkillsError;
    expect(error.code).toBe("MCP_CONFIG_INVALID");
    expect(error.data).toMatchObject({ file: "broken.json", line: 3, column: 23, pointer: "/mcpServers/a/command" });
    expect(error.message).toContain("must be string");
    expect(Array.isArray(error.data.problems)).toBe(true);
  });
});

describe("the repo's .mcp.json and the schema", () => {
  const root = fileURLToPath(new URL("../../..", import.meta.url));

  it("the schema compiles under ajv's strict mode", () => {
    const schema = JSON.parse(readFileSync(MCP_CONFIG_SCHEMA_PATH, "utf8"));
    expect(() => new Ajv2020({ strict: true }).compile(schema)).not.toThrow();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });

  it("the repo's .mcp.json is valid and points at installed server bins", () => {
    const file = join(root, ".mcp.json");
    const result = parseMcpConfig(readFileSync(file, "utf8"), file, {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.config.servers)).toEqual(["filesystem", "memory", "everything"]);
    for (const server of Object.values(result.config.servers)) {
      expect(server.type).toBe("stdio");
      if (server.type === "stdio") expect(existsSync(server.command), server.command).toBe(true);
    }
    expect(result.config.servers.filesystem).toMatchObject({ args: [root.replace(/\/$/, "")] });
    expect(result.config.servers.memory).toMatchObject({
      env: { MEMORY_FILE_PATH: join(root, ".skills", "memory.jsonl") },
    });
  });
});
