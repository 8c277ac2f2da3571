/**
 * `skills run` (the built binary) on an example skill that handles contact data (test/fixtures/pii/skills/
 * export-contacts): the real server-memory holds people with emails and phones, the skill writes them to a CSV
 * through the real server-filesystem. The CSV gets the real values; what `skills run` prints holds only tokens.
 */
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skillsSync } from "../helpers/cli.js";
import { npmServer } from "../helpers/testServers.js";

const ROOT = join(import.meta.dirname, "../..");
const PEOPLE = [
  { name: "Alice Smith", email: "alice.smith@example.com", phone: "+1 415 555 2671" },
  { name: "Bob Jones", email: "bob.jones@example.org", phone: "(212) 555-0147" },
];
let project: string;

const skills = (args: string[]) => skillsSync(args, { cwd: project });

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-pii-run-"));
  // The sandbox runs as an unprivileged uid that must be able to read the skill folder (mkdtemp makes it 0700).
  await chmod(project, 0o755);
  await mkdir(join(project, "out"));
  await cp(join(ROOT, "test/fixtures/pii/skills/export-contacts"), join(project, "skills/export-contacts"), {
    recursive: true,
  });
  await writeFile(
    join(project, ".mcp.json"),
    JSON.stringify({
      mcpServers: {
        memory: { command: npmServer("memory"), env: { MEMORY_FILE_PATH: join(project, "memory.jsonl") } },
        filesystem: { command: npmServer("filesystem"), args: [join(project, "out")] },
      },
    }),
  );
  // server-memory's own storage format: one JSON object per line.
  await writeFile(
    join(project, "memory.jsonl"),
    PEOPLE.map((p) =>
      JSON.stringify({
        type: "entity",
        name: p.name,
        entityType: "person",
        observations: [`email: ${p.email}`, `phone: ${p.phone}`],
      }),
    ).join("\n"),
  );
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe("skills run on a skill that handles contact data", () => {
  it("prints tokens while the target tool received the real values", async () => {
    const path = join(project, "out/contacts.csv");
    const { code, stdout, stderr } = skills([
      "run",
      "skills/export-contacts",
      "--input",
      JSON.stringify({ path }),
      "--json",
    ]);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect({ code, stdout: code === 0 ? "" : stdout, stderr: code === 0 ? "" : stderr }).toEqual({
      code: 0,
      stdout: "",
      stderr: "",
    });
    const { run } = JSON.parse(stdout);
    expect(run.result).toEqual({ rows: 2, first: "Alice Smith,[EMAIL_1],[PHONE_1]" });
    expect(run.logs).toContain("exported 2 contacts, first: Alice Smith,[EMAIL_1],[PHONE_1]");
    for (const person of PEOPLE) {
      expect(stdout).not.toContain(person.email);
      expect(stdout).not.toContain(person.phone);
      expect(stderr).not.toContain(person.email);
    }
    const csv = await readFile(path, "utf8");
    expect(csv).toBe(
      "name,email,phone\nAlice Smith,alice.smith@example.com,+1 415 555 2671\nBob Jones,bob.jones@example.org,(212) 555-0147\n",
    );
  }, 90_000);

  it("with --pii off the output carries the real values (the flag beats the manifest)", () => {
    const { code, stdout } = skills([
      "run",
      "skills/export-contacts",
      "--input",
      JSON.stringify({ path: join(project, "out/plain.csv") }),
      "--pii",
      "off",
      "--json",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).run.result.first).toBe("Alice Smith,alice.smith@example.com,+1 415 555 2671");
  }, 90_000);
});
