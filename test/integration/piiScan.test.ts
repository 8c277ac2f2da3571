/** `skills pii scan`: the command function on temp files, and the built binary for stdin, exit codes and errors. */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskValue, parsePatternOption, piiScan } from "../../src/commands/pii.js";
import { SkillsError } from "../../src/errors.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/skills.js");
let dir: string;

function skills(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: "utf8",
    input: input ?? "",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function errorOf(promise: Promise<unknown>): Promise<SkillsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SkillsError) return error;
    throw error;
  }
  throw new Error("expected a SkillsError");
}

const RECORDS = `{
  "users": [
    { "name": "Alice", "email": "alice@example.com", "phone": "+1 415 555 2671", "version": "1.2.3.4" },
    { "name": "Bob", "note": "card 4111 1111 1111 1111 from 10.0.0.7", "employee": "E-123456" }
  ]
}
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "skills-pii-"));
  await writeFile(join(dir, "package.json"), "{}\n");
  await writeFile(join(dir, "records.json"), RECORDS);
  await writeFile(join(dir, "log.txt"), "started\nmail alice@example.com at 2024-01-15 10:30:00\n");
  await writeFile(join(dir, "rows.jsonl"), '{"email":"a@example.com"}\n\n{"phone":"4155552671"}\n');
  await writeFile(join(dir, "broken.json"), '{\n  "a": 1,\n  "b" 2\n}\n');
  await writeFile(
    join(dir, "manifest.yaml"),
    'name: x\nprivacy:\n  tokenize: [email, credit_card]\n  patterns:\n    - { name: employee_id, regex: "E-\\\\d{6}" }\n  ignore_fields: [note]\n',
  );
  await writeFile(join(dir, "bad-manifest.yaml"), "name: x\nprivacy:\n  tokenize:\n    - email\n    - passport\n");
  await writeFile(join(dir, "bad-yaml.yaml"), "name: x\nprivacy: [unclosed\n");
  await writeFile(join(dir, "bad-shape.yaml"), "name: x\nprivacy: 12\n");
  await writeFile(join(dir, "skills.config.json"), "{}\n");
  await writeFile(join(dir, "bom.json"), '\ufeff{"email": "bom@example.com"}\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("piiScan (command)", () => {
  it("finds values in JSON with line:col, pointers, masked values and tokens", async () => {
    const result = await piiScan({ file: "records.json", cwd: dir });
    expect(result.format).toBe("json");
    expect(result.ok).toBe(true);
    expect(result.findings.map((f) => [f.type, f.line, f.column, f.path, f.value, f.token])).toEqual([
      ["email", 3, 34, "/users/0/email", "a•••••••••••••••m", "[EMAIL_1]"],
      ["phone", 3, 64, "/users/0/phone", "+•••••••••••••1", "[PHONE_1]"],
      ["credit_card", 4, 36, "/users/1/note", "4•••••••••••••••••1", "[CREDIT_CARD_1]"],
      ["ip", 4, 61, "/users/1/note", "1••••••7", "[IP_1]"],
    ]);
    expect(result.counts).toEqual({ email: 1, phone: 1, credit_card: 1, ip: 1 });
  });

  it("shows values when asked, and scans text and JSON Lines", async () => {
    const text = await piiScan({ file: "log.txt", cwd: dir, showValues: true });
    expect(text.format).toBe("text");
    expect(text.findings.map((f) => [f.line, f.column, f.value, f.path])).toEqual([[2, 6, "alice@example.com", ""]]);
    const lines = await piiScan({ file: "rows.jsonl", cwd: dir, showValues: true });
    expect(lines.findings.map((f) => [f.line, f.path, f.value])).toEqual([
      [1, "/0/email", "a@example.com"],
      [3, "/1/phone", "4155552671"],
    ]);
  });

  it("applies a manifest's privacy block plus options", async () => {
    const result = await piiScan({ file: "records.json", cwd: dir, manifest: "manifest.yaml", showValues: true });
    expect(result.detectors).toEqual(["email", "credit_card", "employee_id"]);
    // note is ignored, so the card in it is not reported; phone is not among the detectors
    expect(result.findings.map((f) => [f.type, f.value])).toEqual([
      ["email", "alice@example.com"],
      ["employee_id", "E-123456"],
    ]);
    const more = await piiScan({
      file: "records.json",
      cwd: dir,
      tokenize: ["phone"],
      patterns: [parsePatternOption("employee_id=E-\\d{6}")],
      ignoreFields: ["/users/*/employee"],
      showValues: true,
    });
    expect(more.findings.map((f) => [f.type, f.value])).toEqual([["phone", "+1 415 555 2671"]]);
  });

  it("reads a JSON file that starts with a byte order mark, columns unchanged", async () => {
    const result = await piiScan({ file: "bom.json", cwd: dir, showValues: true });
    expect(result.findings.map((f) => [f.type, f.line, f.column, f.path, f.value])).toEqual([
      ["email", 1, 12, "/email", "bom@example.com"],
    ]);
  });

  it("strict mode makes findings a failed check; off finds nothing", async () => {
    expect((await piiScan({ file: "records.json", cwd: dir, mode: "strict" })).ok).toBe(false);
    const off = await piiScan({ file: "records.json", cwd: dir, mode: "off" });
    expect([off.ok, off.findings]).toEqual([true, []]);
  });

  it("reports invalid JSON at its line and column", async () => {
    const error = await errorOf(piiScan({ file: "broken.json", cwd: dir }));
    expect([error.code, error.data.file, error.data.line, error.data.column]).toEqual([
      "INPUT_INVALID",
      "broken.json",
      3,
      7,
    ]);
    expect(error.data.hint).toContain("--format text");
    const asText = await piiScan({ file: "broken.json", cwd: dir, format: "text" });
    expect(asText.findings).toEqual([]);
  });

  it.each([
    ["missing.json", {}, "NOT_FOUND", undefined],
    [".", {}, "INPUT_INVALID", undefined],
    ["records.json", { manifest: "nope.yaml" }, "NOT_FOUND", undefined],
    ["records.json", { manifest: "bad-manifest.yaml" }, "MANIFEST_INVALID", 5],
    ["records.json", { manifest: "bad-yaml.yaml" }, "YAML_SYNTAX", 2],
    ["records.json", { manifest: "bad-shape.yaml" }, "MANIFEST_INVALID", 2],
    ["records.json", { tokenize: ["passport"] }, "INVALID_ARGUMENT", undefined],
  ])("%s %j -> %s", async (file, extra, code, line) => {
    const error = await errorOf(piiScan({ file, cwd: dir, ...extra }));
    expect(error.code).toBe(code);
    expect(error.data.hint).toBeTruthy();
    if (line !== undefined) expect(error.data.line).toBe(line);
  });

  it("parses --pattern and masks values", () => {
    expect(parsePatternOption("a=b=c")).toEqual({ name: "a", regex: "b=c" });
    expect(() => parsePatternOption("=x")).toThrow(SkillsError);
    expect(() => parsePatternOption("novalue")).toThrow(/name=regex/);
    expect(maskValue("abc")).toBe("•••");
    expect(maskValue("alice@example.com")).toBe("a•••••••••••••••m");
  });
});

describe("skills pii scan (binary)", () => {
  it("prints findings and a summary; exit 0", () => {
    const { code, stdout } = skills(["pii", "scan", "records.json"]);
    expect(code).toBe(0);
    expect(stdout).toContain("records.json:3:34  email /users/0/email  a•••••••••••••••m → [EMAIL_1]");
    expect(stdout).toContain("found: 4 values to tokenize (1 credit_card, 1 email, 1 ip, 1 phone)");
    expect(stdout).not.toContain("alice@example.com");
  });

  it("reads stdin with -, prints JSON with --json", () => {
    const { code, stdout } = skills(["pii", "scan", "-", "--json", "--show-values"], "reach me at bob@example.org");
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.format).toBe("text");
    expect(result.findings[0]).toMatchObject({ type: "email", line: 1, column: 13, value: "bob@example.org" });
  });

  it("exits 1 in strict mode with findings, 0 when clean", () => {
    expect(skills(["pii", "scan", "records.json", "--mode", "strict"]).code).toBe(1);
    const clean = skills(["pii", "scan", "-", "--mode", "strict"], "nothing personal here, version 1.2.3.4");
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("clean: nothing to tokenize");
  });

  it.each([
    [["pii"], "pii needs an action"],
    [["pii", "list"], "unknown pii action: list"],
    [["pii", "scan", "records.json", "--mode", "loud"], "--mode must be one of off, default, strict"],
    [["pii", "scan", "records.json", "--format", "xml"], "--format must be one of"],
    [["pii", "scan", "records.json", "--pattern", "oops"], "is not name=regex"],
    [["pii", "scan", "broken.json"], "broken.json:3:7  INPUT_INVALID  not valid JSON"],
  ])("%j fails with exit 2: %s", (args, message) => {
    const { code, stderr } = skills(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it("lists its options in --help", () => {
    const { code, stdout } = skills(["pii", "--help"]);
    expect(code).toBe(0);
    for (const option of ["--mode <mode>", "--format <format>", "--manifest <file>", "--pattern", "--json"]) {
      expect(stdout).toContain(option);
    }
  });
});
