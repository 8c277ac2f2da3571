/**
 * `skills test --record` against a real MCP server over stdio whose result is keyed by e-mail address
 * (`{"ada@example.com": {"phone": ...}}`): the cassette keeps what the server said and flags it, but the CASSETTE_PII
 * warnings (and the JUnit report built from them) show the key masked.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTests } from "../../src/commands/test.js";
import type { TestResult } from "../../src/core/testing/results.js";
import { skillsInProcess } from "../helpers/cli.js";

const REPO = resolve(import.meta.dirname, "../..");
const EMAIL = "ada@example.com";

const SERVER = `import { McpServer } from ${JSON.stringify(join(REPO, "node_modules/@modelcontextprotocol/sdk/dist/esm/server/mcp.js"))};
import { StdioServerTransport } from ${JSON.stringify(join(REPO, "node_modules/@modelcontextprotocol/sdk/dist/esm/server/stdio.js"))};
const server = new McpServer({ name: "keyed", version: "1.0.0" });
server.registerTool("bykey", { description: "Contacts keyed by e-mail address", inputSchema: {} }, async () => ({
  content: [{ type: "text", text: "2 contacts" }],
  structuredContent: { ${JSON.stringify(EMAIL)}: { phone: "+1 415 555 2671" }, "grace@example.org": { plan: "pro" } },
}));
await server.connect(new StdioServerTransport());
`;

const PROGRAM = `from servers.keyed import bykey


def run(input):
    bykey()
    return {"greeting": "Hello, " + input["name"]}
`;

const MANIFEST = `name: keyed
version: 1.0.0
language: python
entry: main.py
description: Reads contacts keyed by e-mail address and greets someone.
input: { type: object, properties: { name: { type: string } }, required: [name] }
tools:
  keyed/bykey: "*"
limits: { timeout_ms: 20000 }
`;

let project: string;
let recorded: TestResult;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-record-pii-"));
  // The sandbox runs programs as an unprivileged uid, which must be able to reach the skill folder.
  await chmod(project, 0o755);
  await writeFile(join(project, "server.mjs"), SERVER);
  await writeFile(
    join(project, ".mcp.json"),
    JSON.stringify({ mcpServers: { keyed: { command: process.execPath, args: [join(project, "server.mjs")] } } }),
  );
  await writeFile(join(project, "package.json"), "{}\n");
  const skill = join(project, "skills/keyed");
  await mkdir(join(skill, "tests"), { recursive: true });
  await writeFile(
    join(skill, "SKILL.md"),
    "---\nname: keyed\ndescription: Test fixture skill keyed for skills test --record.\n---\n\nReads contacts.\n",
  );
  await writeFile(join(skill, "manifest.yaml"), MANIFEST);
  await writeFile(join(skill, "main.py"), PROGRAM);
  await writeFile(
    join(skill, "tests/basic.yaml"),
    'name: basic\ninput: { name: world }\nexpect: { subset: { greeting: "Hello, world" } }\n',
  );
  recorded = await runTests({ cwd: project, paths: ["skills"], record: true, junit: "junit.xml" });
}, 120_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe("skills test --record with personal data in keys", () => {
  it("records the case and flags the key and the value under it in the cassette", async () => {
    expect(recorded.summary).toMatchObject({ total: 1, passed: 1, failed: 0 });
    const cassette = JSON.parse(await readFile(join(project, "skills/keyed/cassettes/basic.json"), "utf8"));
    // The cassette holds the server's answer as it was (cassettes flag personal data, they do not remove it).
    expect(Object.keys(cassette.calls[0].result.structuredContent)).toContain(EMAIL);
    expect(cassette.pii).toEqual([
      { pointer: `/calls/0/result/structuredContent/${EMAIL}`, type: "email" },
      { pointer: `/calls/0/result/structuredContent/${EMAIL}/phone`, type: "phone" },
      { pointer: "/calls/0/result/structuredContent/grace@example.org", type: "email" },
    ]);
  });

  it("warns with the keys masked, in the message and the pointer", () => {
    const warnings = recorded.skills[0]!.cases[0]!.warnings.filter((w) => w.code === "CASSETTE_PII");
    expect(warnings.map((w) => [w.message, w.pointer])).toEqual([
      [
        "looks like personal data (email) at /calls/0/result/structuredContent/a•••••••••••••m",
        "/calls/0/result/structuredContent/a•••••••••••••m",
      ],
      [
        "looks like personal data (phone) at /calls/0/result/structuredContent/a•••••••••••••m/phone",
        "/calls/0/result/structuredContent/a•••••••••••••m/phone",
      ],
      [
        "looks like personal data (email) at /calls/0/result/structuredContent/g•••••••••••••••g",
        "/calls/0/result/structuredContent/g•••••••••••••••g",
      ],
    ]);
    expect(warnings.every((w) => w.severity === "warning" && w.file === "skills/keyed/cassettes/basic.json")).toBe(
      true,
    );
  });

  it("prints neither address anywhere in the result or the JUnit report", async () => {
    const everything = JSON.stringify(recorded) + (await readFile(join(project, "junit.xml"), "utf8"));
    expect(everything).not.toContain(EMAIL);
    expect(everything).not.toContain("grace@example.org");
    expect(everything).toContain("CASSETTE_PII");
  });
});

describe("skills test --record on the command line (in process, from src/)", () => {
  it("prints the warning with the key masked, as text and as --json", async () => {
    const text = await skillsInProcess(["test", "skills", "--record"], project);
    expect(text.code).toBe(0);
    const printed = text.out + text.err;
    expect(printed).toContain("CASSETTE_PII");
    expect(printed).toContain("/calls/0/result/structuredContent/a•••••••••••••m/phone");
    expect(printed).not.toContain(EMAIL);
    expect(printed).not.toContain("grace@example.org");

    const json = await skillsInProcess(["test", "skills", "--record", "--json"], project);
    expect(json.code).toBe(0);
    expect(json.out + json.err).not.toContain(EMAIL);
    const result = JSON.parse(json.out) as TestResult;
    const warnings = result.skills[0]!.cases[0]!.warnings.filter((w) => w.code === "CASSETTE_PII");
    expect(warnings.map((w) => w.pointer)).toEqual([
      "/calls/0/result/structuredContent/a•••••••••••••m",
      "/calls/0/result/structuredContent/a•••••••••••••m/phone",
      "/calls/0/result/structuredContent/g•••••••••••••••g",
    ]);
  }, 120_000);
});
