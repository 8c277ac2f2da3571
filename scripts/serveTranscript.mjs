// Captures the agent session shown in docs/serve.md: the built `skills serve` over stdio, driven by the MCP SDK's
// client with the calls an agent makes (find tools, run code against them, fix a mistake, save the code as a skill,
// run it again), in a throw-away copy of this repository's docs/ with its three npm servers. Run after
// `npm run build`:   node scripts/serveTranscript.mjs > transcript.md
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const project = mkdtempSync(join(tmpdir(), "skills-transcript-"));
const workspace = "$" + "{workspaceFolder}";
writeFileSync(
  join(project, ".mcp.json"),
  JSON.stringify({
    mcpServers: {
      filesystem: { command: join(ROOT, "node_modules/.bin/mcp-server-filesystem"), args: [workspace] },
      everything: { command: join(ROOT, "node_modules/.bin/mcp-server-everything"), args: ["stdio"] },
    },
  }),
);
cpSync(join(ROOT, "docs"), join(project, "docs"), { recursive: true });

const MAX = 700;
const shorten = (value) =>
  JSON.stringify(value, (_key, item) =>
    typeof item === "string" && item.length > 160 ? `${item.slice(0, 157)}...` : item,
  );
const lines = [];
const show = (title, request, answer) => {
  lines.push(`**${title}**`, "", "```json", `→ ${shorten(request)}`);
  const text = shorten(answer.structuredContent ?? answer.content);
  lines.push(`← ${answer.isError ? "(isError) " : ""}${text.length > MAX ? `${text.slice(0, MAX)} …` : text}`, "```", "");
};

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [join(ROOT, "bin/skills.js"), "serve"],
  cwd: project,
  stderr: "ignore",
});
const client = new Client({ name: "transcript", version: "1.0.0" });
try {
  await client.connect(transport);
  lines.push(`**initialize** → instructions: "${client.getInstructions()}"`, "");
  const { tools } = await client.listTools();
  lines.push(`**tools/list** → ${tools.map((tool) => tool.name).join(", ")}`, "");
  const steps = [
    ["search_tools", { query: "find files matching a pattern and read them", limit: 4 }],
    ["search_tools", { query: "read_multiple_files", detail: "full", limit: 1 }],
    [
      "execute_code",
      {
        language: "python",
        code: [
          "from servers.filesystem import search_files, read_multiple_files",
          'paths = search_files(path="docs", pattern="*.md")["content"].splitlines()',
          "files = read_multiple_files(paths=paths)",
          "result = {f['path']: f['content'].count('\\n## ') for f in files}",
        ].join("\n"),
        tools: ["filesystem/search_files", "filesystem/read_multiple_files"],
      },
    ],
    [
      "execute_code",
      {
        language: "python",
        code: [
          "from servers.filesystem import search_files, read_text_file",
          'paths = search_files(path="docs", pattern="**/*.md")["content"].splitlines()',
          "sections = {}",
          "for path in paths:",
          '    text = read_text_file(path=path)["content"]',
          '    sections[path.split("/docs/")[-1]] = sum(1 for line in text.splitlines() if line.startswith("## "))',
          "result = dict(sorted(sections.items(), key=lambda kv: -kv[1])[:5])",
        ].join("\n"),
        tools: ["filesystem/search_files", "filesystem/read_text_file"],
      },
    ],
    [
      "save_skill",
      {
        name: "doc-sections",
        language: "python",
        description:
          "Counts the level-2 sections of every markdown file under a folder and returns the largest ones. Use it to see which docs are longest before reading them.",
        tools: ["filesystem/search_files", "filesystem/read_text_file"],
        input_schema: {
          type: "object",
          properties: { folder: { type: "string" }, top: { type: "integer", minimum: 1, default: 5 } },
          required: ["folder"],
        },
        code: [
          "from servers.filesystem import search_files, read_text_file",
          "",
          "def run(input):",
          '    paths = search_files(path=input["folder"], pattern="**/*.md")["content"].splitlines()',
          "    sections = {}",
          "    for path in paths:",
          '        text = read_text_file(path=path)["content"]',
          '        sections[path.rsplit("/", 1)[-1]] = sum(1 for line in text.splitlines() if line.startswith("## "))',
          '    return dict(sorted(sections.items(), key=lambda kv: -kv[1])[: input.get("top", 5)])',
        ].join("\n"),
      },
    ],
    ["run_skill", { name: "doc-sections", input: { folder: "docs/commands", top: 3 } }],
  ];
  for (const [name, args] of steps) {
    const answer = await client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 });
    show(name, args, answer);
  }
} finally {
  await client.close();
  rmSync(project, { recursive: true, force: true });
}
process.stdout.write(`${lines.join("\n")}\n`);
