/** `skills pii scan`: the command function on temp files, and the built binary for stdin, exit codes and errors. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePiiMode } from "../../src/cli/parse/execution.js";
import { parsePatternOption } from "../../src/cli/parse/pii.js";
import { piiScan } from "../../src/commands/pii.js";
import { maskValue } from "../../src/commands/shared/maskValue.js";
import { SkillsError } from "../../src/errors.js";
import { loadProjectConfig } from "../../src/store/config.js";
import { loadSkill } from "../../src/store/loadSkill.js";
import { skillsInProcess, skillsSync } from "../helpers/cli.js";

let dir: string;

const skills = (args: string[], input?: string) => skillsSync(args, { cwd: dir, input, timeout: 30_000 });

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

const cli = (args: string[], cwd = dir) => skillsInProcess(args, cwd);

const SKILL_MD =
  "---\nname: NAME\ndescription: Reads contacts. Use when testing privacy settings.\n---\n\nRead contacts.\n";
const MANIFEST_HEAD = "name: NAME\nversion: 1.0.0\nlanguage: python\nentry: main.py\n";

/** A whole skill folder (for validate and run) whose manifest ends with `privacy`. */
async function skillWith(name: string, privacy: string): Promise<string> {
  const folder = join(dir, "skills", name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, "SKILL.md"), SKILL_MD.replace("NAME", name));
  await writeFile(join(folder, "manifest.yaml"), MANIFEST_HEAD.replace("NAME", name) + privacy);
  await writeFile(join(folder, "main.py"), "def run(input):\n    return {}\n");
  return folder;
}

const BAD_IGNORE = 'privacy:\n  ignore_fields: [note, "/rows/**/x", "/a/~2", rows/*/owner]\n';

