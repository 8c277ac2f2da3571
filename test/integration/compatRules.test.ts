/**
 * Every rule through the real path: a fixture MCP server whose release 2 changes each of its tools in exactly one
 * way, `skills lock` against release 1, then `skills compat --strict` against release 2 (real CLI, real server,
 * catalog, lock). Each tool must give exactly its rule, with the severity its effect means.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../src/core/compat/rules.js";
import { CASES, ELSEWHERE } from "../fixtures/compat/ruleCases.mjs";
import { skillsAsync } from "../helpers/cli.js";
import { fixtureServer } from "../helpers/testServers.js";

let project: string;

async function mcp(release: number): Promise<void> {
  const server = {
    command: process.execPath,
    args: [fixtureServer("ruleServer.mjs")],
    env: { RULE_RELEASE: String(release) },
  };
  await writeFile(join(project, ".mcp.json"), JSON.stringify({ mcpServers: { rules: server } }, null, 2));
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-compat-rules-"));
  await chmod(project, 0o755);
  const dir = join(project, "skills/every-rule");
  await mkdir(dir, { recursive: true });
  await writeFile(join(project, "package.json"), "{}\n");
  const tools = CASES.map((c: { tool: string; range?: string }) => `  rules/${c.tool}: "${c.range ?? "*"}"`).join("\n");
  await writeFile(
    join(dir, "manifest.yaml"),
    `name: every-rule\nversion: 1.0.0\nlanguage: python\nentry: main.py\ntools:\n${tools}\n`,
  );
  await writeFile(
    join(dir, "SKILL.md"),
    "---\nname: every-rule\ndescription: Depends on one tool per compat rule. Use it in tests.\n---\n\nA fixture.\n",
  );
  await writeFile(join(dir, "main.py"), "def run(input):\n    return {}\n");
  await mcp(1);
  const locked = await skillsAsync(["lock"], { cwd: project });
  expect(locked.code, locked.stderr).toBe(0);
  await mcp(2);
}, 60_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

const SEVERITY = { breaking: "incompatible", dangerous: "warning", "non-breaking": "compatible" } as const;

describe("every compat rule, through a real server", () => {
  it("each tool gives exactly its rule, with the severity of the rule's effect (--strict)", async () => {
    const run = await skillsAsync(["compat", "--strict", "--json"], { cwd: project });
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout);
    const deps = result.skills[0].dependencies as {
      tool: string;
      changes: { rule: string; severity: string; used: boolean }[];
    }[];
    expect(deps).toHaveLength(CASES.length);
    for (const c of CASES as { rule: string; tool: string }[]) {
      const dep = deps.find((d) => d.tool === `rules/${c.tool}`)!;
      const own = dep.changes.filter((change) => change.rule !== "protocol-version-changed");
      expect(
        own.map((change) => change.rule),
        c.tool,
      ).toEqual([c.rule]);
      const rule = RULES.find((r) => r.id === c.rule)!;
      const expected =
        rule.effect === "breaking" ? (rule.mechanical ? "migration-needed" : "incompatible") : SEVERITY[rule.effect];
      expect(own[0]!.severity, c.rule).toBe(expected);
      expect(own[0]!.used).toBe(true);
      // the server negotiates another protocol version in release 2: noted on every tool it still lists
      const protocol = dep.changes.find((change) => change.rule === "protocol-version-changed");
      if (c.rule === "tool-removed" || c.rule === "tool-renamed") expect(protocol).toBeUndefined();
      else expect(protocol, c.tool).toMatchObject({ severity: "compatible", used: true });
    }
  });

  it("without --strict, a skill that calls none of them gets no more than warnings", async () => {
    const run = await skillsAsync(["compat", "--json"], { cwd: project });
    const result = JSON.parse(run.stdout);
    expect(result.skills[0].status).toBe("warning");
    expect(run.code).toBe(0);
  });

  it("--rules --json lists every rule, and the fixture (or another test) covers each one", async () => {
    const run = await skillsAsync(["compat", "--rules", "--json"], { cwd: project });
    expect(run.code).toBe(0);
    const rules = JSON.parse(run.stdout).rules as {
      id: string;
      direction: string;
      effect: string;
      usage: string;
      mechanical: boolean;
      summary: string;
    }[];
    expect(rules).toEqual(RULES);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    const covered = new Set([...(CASES as { rule: string }[]).map((c) => c.rule), ...ELSEWHERE]);
    expect(rules.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});
