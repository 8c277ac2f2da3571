/**
 * save_skill's lock (src/commands/serve/lockSaved.ts) on real skill folders: locked from the tools the server holds,
 * and when a dependency cannot be locked, the skill is left without a lock — not with the one of the version it
 * replaces, which pins other tools — and the answer says why.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ToolInfo } from "../../src/contracts/tools.js";
import { newSkillFiles } from "../../src/core/skill/savedSkill.js";
import { lockSavedSkill } from "../../src/commands/serve/lockSaved.js";
import type { ServeState } from "../../src/commands/serve/state.js";
import type { LiveServer } from "../../src/mcp/liveCatalog.js";

const TOOL: ToolInfo = {
  server: "everything",
  serverInfo: { name: "mcp-servers/everything", version: "2.0.0" },
  name: "get-sum",
  description: "Adds two numbers",
  inputSchema: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] },
};

let root: string;
let dir: string;

/** The part of the server's state the lock reads: the project folder and the tools it holds. */
function stateWith(servers: Record<string, LiveServer>): ServeState {
  const catalog = { servers: new Map(Object.entries(servers)), close: async () => {} };
  return { cwd: root, live: { asCatalog: () => catalog } } as unknown as ServeState;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "skills-lock-saved-"));
  await writeFile(join(root, "skills.config.json"), "{}\n");
  dir = join(root, "skills", "add");
  await mkdir(dir, { recursive: true });
  const files = newSkillFiles(
    {
      name: "add",
      version: "0.2.0",
      language: "python",
      code: "def run(input):\n    return 1",
      description: "Adds numbers. Use it to test locking.",
      tools: { "everything/get-sum": "^2.0.0" },
    },
    "../../schemas/manifest.schema.json",
  );
  for (const [file, text] of Object.entries(files.write)) await writeFile(join(dir, file), text);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("lockSavedSkill", () => {
  it("writes tools.lock.json from the tools the server holds, without starting anything", async () => {
    const state = stateWith({
      everything: { serverInfo: TOOL.serverInfo, protocolVersion: "2025-06-18", tools: [TOOL] },
    });
    expect(await lockSavedSkill(state, dir)).toEqual({ status: "written" });
    const lock = JSON.parse(await readFile(join(dir, "tools.lock.json"), "utf8"));
    expect(lock.tools["everything/get-sum"]).toMatchObject({
      server: "everything",
      serverInfo: { name: "mcp-servers/everything", version: "2.0.0" },
      protocolVersion: "2025-06-18",
      tool: { name: "get-sum", description: "Adds two numbers" },
    });
    expect(await lockSavedSkill(state, dir)).toEqual({ status: "unchanged" });
  });

  it("a server whose tools are unknown: no lock (the replaced version's is removed), and a warning saying why", async () => {
    await writeFile(join(dir, "tools.lock.json"), '{"lockfileVersion": 1, "tools": {}}\n');
    const state = stateWith({
      everything: {
        tools: [],
        error: { code: "SERVER_START_FAILED", message: "spawn mcp-server-everything ENOENT", hint: "check it" },
      },
    });
    const outcome = await lockSavedSkill(state, dir);
    expect(outcome).toEqual({
      status: "error",
      warning:
        "saved, but not locked (no tools.lock.json): everything/get-sum: SERVER_START_FAILED: spawn mcp-server-everything ENOENT (check it)",
    });
    expect(existsSync(join(dir, "tools.lock.json"))).toBe(false);
  });

  it("a tool the server no longer has: not locked, with the server's tools as the hint", async () => {
    const state = stateWith({
      everything: { serverInfo: TOOL.serverInfo, protocolVersion: "2025-06-18", tools: [{ ...TOOL, name: "echo" }] },
    });
    const outcome = await lockSavedSkill(state, dir);
    expect(outcome.status).toBe("error");
    expect(outcome.warning).toContain('everything/get-sum: TOOL_NOT_FOUND: server "everything" has no tool "get-sum"');
    expect(existsSync(join(dir, "tools.lock.json"))).toBe(false);
  });
});
