/**
 * Values that come back: a sandboxed program that knows only tokens gets real values restored into its tool calls,
 * and tries to get them back through the real servers — an echo with characters glued on (server-everything), a file
 * named after the value and listed again, the raw text of a JSON file whose phone is only a phone by field name
 * (server-filesystem, whose structuredContent holds the file's text as a JSON string). The servers must see the real
 * values; nothing the run returns or logs may hold one.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPiiInterceptor, policyFromManifest } from "../../src/core/pii/index.js";
import { loadMcpConfig } from "../../src/mcp/config.js";
import { type ClientPool, createClientPool } from "../../src/mcp/pool.js";
import type { ToolInfo } from "../../src/contracts/tools.js";
import { runProgram } from "../../src/sandbox/index.js";

const ROOT = join(import.meta.dirname, "../..");
const EMAIL = "ada.lovelace@example.com";
const PHONE = "5550100"; // a phone only because its field says so
const SSN = "078-05-1120";
const VALUES = [EMAIL, PHONE, SSN];

const PROGRAM = `
import json
from servers.filesystem import read_text_file, write_file, list_directory
from servers.everything import echo

def text_of(result):
    # structuredContent (a dict, the file's text under "content"), a string, or a list of content items
    if isinstance(result, dict):
        return result["content"]
    if isinstance(result, list):
        return " ".join(item.get("text", "") for item in result)
    return result

def run(input):
    raw = text_of(read_text_file(path=input["dir"] + "/contacts.json"))
    contact = json.loads(raw)["contacts"][0]
    echoed = text_of(echo(message="9" + contact["email"] + "9 x" + contact["ssn"] + "x " + contact["phone"] + "0"))
    write_file(path=input["dir"] + "/out/" + contact["email"] + ".txt", content="hi " + contact["phone"])
    listing = text_of(list_directory(path=input["dir"] + "/out"))
    print("listing", listing)
    print("echo", echoed)
    return {"raw": raw, "echo": echoed, "listing": listing, "contact": contact,
            "codes": [ord(c) for c in str(echoed) + str(listing)]}
`;

let dir: string;
let pool: ClientPool;
let tools: ToolInfo[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skills-pii-back-"));
  await mkdir(join(dir, "out"));
  await writeFile(
    join(dir, "contacts.json"),
    `${JSON.stringify({ contacts: [{ name: "Ada", email: EMAIL, phone: PHONE, ssn: SSN, note: PHONE }] }, null, 2)}\n`,
  );
  const config = await loadMcpConfig({ cwd: ROOT });
  const filesystem = config.servers.filesystem;
  if (filesystem?.type !== "stdio") throw new Error("the repo's .mcp.json changed");
  filesystem.args = [dir];
  pool = createClientPool(config, { servers: ["filesystem", "everything"] });
  const wanted = new Set([
    "filesystem/read_text_file",
    "filesystem/write_file",
    "filesystem/list_directory",
    "everything/echo",
  ]);
  tools = (await pool.listTools(["filesystem", "everything"])).filter((t) => wanted.has(`${t.server}/${t.name}`));
  expect(tools).toHaveLength(4);
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("values restored into tool calls do not come back in clear (real sandbox, real servers)", () => {
  for (const mode of ["default", "strict"] as const) {
    it(`${mode} mode: echo, file names and raw JSON text hold only tokens`, async () => {
      await rm(join(dir, "out"), { recursive: true, force: true });
      await mkdir(join(dir, "out"));
      const pii = createPiiInterceptor(policyFromManifest({ mode }));
      const run = await runProgram({
        language: "python",
        code: PROGRAM,
        input: { dir },
        tools,
        backend: pool,
        interceptor: pii,
      });
      expect(run.error).toBeUndefined();
      expect(run.ok).toBe(true);
      // the server got the real value: the file carries the real address in its name
      expect(await readdir(join(dir, "out"))).toEqual([`${EMAIL}.txt`]);
      // nothing of the run holds a real value, not even spelled out as character codes
      const record = JSON.stringify(run);
      for (const value of VALUES) expect(record).not.toContain(value);
      const result = run.result as { raw: string; echo: string; listing: string; contact: Record<string, string> };
      const codes = String.fromCharCode(...(run.result as { codes: number[] }).codes);
      for (const value of VALUES) expect(codes).not.toContain(value);
      expect(result.contact).toEqual({
        name: "Ada",
        email: "[EMAIL_1]",
        phone: "[PHONE_1]",
        ssn: "[SSN_1]",
        note: "[PHONE_1]",
      });
      expect(result.echo).toContain("9[EMAIL_1]9 x[SSN_1]x [PHONE_1]0");
      expect(result.listing).toContain("[EMAIL_1].txt");
      expect(run.logs).toContain("[EMAIL_1].txt");
    }, 60_000);
  }
});
