/**
 * What `skills serve` reads of a skill folder for a client: get_skill and the `skill://<name>/SKILL.md` resource. A
 * project's skills may come from a pull request or another person; a SKILL.md that is a link out of its folder (to a
 * host file) must not hand that file to the agent, and one that is a FIFO or a huge file must not hang or grow the
 * server. The built binary over stdio, in a throw-away project.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ProcessStdioTransport } from "../../src/mcp/pool/stdioTransport.js";
import { CLI } from "../helpers/cli.js";
import { testStateEnv } from "../helpers/serveProject.js";

type Answer = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: unknown };

const SECRET = `host-secret-${process.pid}-${Date.now()}`;
let project: string;
let outside: string;
let client: Client;

const call = (name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }, undefined, { timeout: 30_000 }) as Promise<Answer>;
const text = (answer: Answer) => (answer.content as { text: string }[])[0]!.text;

async function skillMd(name: string): Promise<string> {
  return `---\nname: ${name}\ndescription: The ${name} skill, for the tests of what serve reads.\n---\n\n# ${name}\n`;
}

beforeAll(async () => {
  outside = await mkdtemp(join(tmpdir(), "skills-outside-"));
  await writeFile(join(outside, "secret.md"), `${SECRET}\n`);
  project = await mkdtemp(join(tmpdir(), "skills-serve-files-"));
  await writeFile(join(project, ".mcp.json"), `${JSON.stringify({ mcpServers: {} })}\n`);
  await writeFile(join(project, "skills.config.json"), `${JSON.stringify({ roots: ["skills"] })}\n`);
  // an instruction skill whose SKILL.md is a link to a host file
  await mkdir(join(project, "skills/leaky"), { recursive: true });
  await symlink(join(outside, "secret.md"), join(project, "skills/leaky/SKILL.md"));
  // a runnable one: the link is SKILL.md, the manifest is real
  await mkdir(join(project, "skills/leaky-runnable"), { recursive: true });
  await symlink(join(outside, "secret.md"), join(project, "skills/leaky-runnable/SKILL.md"));
  await writeFile(
    join(project, "skills/leaky-runnable/manifest.yaml"),
    "name: leaky-runnable\nversion: 1.0.0\nlanguage: python\nentry: main.py\n",
  );
  await writeFile(join(project, "skills/leaky-runnable/main.py"), "def run(input):\n    return {}\n");
  // a FIFO as SKILL.md: reading it would wait for a writer forever
  await mkdir(join(project, "skills/piped"), { recursive: true });
  execFileSync("mkfifo", [join(project, "skills/piped/SKILL.md")]);
  await writeFile(
    join(project, "skills/piped/manifest.yaml"),
    "name: piped\nversion: 1.0.0\nlanguage: python\nentry: main.py\n",
  );
  await writeFile(join(project, "skills/piped/main.py"), "def run(input):\n    return {}\n");
  // a link inside the folder is fine
  await mkdir(join(project, "skills/linked-inside/docs"), { recursive: true });
  await writeFile(join(project, "skills/linked-inside/docs/skill.md"), await skillMd("linked-inside"));
  await symlink("docs/skill.md", join(project, "skills/linked-inside/SKILL.md"));

  const transport = new ProcessStdioTransport({
    command: process.execPath,
    args: [CLI, "serve"],
    env: { NO_COLOR: "1", ...testStateEnv() },
    cwd: project,
    graceMs: 5000,
  });
  client = new Client({ name: "files-test", version: "1.0.0" });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await rm(project, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe("serve reads only the skill's own files", () => {
  test("get_skill refuses a SKILL.md that links out of the folder, naming the link, never its content", async () => {
    for (const name of ["leaky", "leaky-runnable"]) {
      const answer = await call("get_skill", { name });
      expect(answer.isError).toBe(true);
      expect(JSON.stringify(answer)).not.toContain(SECRET);
      expect(text(answer)).toMatch(
        /^SKILL_LINK_ESCAPES: SKILL\.md of leaky(-runnable)? is a link out of the skill folder/,
      );
    }
  });

  test("the skill:// resource refuses the same link", async () => {
    const read = client.readResource({ uri: "skill://leaky/SKILL.md" });
    await expect(read).rejects.toThrow(/SKILL\.md of leaky is a link out of the skill folder/);
    const error = await read.catch((e: unknown) => e);
    expect(String((error as Error).message)).not.toContain(SECRET);
  });

  test("a FIFO as SKILL.md is refused at once, and the server keeps answering", async () => {
    const answer = await call("get_skill", { name: "piped" });
    expect(answer.isError).toBe(true);
    expect(text(answer)).toMatch(/^SKILL_UNREADABLE: SKILL\.md of piped is not a regular file/);
    await expect(client.readResource({ uri: "skill://piped/SKILL.md" })).rejects.toThrow(/not a regular file/);
  }, 20_000);

  test("list_skills with a FIFO as SKILL.md answers, naming that skill invalid (the read never blocks)", async () => {
    const listed = await call("list_skills", {});
    const skills = listed.structuredContent!.skills as { name: string; valid?: boolean; problem?: string }[];
    expect(skills.find((skill) => skill.name === "piped")).toMatchObject({
      valid: false,
      problem: expect.stringContaining("SKILL.md"),
    });
  }, 20_000);

  test("a link to a file inside the folder is read", async () => {
    const answer = await call("get_skill", { name: "linked-inside" });
    expect(answer.isError).toBeUndefined();
    expect(answer.structuredContent!.skill_md).toBe(await skillMd("linked-inside"));
    const resource = await client.readResource({ uri: "skill://linked-inside/SKILL.md" });
    expect((resource.contents[0] as { text: string }).text).toBe(await skillMd("linked-inside"));
  });

  test("save_skill refuses an input pattern that backtracks exponentially, so run_skill cannot stall the server", async () => {
    const answer = await call("save_skill", {
      name: "slow-pattern",
      language: "python",
      code: "def run(input):\n    return {}\n",
      description: "Checks a string against a pattern. Use it in the tests of what serve accepts.",
      tools: [],
      input_schema: { type: "object", properties: { s: { type: "string", pattern: "^(a+)+$" } } },
    });
    expect(answer.isError).toBe(true);
    expect(text(answer)).toMatch(/^MANIFEST_INVALID: the skill slow-pattern would not pass/);
    expect(text(answer)).toContain("pattern can take exponential time");
    const listed = await call("list_skills", {});
    expect(JSON.stringify(listed.structuredContent)).not.toContain("slow-pattern");
  });
});