describe("review fixes: --manifest is validated like skills validate", () => {
  beforeAll(async () => {
    await writeFile(join(dir, "typo.yaml"), "name: x\nprivacy:\n  tokenise: [email]\n");
    await writeFile(join(dir, "ignore-string.yaml"), 'name: x\nprivacy:\n  ignore_fields: "x"\n');
    await writeFile(join(dir, "paranoid.yaml"), "name: x\nprivacy:\n  mode: paranoid\n");
    await writeFile(join(dir, "bad-ignore.yaml"), `name: x\n${BAD_IGNORE}`);
    await writeFile(join(dir, "list.yaml"), "- privacy\n");
    await writeFile(
      join(dir, "bad-name.yaml"),
      'name: x\nprivacy:\n  patterns:\n    - { name: Employee-ID, regex: "E-\\\\d{6}" }\n',
    );
    await writeFile(join(dir, "other-problems.yaml"), "name: Not A Name\nversion: 1\nprivacy:\n  tokenize: [email]\n");
  });

  it.each([
    ["typo.yaml", 3, 3, 'privacy.tokenise: unknown key "tokenise" (MANIFEST_UNKNOWN_KEY)', 'did you mean "tokenize"?'],
    [
      "ignore-string.yaml",
      3,
      18,
      'privacy.ignore_fields: must be a list, got the string "x" (MANIFEST_SCHEMA)',
      "see the message and schemas/manifest.schema.json",
    ],
    [
      "paranoid.yaml",
      3,
      9,
      'privacy.mode: must be one of off, default, strict, got the string "paranoid" (MANIFEST_SCHEMA)',
      "see the message and schemas/manifest.schema.json",
    ],
    [
      "bad-name.yaml",
      4,
      15,
      'privacy pattern name "Employee-ID" is not a lower-case snake_case name of at most 40 characters (PRIVACY_PATTERN_NAME)',
      "use a name like employee_id: a lower-case letter, then letters, digits or _ (it becomes the token prefix, [EMPLOYEE_ID_1])",
    ],
    [
      "list.yaml",
      1,
      1,
      "manifest.yaml must be a mapping of keys to values, got a list (YAML_NOT_MAPPING)",
      "write `key: value` lines at the top level, e.g. `name: my-skill`",
    ],
  ])("%s -> MANIFEST_INVALID at %i:%i", async (file, line, column, message, hint) => {
    const error = await errorOf(piiScan({ file: "records.json", cwd: dir, manifest: file }));
    expect([error.code, error.message, error.data.file, error.data.line, error.data.column, error.data.hint]).toEqual([
      "MANIFEST_INVALID",
      message,
      file,
      line,
      column,
      hint,
    ]);
    const { code, out, err } = await cli(["pii", "scan", "records.json", "--manifest", file]);
    expect([code, out]).toEqual([2, ""]);
    expect(err).toBe(`error ${file}:${line}:${column}  MANIFEST_INVALID  ${message}\n  hint: ${hint}\n`);
  });

  it("lists every problem of the privacy block, and ignores problems elsewhere in the manifest", async () => {
    const { code, err } = await cli(["pii", "scan", "records.json", "--manifest", "bad-ignore.yaml"]);
    expect(code).toBe(2);
    expect(err).toBe(
      [
        "error bad-ignore.yaml:3:25  MANIFEST_INVALID  the privacy block of bad-ignore.yaml has 3 problems:",
        '  bad-ignore.yaml:3:25  PRIVACY_IGNORE_INVALID  privacy.ignore_fields.1: "/rows/**/x": "**" is not supported (* stands for exactly one segment; write one pointer per depth, e.g. /rows/*/owner and /rows/*/*/owner)',
        '  bad-ignore.yaml:3:39  PRIVACY_IGNORE_INVALID  privacy.ignore_fields.2: "/a/~2": "~" must be followed by 0 or 1 in a JSON pointer (write ~0 for "~" and ~1 for "/" inside a key)',
        '  bad-ignore.yaml:3:48  PRIVACY_IGNORE_INVALID  privacy.ignore_fields.3: "rows/*/owner" is neither a key name (it contains "/") nor a JSON pointer (it does not start with "/") (write the pointer from the root: "/rows/*/owner"; a key name that contains "/" is written with ~1 in a pointer)',
        "  hint: fix the problems above; docs/privacy.md describes the privacy block",
        "",
      ].join("\n"),
    );
    const json = await cli(["pii", "scan", "records.json", "--manifest", "bad-ignore.yaml", "--json"]);
    expect(json.code).toBe(2);
    const { error } = JSON.parse(json.out);
    expect(error.problems.map((p: { pointer: string }) => p.pointer)).toEqual([
      "/privacy/ignore_fields/1",
      "/privacy/ignore_fields/2",
      "/privacy/ignore_fields/3",
    ]);
    // A bad name and a numeric version are the skill's business, not the scan's.
    const other = await piiScan({ file: "records.json", cwd: dir, manifest: "other-problems.yaml" });
    expect(other.detectors).toEqual(["email"]);
  });

  it("skills validate and skills run report the same ignore_fields problems at the item", async () => {
    await skillWith("bad-ignore", BAD_IGNORE);
    const validate = await cli(["validate", "skills/bad-ignore"]);
    expect(validate.code).toBe(1);
    expect(validate.out).toContain(
      'skills/bad-ignore/manifest.yaml:6:25  PRIVACY_IGNORE_INVALID  privacy.ignore_fields.1: "/rows/**/x": "**" is not supported',
    );
    expect(validate.out).toContain("skills/bad-ignore/manifest.yaml:6:39  PRIVACY_IGNORE_INVALID");
    expect(validate.out).toContain("skills/bad-ignore/manifest.yaml:6:48  PRIVACY_IGNORE_INVALID");
    expect(validate.out).toContain(
      '  hint: write the pointer from the root: "/rows/*/owner"; a key name that contains "/" is written with ~1 in a pointer',
    );
    const loaded = await loadSkill(join(dir, "skills/bad-ignore"));
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.errors.map((p) => [p.code, p.pointer, p.line, p.column])).toEqual([
        ["PRIVACY_IGNORE_INVALID", "/privacy/ignore_fields/1", 6, 25],
        ["PRIVACY_IGNORE_INVALID", "/privacy/ignore_fields/2", 6, 39],
        ["PRIVACY_IGNORE_INVALID", "/privacy/ignore_fields/3", 6, 48],
      ]);
    }
    // `run` resolves a folder against the process directory: pass it absolute.
    const run = await cli(["run", join(dir, "skills/bad-ignore")]);
    expect(run.code).toBe(2);
    expect(run.err).toContain(
      "error skills/bad-ignore/manifest.yaml:6:25  MANIFEST_INVALID  the skill in skills/bad-ignore is invalid (3 problems):",
    );
    expect(run.err).toContain("skills/bad-ignore/manifest.yaml:6:48  PRIVACY_IGNORE_INVALID");
    // Valid forms pass all three.
    await skillWith("good-ignore", 'privacy:\n  ignore_fields: [note, "/rows/*/owner", "/a~1b/~0c", "*"]\n');
    expect((await cli(["validate", "skills/good-ignore"])).code).toBe(0);
  });
});

