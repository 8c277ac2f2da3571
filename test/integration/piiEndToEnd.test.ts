/**
 * End to end: contact records live as entities in the real server-memory (started from the repo's .mcp.json through
 * the client pool). A sandboxed Python program reads them, writes a CSV through the real server-filesystem and copies
 * them into a new memory entity. The real values must arrive at both tools, while the program's result, its logs and
 * the run record hold only tokens.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPiiInterceptor, policyFromManifest } from "../../src/core/pii/index.js";
import { loadMcpConfig } from "../../src/mcp/config.js";
import { type ClientPool, createClientPool } from "../../src/mcp/pool.js";
import type { ToolInfo } from "../../src/contracts/tools.js";
import { runProgram } from "../../src/sandbox/index.js";

const ROOT = join(import.meta.dirname, "../..");
const PEOPLE = [
  { name: "Alice Smith", email: "alice.smith@example.com", phone: "+1 415 555 2671" },
  { name: "Bob Jones", email: "bob.jones@example.org", phone: "(212) 555-0147" },
  { name: "Carol White", email: "carol@my-company.io", phone: "+44 20 7946 0958" },
];
const SECRETS = PEOPLE.flatMap((p) => [p.email, p.phone]);

const PROGRAM = `
from servers.memory import read_graph, create_entities
from servers.filesystem import write_file

def run(input):
    graph = read_graph()
    rows = []
    for entity in graph["entities"]:
        if entity["entityType"] != "person":
            continue
        fields = dict(o.split(": ", 1) for o in entity["observations"])
        rows.append((entity["name"], fields["email"], fields["phone"]))
    csv = "name,email,phone\\n" + "".join(f"{n},{e},{p}\\n" for n, e, p in rows)
    write_file(path=input["path"], content=csv)
    create_entities(entities=[{
        "name": "Contacts export",
        "entityType": "export",
        "observations": [f"{n} <{e}> {p}" for n, e, p in rows],
    }])
    for n, e, p in rows:
        print("exported", n, e, p)
    return {"count": len(rows), "first": {"email": rows[0][1], "phone": rows[0][2]}, "csv": csv}
`;

let dir: string;
let pool: ClientPool;
let tools: ToolInfo[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skills-pii-e2e-"));
  const config = await loadMcpConfig({ cwd: ROOT });
  const memory = config.servers.memory;
  const filesystem = config.servers.filesystem;
  if (memory?.type !== "stdio" || filesystem?.type !== "stdio") throw new Error("the repo's .mcp.json changed");
  // Same servers and commands as the repo's .mcp.json, pointed at a temp folder instead of the repository.
  memory.env = { ...memory.env, MEMORY_FILE_PATH: join(dir, "memory.jsonl") };
  filesystem.args = [dir];
  pool = createClientPool(config, { servers: ["memory", "filesystem"] });
  await pool.callTool("memory", "create_entities", {
    entities: PEOPLE.map((p) => ({
      name: p.name,
      entityType: "person",
      observations: [`email: ${p.email}`, `phone: ${p.phone}`],
    })),
  });
  const wanted = new Set(["memory/read_graph", "memory/create_entities", "filesystem/write_file"]);
  tools = (await pool.listTools(["memory", "filesystem"])).filter((t) => wanted.has(`${t.server}/${t.name}`));
  expect(tools).toHaveLength(3);
}, 60_000);

afterAll(async () => {
  await pool?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("PII tokenization end to end (real bwrap sandbox, real server-memory and server-filesystem)", () => {
  it("moves real values tool to tool while the result, logs and run record hold only tokens", async () => {
    const pii = createPiiInterceptor(policyFromManifest({ tokenize: ["email", "phone"] }));
    const path = join(dir, "contacts.csv");
    const result = await runProgram({
      language: "python",
      code: PROGRAM,
      input: { path },
      tools,
      backend: pool,
      interceptor: pii,
    });
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);

    // The tools received the real values.
    const csv = await readFile(path, "utf8");
    for (const person of PEOPLE) expect(csv).toContain(`${person.name},${person.email},${person.phone}`);
    const graph = (await pool.callTool("memory", "open_nodes", { names: ["Contacts export"] })) as {
      structuredContent?: { entities: { observations: string[] }[] };
    };
    const observations = graph.structuredContent?.entities[0]?.observations ?? [];
    expect(observations).toEqual(PEOPLE.map((p) => `${p.name} <${p.email}> ${p.phone}`));

    // The program, its output and the run record saw only tokens.
    const record = JSON.stringify(result);
    for (const value of SECRETS) expect(record).not.toContain(value);
    expect(result.result).toMatchObject({ count: 3, first: { email: "[EMAIL_1]", phone: "[PHONE_1]" } });
    expect((result.result as { csv: string }).csv).toContain("Alice Smith,[EMAIL_1],[PHONE_1]");
    expect(result.logs).toContain("exported Alice Smith [EMAIL_1] [PHONE_1]");
    expect(result.logs).toContain("exported Carol White [EMAIL_3] [PHONE_3]");

    // The audit counts where values came from and went to, without the values. read_graph sends each value twice
    // (JSON text content and structuredContent); create_entities echoes the new entity back, tokenized again.
    expect(result.pii).toEqual(pii.audit());
    expect(result.pii).toEqual({
      mode: "default",
      types: {
        email: { values: 3, tokenized: 12, restored: 6, scrubbed: 0 },
        phone: { values: 3, tokenized: 12, restored: 6, scrubbed: 0 },
      },
      from: { "memory/read_graph": { email: 6, phone: 6 }, "memory/create_entities": { email: 6, phone: 6 } },
      to: { "filesystem/write_file": { email: 3, phone: 3 }, "memory/create_entities": { email: 3, phone: 3 } },
      refused: 0,
    });
  }, 60_000);

  it("strict mode refuses a run whose output still holds a value, and keeps none of it", async () => {
    const pii = createPiiInterceptor(policyFromManifest({ mode: "strict", tokenize: ["email", "phone"] }));
    const result = await runProgram({
      language: "python",
      code: "def run(input):\n    print('leaking', input['who'])\n    return {'who': input['who']}",
      input: { who: "dave@example.net" },
      tools,
      backend: pool,
      interceptor: pii,
    });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("PII_LEAK");
    expect(JSON.stringify(result)).not.toContain("dave@example.net");
    expect((result.pii as { refused: number }).refused).toBe(1);
  }, 60_000);
});
