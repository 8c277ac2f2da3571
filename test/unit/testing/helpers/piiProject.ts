/**
 * A temp project for `skills test` under PII: skills that read a contact (synthetic personal data) from a replayed
 * filesystem tool and echo its address with a timestamp, so the replay refuses the call with a diff of the arguments
 * (case `mismatch`), or skip the echo, so a recorded call with personal data in its arguments goes unused (`unused`).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { schemaFingerprint } from "../../../../src/core/testing/fingerprint.js";

export const EMAIL = "grace.hopper@example.org";
// Only in the recorded arguments of a call the program never makes: no tool result ever held it, a detector must.
export const PHONE = "+1 415-555-2671";
const CONTACTS = JSON.stringify([{ name: "Grace Hopper", email: EMAIL }]);

const PROGRAM = `import json, time
from servers.filesystem import read_text_file
from servers.everything import echo


def run(input):
    contact = json.loads(read_text_file(path="data/contacts.json")["content"])[0]
    if input.get("echo", True):
        try:
            echo(message=contact["email"] + " " + str(time.time()))
        except Exception as e:
            print("program saw:", e)
    return {"greeting": "Hello, " + contact["email"]}
`;

function manifest(name: string, mode: string): string {
  return [
    `name: ${name}`,
    "version: 1.0.0",
    "language: python",
    "entry: main.py",
    `description: Greets a contact and echoes the address (${mode} PII).`,
    "input: { type: object, properties: { echo: { type: boolean } }, additionalProperties: false }",
    "tools:",
    '  filesystem/read_text_file: "*"',
    '  everything/echo: "*"',
    `privacy: { mode: ${mode} }`,
    "limits: { timeout_ms: 20000 }",
    "",
  ].join("\n");
}

const TOOLS = [
  {
    server: "filesystem",
    serverInfo: { name: "secure-filesystem-server", version: "0.2.0" },
    name: "read_text_file",
    inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
    outputSchema: {
      type: "object",
      properties: { content: { type: "string" } },
      required: ["content"],
      additionalProperties: false,
    },
  },
  {
    server: "everything",
    serverInfo: { name: "mcp-servers/everything", version: "2.0.0" },
    name: "echo",
    inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
  },
].map((tool) => ({ ...tool, fingerprint: schemaFingerprint(tool) }));

const READ_CALL = {
  server: "filesystem",
  tool: "read_text_file",
  arguments: { path: "data/contacts.json" },
  result: { content: [{ type: "text", text: CONTACTS }], structuredContent: { content: CONTACTS } },
};

function echoCall(message: string) {
  return {
    server: "everything",
    tool: "echo",
    arguments: { message },
    result: { content: [{ type: "text", text: `Echo: ${message}` }] },
  };
}

function cassette(skill: string, testCase: string, calls: unknown[]): string {
  const servers = {
    filesystem: { name: "secure-filesystem-server", version: "0.2.0" },
    everything: { name: "mcp-servers/everything", version: "2.0.0" },
  };
  return `${JSON.stringify({ version: 1, skill, case: testCase, servers, tools: TOOLS, calls }, null, 2)}\n`;
}

async function write(project: string, path: string, text: string): Promise<void> {
  await mkdir(join(project, path, ".."), { recursive: true });
  await writeFile(join(project, path), text);
}

/** Writes skills/<name> with privacy.mode `mode`; `greeting` is what its result greets (a token, or the address). */
export async function writePiiSkill(project: string, name: string, mode: string, greeting: string): Promise<void> {
  const dir = `skills/${name}`;
  await write(
    project,
    `${dir}/SKILL.md`,
    `---\nname: ${name}\ndescription: Test fixture ${name}.\n---\n\nGreets a contact.\n`,
  );
  await write(project, `${dir}/manifest.yaml`, manifest(name, mode));
  await write(project, `${dir}/main.py`, PROGRAM);
  await write(
    project,
    `${dir}/tests/cases.yaml`,
    [
      "cases:",
      // The recording's echo carried another timestamp: the replay refuses the call with a diff of the arguments.
      "  - name: mismatch",
      "    input: {}",
      `    expect: { subset: { greeting: "Hello, ${greeting}" } }`,
      // The program makes one call of the two recorded; the unused one (real values in its arguments) is listed.
      "  - name: unused",
      "    input: { echo: false }",
      `    expect: { subset: { greeting: "Hello, ${greeting}" } }`,
      "",
    ].join("\n"),
  );
  await write(
    project,
    `${dir}/cassettes/mismatch.json`,
    cassette(name, "mismatch", [READ_CALL, echoCall(`${EMAIL} 1795482476.0041184`)]),
  );
  await write(
    project,
    `${dir}/cassettes/unused.json`,
    cassette(name, "unused", [READ_CALL, echoCall(`${EMAIL} call me at ${PHONE}`)]),
  );
}
