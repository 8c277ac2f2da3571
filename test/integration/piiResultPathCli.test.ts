/**
 * `skills run` / `skills exec` (the built binary) on output that holds personal data: a result over max_output_bytes
 * whose cut would split an address shows only its token (default) or fails with PII_LEAK (strict), and the refusal
 * is printed with the place of the value and the hint, never with the value.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skillsSync } from "../helpers/cli.js";

const EMAIL = "ada.lovelace@example.com";
// `{"note":"` (9 bytes) + 175 y + a space: the address starts at byte 185, so a 200-byte cut would keep
// `ada.lovelace@ex` of it.
const NOTE = `${"y".repeat(175)} ${EMAIL} ${"z".repeat(40)}`;
let project: string;

const skills = (args: string[]) => skillsSync(args, { cwd: project });

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "skills-pii-result-"));
  // The sandbox runs as an unprivileged uid that must be able to read the skill folder (mkdtemp makes it 0700).
  await chmod(project, 0o755);
  const skill = join(project, "skills/long-note");
  await mkdir(skill, { recursive: true });
  await writeFile(
    join(skill, "manifest.yaml"),
    [
      "name: long-note",
      "version: 1.0.0",
      "language: python",
      "entry: main.py",
      "description: Returns a note longer than its output limit, with an address where the limit cuts it.",
      "limits:",
      "  max_output_bytes: 200",
      "privacy:",
      "  mode: default",
      "",
    ].join("\n"),
  );
  await writeFile(join(skill, "main.py"), `def run(input):\n    return {"note": ${JSON.stringify(NOTE)}}\n`);
  await writeFile(
    join(skill, "SKILL.md"),
    "---\nname: long-note\ndescription: Returns a note longer than its output limit. Use to test output limits.\n---\n\n# long-note\n",
  );
  await writeFile(join(project, ".mcp.json"), JSON.stringify({ mcpServers: {} }));
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe("skills run: a result cut by max_output_bytes", () => {
  it("default: the preview holds the token of the address the cut would split", () => {
    const { code, stdout, stderr } = skills(["run", "skills/long-note", "--json"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const { run } = JSON.parse(stdout);
    expect(run.ok).toBe(true);
    expect(run.result.preview).toBe(JSON.stringify({ note: NOTE.replace(EMAIL, "[EMAIL_1]") }).slice(0, 200));
    expect(stdout).not.toContain("ada.lovelace");
  }, 60_000);

  it("strict: the run fails with PII_LEAK, the place of the value and the hint", () => {
    const { code, stdout, stderr } = skills(["run", "skills/long-note", "--pii", "strict"]);
    expect(code).not.toBe(0);
    const text = stdout + stderr;
    expect(text).toContain("error PII_LEAK  the run's result still contains personal data (1 email) at /note\n");
    expect(text).toMatch(/\n {2}hint: return tokens or aggregates instead of the values/);
    expect(text).not.toMatch(/\n {2}at \/note/);
    expect(text).not.toContain("ada.lovelace");
  }, 60_000);
});

describe("skills exec --pii strict", () => {
  it("names the part that held the value", () => {
    const { code, stdout, stderr } = skills([
      "exec",
      "--lang",
      "python",
      "--pii",
      "strict",
      "--code",
      `print("contact: ${EMAIL}")\nresult = 1\n`,
    ]);
    expect(code).not.toBe(0);
    const text = stdout + stderr;
    expect(text).toContain("error PII_LEAK  the run's logs still contain personal data (1 email)\n");
    expect(text).toMatch(/\n {2}hint: /);
    expect(text).not.toContain("ada.lovelace");
  }, 60_000);
});