describe("review fixes: personal data in keys is masked in pointers", () => {
  beforeAll(async () => {
    await writeFile(
      join(dir, "keys.json"),
      '{"alice@example.com": {"phone": "+1 415 555 2671"}, "by bob@example.org": 1, "c\\u0040example.com": 2}\n',
    );
  });

  it("replaces the matched key text by its token in every pointer, unless --show-values", async () => {
    const result = await piiScan({ file: "keys.json", cwd: dir });
    expect(result.findings.map((f) => [f.type, f.path, f.inKey ?? false, f.value, f.token])).toEqual([
      ["email", "/[EMAIL_1]", true, "a•••••••••••••••m", "[EMAIL_1]"],
      ["phone", "/[EMAIL_1]/phone", false, "+•••••••••••••1", "[PHONE_1]"],
      ["email", "/by [EMAIL_2]", true, "b•••••••••••••g", "[EMAIL_2]"],
      ["email", "/[EMAIL_3]", true, "c••••••••••••••••m", "[EMAIL_3]"],
    ]);
    const shown = await piiScan({ file: "keys.json", cwd: dir, showValues: true });
    expect(shown.findings.map((f) => f.path)).toEqual([
      "/alice@example.com",
      "/alice@example.com/phone",
      "/by bob@example.org",
      "/c@example.com",
    ]);
    const lines = await cli(["pii", "scan", "keys.json"]);
    expect(lines.code).toBe(0);
    expect(lines.out).toContain("keys.json:1:3  email /[EMAIL_1] (key)  a•••••••••••••••m → [EMAIL_1]");
    expect(lines.out).toContain("email /by [EMAIL_2] (key)");
    const json = await cli(["pii", "scan", "keys.json", "--json"]);
    expect(json.out).not.toContain("example.com");
    expect(json.out).not.toContain("example.org");
  });

  it("masks keys in JSON Lines pointers too", async () => {
    await writeFile(join(dir, "keys.jsonl"), '{"x": 1}\n{"dana@example.net": {"ssn": "078-05-1120"}}\n');
    const result = await piiScan({ file: "keys.jsonl", cwd: dir });
    expect(result.findings.map((f) => f.path)).toEqual(["/1/[EMAIL_1]", "/1/[EMAIL_1]/ssn"]);
  });
});

