// biome-ignore-all lint/suspicious/noTemplateCurlyInString: .mcp.json uses ${VAR} syntax
/**
 * `skills tools` end to end against the three real servers: the search-quality table over their real catalog,
 * every option of search/list/show, and every error a user can hit (bad options, bad .mcp.json, failing servers).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { openCatalog } from "../../src/commands/tools.js";
import { countTokens } from "../../src/core/discovery/tokens.js";
import { searchTools } from "../../src/core/discovery/search.js";
import { buildSearchIndex, type SearchIndex } from "../../src/core/discovery/searchIndex.js";
import { skillsInProcess } from "../helpers/cli.js";
import { npmServer } from "../helpers/testServers.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const FIXTURES = join(ROOT, "test/fixtures/servers");

let dir: string;
let index: SearchIndex;

const cli = (args: string[], cwd = dir) => skillsInProcess(args, cwd);

async function project(servers: Record<string, unknown>): Promise<string> {
  const folder = await mkdtemp(join(dir, "project-"));
  await writeFile(join(folder, ".mcp.json"), JSON.stringify({ mcpServers: servers }, null, 2));
  return folder;
}

const REAL_SERVERS = {
  filesystem: { command: npmServer("filesystem"), args: ["${workspaceFolder}"] },
  memory: { command: npmServer("memory"), env: { MEMORY_FILE_PATH: "${workspaceFolder}/.skills/memory.jsonl" } },
  everything: { command: npmServer("everything"), args: ["stdio"] },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skills-tools-"));
  await writeFile(join(dir, ".mcp.json"), JSON.stringify({ mcpServers: REAL_SERVERS }, null, 2));
  const catalog = await openCatalog({ cwd: dir });
  index = buildSearchIndex(catalog.tools);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const READ_TOOLS = [
  "filesystem/read_file",
  "filesystem/read_media_file",
  "filesystem/read_multiple_files",
  "filesystem/read_text_file",
];

// query → the expected top result (or any of a list, when several tools are equally right).
const QUALITY: [string, string, string | string[]][] = [
  // typos
  ["typo", "raed fiel", READ_TOOLS],
  ["typo", "list_dirctory", "filesystem/list_directory"],
  ["typo", "serch files", "filesystem/search_files"],
  ["typo", "directry tree", "filesystem/directory_tree"],
  ["typo", "creat entites", "memory/create_entities"],
  ["typo", "delet relations", "memory/delete_relations"],
  ["typo", "get-smu", "everything/get-sum"],
  ["typo", "ecko", "everything/echo"],
  ["typo", "mvoe file", "filesystem/move_file"],
  ["typo", "opne nodes", "memory/open_nodes"],
  // synonyms: words the descriptions do not use
  ["synonym", "make a folder", "filesystem/create_directory"],
  ["synonym", "rename a file", "filesystem/move_file"],
  ["synonym", "remove a relationship", "memory/delete_relations"],
  ["synonym", "add two numbers", "everything/get-sum"],
  ["synonym", "environment variables", "everything/get-env"],
  ["synonym", "picture", "everything/get-tiny-image"],
  ["synonym", "compress a file", "everything/gzip-file-as-resource"],
  ["synonym", "file metadata", "filesystem/get_file_info"],
  ["synonym", "save text to disk", "filesystem/write_file"],
  ["synonym", "modify lines in a file", "filesystem/edit_file"],
  ["synonym", "find files by pattern", "filesystem/search_files"],
  ["synonym", "remember a fact about someone", "memory/add_observations"],
  ["synonym", "show folder contents", "filesystem/list_directory"],
  ["synonym", "biggest files in a folder", "filesystem/list_directory_with_sizes"],
  ["synonym", "dump the knowledge graph", "memory/read_graph"],
  ["synonym", "progress updates", "everything/trigger-long-running-operation"],
  ["synonym", "which folders can I access", "filesystem/list_allowed_directories"],
  ["synonym", "read several files at once", "filesystem/read_multiple_files"],
  ["synonym", "audio or image file", "filesystem/read_media_file"],
  ["synonym", "look up nodes", "memory/search_nodes"],
  // partial and run-together names
  ["partial", "list_dir", "filesystem/list_directory"],
  ["partial", "dir tree", "filesystem/directory_tree"],
  ["partial", "allowed dirs", "filesystem/list_allowed_directories"],
  ["partial", "gzip", "everything/gzip-file-as-resource"],
  ["partial", "structured", "everything/get-structured-content"],
  ["partial", "long running", "everything/trigger-long-running-operation"],
  ["partial", "create entit", "memory/create_entities"],
  ["partial", "observations delete", "memory/delete_observations"],
  ["partial", "resource links", "everything/get-resource-links"],
  ["partial", "tiny image", "everything/get-tiny-image"],
  ["partial", "annotated message", "everything/get-annotated-message"],
  ["partial", "readfile", "filesystem/read_file"],
  // exact names
  ["exact", "filesystem/read_text_file", "filesystem/read_text_file"],
  ["exact", "read_graph", "memory/read_graph"],
  ["exact", "echo", "everything/echo"],
  ["phrase", "read a file", READ_TOOLS],
];

describe("search quality over the real catalog", () => {
  it("has at least 30 queries", () => {
    expect(QUALITY.length).toBeGreaterThanOrEqual(30);
  });
  it.each(QUALITY)("%s: %j → %j", (_kind, query, expected) => {
    const top = searchTools(index, query, { limit: 5 })[0]?.key;
    if (Array.isArray(expected)) expect(expected).toContain(top);
    else expect(top).toBe(expected);
  });
  it('lists the four filesystem read tools first for "read a file"', () => {
    const keys = searchTools(index, "read a file", { limit: 4 }).map((hit) => hit.key);
    expect([...keys].sort()).toEqual(READ_TOOLS);
  });
});

describe("skills tools search", () => {
  it("prints name and first sentence per tool, read tools first", async () => {
    const { code, out, err } = await cli(["tools", "search", "read a file", "--detail", "summary"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(10);
    expect(
      lines
        .slice(0, 4)
        .map((line) => line.split(/\s+/)[0])
        .sort(),
    ).toEqual(READ_TOOLS);
    expect(lines[0]).toMatch(/^filesystem\/read_\w+\s+Read /);
  });

  it("joins unquoted words, honours --limit and --detail name", async () => {
    const { code, out } = await cli(["tools", "search", "read", "a", "file", "--limit", "2", "--detail", "name"]);
    expect(code).toBe(0);
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(READ_TOOLS).toContain(line);
  });

  it("--detail full --json gives schemas, server info and scores", async () => {
    const { code, out } = await cli(["tools", "search", "get_file_info", "--detail", "full", "--json"]);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ ok: true, query: "get_file_info", detail: "full", limit: 10 });
    expect(result.results[0]).toMatchObject({
      key: "filesystem/get_file_info",
      match: "exact",
      serverInfo: { name: "secure-filesystem-server" },
      inputSchema: { type: "object", properties: { path: { type: "string" } } },
    });
    expect(result.results[0].signatures.ts).toContain("getFileInfo(input: { path: string");
    expect(result.results[0].signatures.python).toContain("def get_file_info(*, path: str");
    expect(Object.keys(result.servers).sort()).toEqual(["everything", "filesystem", "memory"]);
  });

  it("full detail in text shows the description and schemas", async () => {
    const { code, out } = await cli(["tools", "search", "get-sum", "--detail", "full", "--limit", "1"]);
    expect(code).toBe(0);
    expect(out).toContain("everything/get-sum");
    expect(out).toContain("Returns the sum of two numbers");
    expect(out).toContain("Input schema");
    expect(out).toContain('"a"');
  });

  it("--stats counts the answer's tokens against the whole catalog's", async () => {
    const json = JSON.parse(
      (await cli(["tools", "search", "read a file", "--stats", "--json", "--detail", "name"])).out,
    );
    expect(json.stats.tokenizer).toBe("o200k_base");
    expect(json.stats.catalogTools).toBeGreaterThanOrEqual(36);
    expect(json.stats.answerTokens).toBeGreaterThan(0);
    expect(json.stats.catalogTokens).toBeGreaterThan(20 * json.stats.answerTokens);
    const text = await cli(["tools", "search", "read a file", "--stats"]);
    expect(text.out).toMatch(
      /tokens \(o200k_base\): this answer \d+, all \d+ tool definitions as the servers sent them \d+ \(\d+\.\d%\)/,
    );
  });

  it("list --stats prints its figures, the catalog's being the tokens of what the server sent", async () => {
    const json = JSON.parse((await cli(["tools", "list", "--server", "filesystem", "--stats", "--json"])).out);
    // The server's own tools/list answer, fetched here with the SDK's client and nothing of ours in between.
    const client = new Client({ name: "stats-test", version: "1.0.0" });
    await client.connect(new StdioClientTransport({ command: npmServer("filesystem"), args: [dir], stderr: "ignore" }));
    const sent = (await client.listTools()).tools;
    await client.close();
    expect(json.stats).toEqual({
      tokenizer: "o200k_base",
      answerTokens: await countTokens(JSON.stringify(json.tools)),
      catalogTokens: await countTokens(JSON.stringify(sent)),
      catalogTools: sent.length,
    });
    const text = await cli(["tools", "list", "--server", "filesystem", "--stats"]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      new RegExp(
        `tokens \\(o200k_base\\): this list ${json.stats.answerTokens}, all ${sent.length} tool definitions as the servers sent them ${json.stats.catalogTokens} \\(\\d+\\.\\d%\\)\\n$`,
      ),
    );
  });

  it("--server limits the search and starts only that server", async () => {
    const { out } = await cli(["tools", "search", "read", "--server", "memory", "--json", "--refresh"]);
    const result = JSON.parse(out);
    expect(Object.keys(result.servers)).toEqual(["memory"]);
    expect(result.results.length).toBeGreaterThan(0);
    for (const hit of result.results) expect(hit.server).toBe("memory");
    const both = JSON.parse((await cli(["tools", "search", "read", "--server", "memory,everything", "--json"])).out);
    expect(Object.keys(both.servers).sort()).toEqual(["everything", "memory"]);
  });

  it("says which servers it starts when stderr is a terminal, and nothing when the catalog is cached", async () => {
    const stdout = new PassThrough();
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    let err = "";
    stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    const argv = ["node", "skills", "tools", "search", "echo", "--server", "everything"];
    const env = { ...process.env, NO_COLOR: "1" };
    expect(await main([...argv, "--refresh"], { cwd: dir, stdout, stderr, env })).toBe(0);
    expect(err).toBe("starting MCP server everything…\n");
    err = "";
    expect(await main(argv, { cwd: dir, stdout, stderr, env })).toBe(0);
    expect(err).toBe("");
    process.exitCode = 0;
  });

  it("says so when nothing matches", async () => {
    const { code, out } = await cli(["tools", "search", "qqqqqqqq"]);
    expect(code).toBe(0);
    expect(out.trim()).toBe('no tools match "qqqqqqqq"');
  });

  it("leaves no server running after the command", async () => {
    await cli(["tools", "search", "echo", "--refresh"]);
    const ps = await promisify(execFile)("ps", ["-eo", "args"]);
    expect(ps.stdout).not.toContain(`${npmServer("filesystem")} ${dir}`);
  });
});

describe("skills tools list and show", () => {
  it("lists every tool, or one server's, at any detail", async () => {
    const all = JSON.parse((await cli(["tools", "list", "--json"])).out);
    expect(all.tools.length).toBeGreaterThanOrEqual(36);
    expect(all.tools[0]).toHaveProperty("summary");
    const { code, out } = await cli(["tools", "list", "--server", "memory", "--detail", "name"]);
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toEqual([
      "memory/create_entities",
      "memory/create_relations",
      "memory/add_observations",
      "memory/delete_entities",
      "memory/delete_observations",
      "memory/delete_relations",
      "memory/read_graph",
      "memory/search_nodes",
      "memory/open_nodes",
    ]);
  });

  it("shows one tool in full", async () => {
    const { code, out } = await cli(["tools", "show", "filesystem/read_text_file"]);
    expect(code).toBe(0);
    expect(out).toContain("filesystem/read_text_file  Read Text File");
    expect(out).toContain("server secure-filesystem-server");
    expect(out).toContain("Input schema");
    expect(out).toContain("Output schema");
    expect(out).toContain("readOnlyHint");
    expect(out).toContain("TypeScript\n  readTextFile(input: { path: string;");
    expect(out).toContain("Python\n  def read_text_file(*, path: str");
    const json = JSON.parse((await cli(["tools", "show", "get-env", "--json"])).out);
    expect(json.tool).toMatchObject({ key: "everything/get-env", server: "everything" });
  });

  it("suggests a close name for a typo (exit 2)", async () => {
    const { code, err } = await cli(["tools", "show", "filesystem/raed_text_file"]);
    expect(code).toBe(2);
    expect(err).toContain('TOOL_NOT_FOUND  no tool "filesystem/raed_text_file"');
    expect(err).toContain("did you mean filesystem/read_text_file?");
  });
});

describe("skills tools: bad input", () => {
  it.each([
    [["tools"], "tools needs an action"],
    [["tools", "frobnicate"], 'unknown tools action "frobnicate"'],
    [["tools", "search"], "tools search needs a query"],
    [["tools", "search", "  "], "the search query is empty"],
    [["tools", "show"], "tools show needs one tool"],
    [["tools", "search", "x", "--detail", "everything"], "--detail must be name, summary or full"],
    [["tools", "search", "x", "--limit", "0"], "--limit must be a whole number of at least 1"],
    [["tools", "search", "x", "--limit", "many"], "--limit must be a whole number"],
    [["tools", "list", "--server", "nope"], 'no server "nope"'],
  ])("%j → exit 2: %s", async (args, message) => {
    const { code, err, out } = await cli(args as string[]);
    expect(out).toBe("");
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain("hint:");
    expect(err).not.toMatch(/\n\s+at /);
  });

  it("reports a malformed .mcp.json with file:line:column (exit 2)", async () => {
    const folder = await mkdtemp(join(dir, "broken-"));
    await writeFile(join(folder, ".mcp.json"), '{\n  "mcpServers": {\n    "a": { "command": "x" },\n  }\n}\n');
    const { code, err } = await cli(["tools", "list"], folder);
    expect(code).toBe(2);
    expect(err).toContain(".mcp.json:4:3  MCP_CONFIG_INVALID  invalid JSON: trailing comma before '}'");
    const json = JSON.parse((await cli(["tools", "list", "--json"], folder)).out);
    expect(json.error).toMatchObject({ code: "MCP_CONFIG_INVALID", file: ".mcp.json", line: 4, column: 3 });
  });

  it("says when .mcp.json has no servers, or only disabled ones (exit 2)", async () => {
    const folder = await project({ off: { command: "x", disabled: true } });
    const { code, err } = await cli(["tools", "list"], folder);
    expect(code).toBe(2);
    expect(err).toContain("error .mcp.json  SERVER_NOT_FOUND  no MCP servers configured");
    expect(err).toContain("(disabled: off)");
    expect(err).toContain('hint: add servers under "mcpServers"');
  });

  it("reports a missing .mcp.json and a missing --config file (exit 2)", async () => {
    const empty = await mkdtemp(join(tmpdir(), "skills-noconfig-"));
    try {
      const none = await cli(["tools", "list"], empty);
      expect(none.code).toBe(2);
      expect(none.err).toContain("MCP_CONFIG_NOT_FOUND");
      const missing = await cli(["tools", "list", "--config", "nope.json"], empty);
      expect(missing.err).toContain("config file not found");
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it("shows the tools of the servers that work and warns about the one that does not (exit 1)", async () => {
    const folder = await project({
      everything: REAL_SERVERS.everything,
      broken: { command: process.execPath, args: [join(FIXTURES, "exitAtOnce.mjs")] },
    });
    const { code, out, err } = await cli(["tools", "search", "echo"], folder);
    expect(code).toBe(1);
    expect(out.split("\n")[0]).toMatch(/^everything\/echo\s+Echoes back the input string/);
    expect(err).toContain('warning server "broken" is missing: server "broken" failed to start');
    expect(err).toContain("FIXTURE_API_KEY");
  });

  it("fails when no server can be reached (exit 1)", async () => {
    const folder = await project({ broken: { command: process.execPath, args: [join(FIXTURES, "exitAtOnce.mjs")] } });
    const { code, err } = await cli(["tools", "search", "echo"], folder);
    expect(code).toBe(1);
    expect(err).toContain("SERVER_START_FAILED");
    expect(err).toContain("exited with code 3");
    expect(err).toContain("hint:");
  });
});

describe("the repo's own .mcp.json through the built binary", () => {
  it('`skills tools search "read a file" --detail summary` lists the filesystem read tools first', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, "bin/skills.js"), "tools", "search", "read a file", "--detail", "summary"],
      { cwd: join(ROOT, "src"), env: { ...process.env, NO_COLOR: "1" } },
    );
    const keys = stdout
      .trim()
      .split("\n")
      .slice(0, 4)
      .map((line) => line.split(/\s+/)[0]);
    expect(keys.sort()).toEqual(READ_TOOLS);
  });
});