describe("review fixes: option errors name the option", () => {
  it.each([
    [
      ["--pattern", "emp=E-(\\d"],
      "--pattern emp=E-(\\d: invalid regex: Invalid regular expression: /E-(\\d/g: Unterminated group",
      'write a JavaScript regular expression without slashes or flags, e.g. --pattern "employee_id=E-\\d{6}"',
    ],
    [
      ["--pattern", "emp=\\d*"],
      "--pattern emp=\\d*: the regex matches the empty string",
      "make the pattern require at least one character (use + instead of *)",
    ],
    [
      ["--pattern", "email=x\\d"],
      '--pattern email=x\\d: the name "email" is the name of a built-in detector',
      'list "email" in --tokenize instead, or rename the pattern',
    ],
    [
      ["--pattern", "a=x", "--pattern", "a=y"],
      '--pattern a=y: the name "a" is used by another pattern',
      "give each pattern its own name",
    ],
    [
      ["--pattern", "Emp=x"],
      '--pattern Emp=x: the name "Emp" is not a lower-case snake_case name of at most 40 characters',
      "use a name like employee_id: a lower-case letter, then letters, digits or _ (it becomes the token prefix, [EMPLOYEE_ID_1])",
    ],
    [
      ["--pattern", "employee_id=Q\\d", "--manifest", "manifest.yaml"],
      '--pattern employee_id=Q\\d: the name "employee_id" is used by a pattern in manifest.yaml',
      "give the pattern another name, or drop --pattern: the manifest's pattern is applied already",
    ],
    [
      ["--tokenize", ""],
      "--tokenize needs one or more detector names, comma-separated",
      "e.g. --tokenize email,phone; built-in detectors: email, phone, ssn, credit_card, ip, secret, iban; add your own with --pattern name=regex",
    ],
    [
      ["--tokenize", " , "],
      "--tokenize needs one or more detector names, comma-separated",
      "e.g. --tokenize email,phone; built-in detectors: email, phone, ssn, credit_card, ip, secret, iban; add your own with --pattern name=regex",
    ],
    [
      ["--tokenize", "email,passport"],
      '--tokenize: unknown detector "passport"',
      "built-in detectors: email, phone, ssn, credit_card, ip, secret, iban; add your own with --pattern name=regex",
    ],
    [
      ["--ignore", "rows/*/owner"],
      '--ignore "rows/*/owner" is neither a key name (it contains "/") nor a JSON pointer (it does not start with "/")',
      'write the pointer from the root: "/rows/*/owner"; a key name that contains "/" is written with ~1 in a pointer',
    ],
    [
      ["--ignore", "/rows/**/x"],
      '--ignore "/rows/**/x": "**" is not supported',
      "* stands for exactly one segment; write one pointer per depth, e.g. /rows/*/owner and /rows/*/*/owner",
    ],
    [
      ["--ignore", "/a/~2"],
      '--ignore "/a/~2": "~" must be followed by 0 or 1 in a JSON pointer',
      'write ~0 for "~" and ~1 for "/" inside a key',
    ],
  ])("pii scan %j: exit 2, %s", async (args, message, hint) => {
    const { code, out, err } = await cli(["pii", "scan", "records.json", ...args]);
    expect([code, out]).toEqual([2, ""]);
    expect(err).toBe(`error INVALID_ARGUMENT  ${message}\n  hint: ${hint}\n`);
  });

  it.each([["run", "SKILL"], ["exec", "--lang", "python", "--code", "print(1)"], ["repl"]])(
    "%s --pii without a mode says a mode is required and lists them",
    async (...args) => {
      const skill = await skillWith("good-ignore", "privacy:\n  ignore_fields: [note]\n");
      args = args.map((a) => (a === "SKILL" ? skill : a));
      for (const pii of [["--pii"], ["--pii", ""]]) {
        const { code, err } = await cli([...args, ...pii]);
        expect(code).toBe(2);
        expect(err).toBe(
          'error INVALID_ARGUMENT  --pii needs a mode: off, default, strict\n  hint: e.g. --pii strict; without --pii the mode is the manifest\'s privacy.mode, else skills.config.json "pii", else default\n',
        );
      }
      const { code, err } = await cli([...args, "--pii", "loud"]);
      expect(code).toBe(2);
      expect(err).toBe('error INVALID_ARGUMENT  unknown --pii mode "loud"\n  hint: use one of: off, default, strict\n');
    },
  );

  it('skills.config.json "pii": true lists the modes instead of suggesting to quote it', async () => {
    const project = await mkdtemp(join(dir, "config-"));
    await writeFile(join(project, "package.json"), "{}\n");
    await writeFile(join(project, "skills.config.json"), '{\n  "pii": true\n}\n');
    await writeFile(join(project, "a.txt"), "nothing\n");
    const { code, err } = await cli(["pii", "scan", "a.txt"], project);
    expect(code).toBe(2);
    // The config loader names the file relative to the process's directory, so only its end is fixed here.
    expect(err.startsWith("error ")).toBe(true);
    expect(
      err.endsWith(
        "skills.config.json:2:10  CONFIG_INVALID  pii: must be a string, got boolean true (and 1 more problem)\n  hint: use one of: off, default, strict\n",
      ),
    ).toBe(true);
    const error = await errorOf(loadProjectConfig(project));
    expect([error.code, error.data.line, error.data.column, error.data.hint]).toEqual([
      "CONFIG_INVALID",
      2,
      10,
      "use one of: off, default, strict",
    ]);
    // Where quoting the value gives an allowed one, the hint still says to quote it.
    await writeFile(join(project, "skills.config.json"), '{\n  "python": 3\n}\n');
    expect((await errorOf(loadProjectConfig(project))).data.hint).toBe('quote the value: "3"');
    expect(parsePiiMode("strict")).toBe("strict");
  });

  it("--help of run, exec and repl explains --pii on one line", async () => {
    for (const [command, text] of [
      [
        "run",
        'PII tokenization: off | default | strict (default: the manifest\'s privacy.mode, else "pii" in skills.config.json, else default); strict refuses output that still holds personal data',
      ],
      [
        "exec",
        'PII tokenization: off | default | strict (default: "pii" in skills.config.json, else default); strict refuses output that still holds personal data',
      ],
      [
        "repl",
        'PII tokenization: off | default | strict (default: "pii" in skills.config.json, else default); strict refuses output that still holds personal data',
      ],
    ] as const) {
      const { code, out } = await cli([command, "--help"]);
      expect(code).toBe(0);
      // cac pads the description column and ends each line with a space.
      const line = out.split("\n").find((l) => l.includes("--pii <mode>"));
      expect(line?.trim().replace(/^--pii <mode>\s+/, "")).toBe(text);
    }
  });
});
