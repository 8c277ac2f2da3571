/**
 * Every broken skill under test/fixtures/broken (plus the ones built here: huge, binary, symlinked) must fail with
 * the exact problem code, in the exact file and line, and without throwing.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { chmod, cp, mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROBLEM_CODES } from "../../src/core/validate/codes.js";
import { loadSkill } from "../../src/store/loadSkill.js";
import { MAX_SCAN_ENTRIES } from "../../src/store/scanSymlinks.js";
import { MAX_SKILL_ENTRIES } from "../../src/sandbox/skillStage.js";

const BROKEN = join(import.meta.dirname, "../fixtures/broken");
const VALID = join(import.meta.dirname, "../fixtures/valid");

interface Expected {
  code: keyof typeof PROBLEM_CODES;
  file: "SKILL.md" | "manifest.yaml" | string;
  line: number;
  column?: number;
  /** Only an error with --strict (a warning by default). */
  strictOnly?: boolean;
  /** Reported only with this vendor profile (and then as an error); without it the skill is valid. */
  profile?: "claude";
  /** The link scan's entry limit for this fixture (default: the real one). */
  maxEntries?: number;
}

const COMMITTED: Record<string, Expected> = {
  "yaml-tab": { code: "YAML_TAB", file: "manifest.yaml", line: 7, column: 1 },
  "yaml-unclosed-quote": { code: "YAML_UNCLOSED_QUOTE", file: "manifest.yaml", line: 6, column: 14 },
  "yaml-unclosed-single-quote": { code: "YAML_UNCLOSED_QUOTE", file: "manifest.yaml", line: 6, column: 14 },
  "yaml-duplicate-key": { code: "YAML_DUPLICATE_KEY", file: "manifest.yaml", line: 6, column: 1 },
  "yaml-unclosed-flow": { code: "YAML_SYNTAX", file: "manifest.yaml", line: 6, column: 7 },
  "yaml-not-mapping": { code: "YAML_NOT_MAPPING", file: "manifest.yaml", line: 2 },
  "yaml-multiple-documents": { code: "YAML_SYNTAX", file: "manifest.yaml", line: 6 },
  "yaml-undefined-alias": { code: "YAML_SYNTAX", file: "manifest.yaml", line: 6, column: 7 },
  "frontmatter-tab": { code: "YAML_TAB", file: "SKILL.md", line: 3, column: 1 },
  "frontmatter-duplicate-key": { code: "YAML_DUPLICATE_KEY", file: "SKILL.md", line: 4 },
  "frontmatter-not-mapping": { code: "YAML_NOT_MAPPING", file: "SKILL.md", line: 2 },
  "wrong-type-version": { code: "MANIFEST_SCHEMA", file: "manifest.yaml", line: 3, column: 10 },
  "wrong-type-limits": { code: "MANIFEST_SCHEMA", file: "manifest.yaml", line: 7, column: 15 },
  "wrong-type-tags": { code: "MANIFEST_SCHEMA", file: "manifest.yaml", line: 6, column: 7 },
  "wrong-type-name": { code: "MANIFEST_SCHEMA", file: "manifest.yaml", line: 2, column: 7 },
  "missing-required-entry": { code: "MANIFEST_SCHEMA", file: "manifest.yaml", line: 2 },
  "bad-language": { code: "MANIFEST_SCHEMA", file: "manifest.yaml", line: 4, column: 11 },
  "limits-negative": { code: "MANIFEST_SCHEMA", file: "manifest.yaml", line: 7, column: 15 },
  "bad-privacy-detector": { code: "MANIFEST_SCHEMA", file: "manifest.yaml", line: 7, column: 21 },
  "unknown-key-manifest": { code: "MANIFEST_UNKNOWN_KEY", file: "manifest.yaml", line: 6, column: 1 },
  "unknown-key-limits": { code: "MANIFEST_UNKNOWN_KEY", file: "manifest.yaml", line: 7, column: 3 },
  "unknown-key-frontmatter": { code: "FRONTMATTER_UNKNOWN_KEY", file: "SKILL.md", line: 4 },
  "bad-semver": { code: "VERSION_INVALID", file: "manifest.yaml", line: 3, column: 10 },
  "bad-semver-prefix": { code: "VERSION_INVALID", file: "manifest.yaml", line: 3 },
  "bad-range": { code: "TOOL_RANGE_INVALID", file: "manifest.yaml", line: 8, column: 30 },
  "bad-tool-key": { code: "TOOL_KEY_INVALID", file: "manifest.yaml", line: 7, column: 3 },
  "bad-tool-key-nested": { code: "TOOL_KEY_INVALID", file: "manifest.yaml", line: 8, column: 3 },
  "name-uppercase": { code: "NAME_INVALID", file: "SKILL.md", line: 2, column: 7 },
  "name-double-hyphen": { code: "NAME_INVALID", file: "SKILL.md", line: 2 },
  "name-leading-hyphen": { code: "NAME_INVALID", file: "manifest.yaml", line: 2 },
  "name-trailing-hyphen": { code: "NAME_INVALID", file: "SKILL.md", line: 2 },
  "name-65-chars": { code: "NAME_TOO_LONG", file: "SKILL.md", line: 2 },
  "name-unicode": { code: "NAME_INVALID", file: "SKILL.md", line: 2 },
  "name-underscore": { code: "NAME_INVALID", file: "manifest.yaml", line: 2 },
  "name-reserved-claude": { code: "NAME_RESERVED", file: "SKILL.md", line: 2, profile: "claude" },
  "name-reserved-anthropic": { code: "NAME_RESERVED", file: "SKILL.md", line: 2, profile: "claude" },
  "name-mismatch": { code: "NAME_MISMATCH", file: "manifest.yaml", line: 2, column: 7 },
  "folder-mismatch": { code: "FOLDER_NAME_MISMATCH", file: "SKILL.md", line: 2 },
  "missing-entry": { code: "ENTRY_MISSING", file: "manifest.yaml", line: 5, column: 8 },
  "entry-is-folder": { code: "ENTRY_MISSING", file: "manifest.yaml", line: 5 },
  "entry-language-mismatch": { code: "ENTRY_LANGUAGE_MISMATCH", file: "manifest.yaml", line: 5 },
  "entry-no-run": { code: "ENTRY_NO_RUN", file: "main.py", line: 1, strictOnly: true },
  "entry-escapes-folder": { code: "PATH_ESCAPE", file: "manifest.yaml", line: 5 },
  "empty-skill-md": { code: "SKILL_MD_EMPTY", file: "SKILL.md", line: 1 },
  "whitespace-skill-md": { code: "SKILL_MD_EMPTY", file: "SKILL.md", line: 1 },
  "missing-skill-md": { code: "SKILL_MD_MISSING", file: "SKILL.md", line: 1 },
  "missing-manifest": { code: "MANIFEST_MISSING", file: "manifest.yaml", line: 1, strictOnly: true },
  "manifest-yml": { code: "MANIFEST_MISSING", file: "manifest.yaml", line: 1, strictOnly: true },
  "missing-frontmatter": { code: "FRONTMATTER_MISSING", file: "SKILL.md", line: 1 },
  "unterminated-frontmatter": { code: "FRONTMATTER_UNTERMINATED", file: "SKILL.md", line: 1 },
  "empty-body": { code: "BODY_EMPTY", file: "SKILL.md", line: 5, strictOnly: true },
  "description-angle-brackets": {
    code: "DESCRIPTION_ANGLE_BRACKETS",
    file: "SKILL.md",
    line: 3,
    column: 14,
    profile: "claude",
  },
  "description-too-long": { code: "DESCRIPTION_TOO_LONG", file: "SKILL.md", line: 3 },
  "description-missing": { code: "FRONTMATTER_SCHEMA", file: "SKILL.md", line: 2 },
  "description-empty": { code: "FRONTMATTER_SCHEMA", file: "SKILL.md", line: 3 },
  "metadata-not-strings": { code: "FRONTMATTER_SCHEMA", file: "SKILL.md", line: 6, column: 13 },
  "compatibility-too-long": { code: "COMPATIBILITY_TOO_LONG", file: "SKILL.md", line: 4 },
  "invalid-input-schema": { code: "JSON_SCHEMA_INVALID", file: "manifest.yaml", line: 7, column: 9 },
  "invalid-output-schema": { code: "JSON_SCHEMA_INVALID", file: "manifest.yaml", line: 8 },
  "input-ref-dangling": { code: "JSON_SCHEMA_INVALID", file: "manifest.yaml", line: 11, column: 17 },
  "invalid-input-pattern": { code: "JSON_SCHEMA_INVALID", file: "manifest.yaml", line: 11 },
  "input-schema-unknown-keyword": {
    code: "JSON_SCHEMA_UNKNOWN_KEYWORD",
    file: "manifest.yaml",
    line: 9,
    column: 56,
    strictOnly: true,
  },
  "privacy-pattern-builtin-name": { code: "PRIVACY_PATTERN_NAME", file: "manifest.yaml", line: 10, column: 13 },
  "privacy-regex-empty-match": { code: "PRIVACY_REGEX_INVALID", file: "manifest.yaml", line: 9, column: 14 },
  "bad-privacy-regex": { code: "PRIVACY_REGEX_INVALID", file: "manifest.yaml", line: 10, column: 14 },
  "privacy-ignore-invalid": { code: "PRIVACY_IGNORE_INVALID", file: "manifest.yaml", line: 9, column: 7 },
};

/** Built in a temp dir: binaries, huge files and symlinks are not committed. */
const GENERATED: Record<string, Expected> = {
  "huge-manifest": { code: "FILE_TOO_LARGE", file: "manifest.yaml", line: 1 },
  "huge-skill-md": { code: "FILE_TOO_LARGE", file: "SKILL.md", line: 1 },
  "binary-manifest": { code: "FILE_BINARY", file: "manifest.yaml", line: 3, column: 4 },
  "binary-skill-md": { code: "FILE_BINARY", file: "SKILL.md", line: 2, column: 7 },
  "symlink-entry-escape": { code: "SYMLINK_ESCAPE", file: "main.py", line: 1 },
  "symlink-data-escape": { code: "SYMLINK_ESCAPE", file: "data/passwd", line: 1 },
  "symlink-dangling": { code: "SYMLINK_ESCAPE", file: "notes.md", line: 1 },
  "symlink-skill-md-escape": { code: "SYMLINK_ESCAPE", file: "SKILL.md", line: 1 },
  "symlink-in-node-modules": { code: "SYMLINK_ESCAPE", file: "node_modules/pkg/link", line: 1 },
  "skill-md-600-lines": { code: "SKILL_MD_TOO_LONG", file: "SKILL.md", line: 501, strictOnly: true },
  "lowercase-skill-md": { code: "SKILL_MD_MISSING", file: "SKILL.md", line: 1 },
  "manifest-folder": { code: "FILE_UNREADABLE", file: "manifest.yaml", line: 1, column: 1 },
  "manifest-fifo": { code: "FILE_UNREADABLE", file: "manifest.yaml", line: 1, column: 1 },
  // 100,001 files would take seconds to make here: the same scan with a limit of 50 (the default is asserted below).
  "too-many-entries": { code: "SKILL_TOO_LARGE", file: "", line: 1, maxEntries: 50 },
};

const TEMPLATE = join(VALID, "minimal-python");
let work: string;

async function generated(name: string): Promise<string> {
  const dir = join(work, name);
  await cp(TEMPLATE, dir, { recursive: true });
  const manifest = `name: ${name}\nversion: 0.1.0\nlanguage: python\nentry: main.py\n`;
  await writeFile(join(dir, "manifest.yaml"), manifest);
  await writeFile(
    join(dir, "SKILL.md"),
    `---\nname: ${name}\ndescription: Generated broken fixture.\n---\n\n# Body\n\nText.\n`,
  );
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "skills-broken-"));
  const outside = join(work, "outside.txt");
  await writeFile(outside, "secret\n");

  let dir = await generated("huge-manifest");
  await writeFile(join(dir, "manifest.yaml"), `name: huge-manifest\ntags:\n${"  - x\n".repeat(200_000)}`);
  dir = await generated("huge-skill-md");
  await writeFile(
    join(dir, "SKILL.md"),
    `---\nname: huge-skill-md\ndescription: big\n---\n${"lorem ipsum\n".repeat(100_000)}`,
  );
  dir = await generated("binary-manifest");
  await writeFile(
    join(dir, "manifest.yaml"),
    Buffer.concat([Buffer.from("name: binary-manifest\nversion: 0.1.0\nabc"), Buffer.from([0, 1, 2, 0xff, 0xfe])]),
  );
  dir = await generated("binary-skill-md");
  await writeFile(
    join(dir, "SKILL.md"),
    Buffer.concat([Buffer.from("---\nname: "), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from("\n---\n")]),
  );
  dir = await generated("symlink-entry-escape");
  await rm(join(dir, "main.py"));
  await symlink(outside, join(dir, "main.py"));
  dir = await generated("symlink-data-escape");
  await mkdir(join(dir, "data"));
  await symlink("/etc/passwd", join(dir, "data", "passwd"));
  dir = await generated("symlink-dangling");
  await symlink(join(work, "does-not-exist"), join(dir, "notes.md"));
  dir = await generated("symlink-skill-md-escape");
  await writeFile(join(work, "elsewhere.md"), "---\nname: symlink-skill-md-escape\ndescription: x\n---\n\nBody.\n");
  await rm(join(dir, "SKILL.md"));
  await symlink(join(work, "elsewhere.md"), join(dir, "SKILL.md"));
  dir = await generated("symlink-in-node-modules");
  await mkdir(join(dir, "node_modules", "pkg"), { recursive: true });
  await symlink("/etc", join(dir, "node_modules", "pkg", "link"));
  dir = await generated("skill-md-600-lines");
  await writeFile(
    join(dir, "SKILL.md"),
    `---\nname: skill-md-600-lines\ndescription: Long.\n---\n${"A line of instructions.\n".repeat(596)}`,
  );
  dir = await generated("lowercase-skill-md");
  await rename(join(dir, "SKILL.md"), join(dir, "skill.md"));
  // There but not a file: a broken runnable skill, not an instruction skill without a manifest.
  dir = await generated("manifest-folder");
  await rm(join(dir, "manifest.yaml"));
  await mkdir(join(dir, "manifest.yaml"));
  dir = await generated("manifest-fifo");
  await rm(join(dir, "manifest.yaml"));
  execFileSync("mkfifo", [join(dir, "manifest.yaml")]);
  dir = await generated("too-many-entries");
  const many = join(dir, "node_modules", "many");
  mkdirSync(many, { recursive: true });
  // Past the limit: the scan must fail naming it rather than stop quietly.
  for (let i = 0; i <= 50; i++) writeFileSync(join(many, String(i)), "");
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function check(dir: string, expected: Expected) {
  if (expected.profile) {
    // The specification does not have the rule: without the profile the skill is valid in both modes.
    for (const strict of [true, false]) {
      const plain = await loadSkill(dir, { strict });
      expect(plain.ok ? plain.warnings : plain.errors).toEqual([]);
    }
  }
  for (const strict of [true, false]) {
    const result = await loadSkill(dir, {
      strict,
      maxEntries: expected.maxEntries,
      ...(expected.profile ? { profile: expected.profile } : {}),
    });
    const problems = [...(result.ok ? [] : result.errors), ...result.warnings];
    const match = problems.find(
      (p) => p.code === expected.code && p.file === join(dir, expected.file) && p.line === expected.line,
    );
    expect(
      match,
      `${expected.code} at ${expected.file}:${expected.line} (strict=${strict}) in ${JSON.stringify(problems, null, 1)}`,
    ).toBeDefined();
    if (expected.column !== undefined) expect(match!.column).toBe(expected.column);
    expect(match!.message.length).toBeGreaterThan(5);
    expect(match!.hint?.length ?? 0).toBeGreaterThan(5);
    expect(match!.severity).toBe(strict || !expected.strictOnly ? "error" : "warning");
    expect(result.ok).toBe(!strict && Boolean(expected.strictOnly));
  }
}

describe("broken fixtures", () => {
  it("has at least 40 committed broken skills, each in the table", async () => {
    const folders = (await readdir(BROKEN)).sort();
    expect(folders.length).toBeGreaterThanOrEqual(40);
    expect(folders).toEqual(Object.keys(COMMITTED).sort());
  });

  it.each(Object.entries(COMMITTED))("%s", async (name, expected) => {
    await check(join(BROKEN, name), expected);
  });

  it.each(Object.entries(GENERATED))("%s (generated)", async (name, expected) => {
    await check(join(work, name), expected);
  });

  it("the link scan and staging share one entry limit: 100,000", () => {
    expect(MAX_SCAN_ENTRIES).toBe(100_000);
    expect(MAX_SKILL_ENTRIES).toBe(MAX_SCAN_ENTRIES);
  });

  it("covers every problem code at least once", () => {
    // found by `skills validate`'s usage analysis, not by loading the skill: test/integration/pythonUsage.test.ts;
    // and by its checks of runnable skills against servers, code, inputs and cassettes: validateRunnable.test.ts
    const elsewhere = [
      "TOOL_UNDECLARED",
      "TOOL_UNUSED",
      "TOOL_UNKNOWN",
      "SERVER_UNKNOWN",
      "CODE_SYNTAX",
      "CODE_TYPE",
      "TEST_INPUT_INVALID",
      "EXAMPLE_INPUT_INVALID",
      "CASSETTE_EMPTY",
    ] as const;
    const covered = new Set([
      ...[...Object.values(COMMITTED), ...Object.values(GENERATED)].map((e) => e.code),
      ...elsewhere,
    ]);
    expect([...Object.keys(PROBLEM_CODES)].filter((code) => !covered.has(code as keyof typeof PROBLEM_CODES))).toEqual(
      [],
    );
  });

  it("reports one problem for an entry in the wrong language, not also its shape", async () => {
    const result = await loadSkill(join(BROKEN, "entry-language-mismatch"), { strict: true });
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(["ENTRY_LANGUAGE_MISMATCH"]);
  });

  it("does not also report a folder mismatch for a name that breaks the rule", async () => {
    const result = await loadSkill(join(BROKEN, "name-uppercase"), { strict: true });
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(["NAME_INVALID", "NAME_INVALID"]);
  });

  it("allows symlinks that stay inside the skill folder", async () => {
    const dir = await generated("symlink-inside");
    await mkdir(join(dir, "lib"));
    await writeFile(join(dir, "lib", "impl.py"), "def run(input):\n    return {}\n");
    await rm(join(dir, "main.py"));
    await symlink("lib/impl.py", join(dir, "main.py"));
    await symlink(join(dir, "lib"), join(dir, "lib-link"));
    const result = await loadSkill(dir, { strict: true });
    expect(result.ok ? result.warnings : result.errors).toEqual([]);
  });

  it("hints at manifest.yml -> manifest.yaml", async () => {
    const result = await loadSkill(join(BROKEN, "manifest-yml"), { strict: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.hint).toBe("rename manifest.yml to manifest.yaml");
  });

  it("names a lower-case skill.md and says how to rename it", async () => {
    const dir = join(work, "lowercase-skill-md");
    const result = await loadSkill(dir);
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.message, e.hint])).toEqual([
      [
        "SKILL_MD_MISSING",
        "SKILL.md does not exist; there is skill.md, but the file must be named SKILL.md (in capitals)",
        `rename it: mv ${join(dir, "skill.md")} ${join(dir, "SKILL.md")}`,
      ],
    ]);
  });

  it("reports an unreadable SKILL.md as missing with the reason", async () => {
    const dir = await generated("unreadable");
    await chmod(join(dir, "SKILL.md"), 0o000);
    const result = await loadSkill(dir);
    // root can read anything: then the skill is simply valid.
    if (process.getuid?.() === 0) expect(result.ok).toBe(true);
    else expect(result.ok ? [] : result.errors.map((e) => e.code)).toContain("SKILL_MD_MISSING");
  });
});

describe("valid fixtures", () => {
  it.each(["minimal-python", "full-manifest", "typescript-skill", "javascript-skill", "draft07-schema", "crlf-bom"])(
    "%s passes --strict with no warnings",
    async (name) => {
      const result = await loadSkill(join(VALID, name), { strict: true });
      expect(result.ok ? result.warnings : result.errors).toEqual([]);
      expect(result.ok).toBe(true);
      if (result.ok) {
        expect(result.value.name).toBe(name);
        expect(result.value.dir).toBe(join(VALID, name));
        expect(result.value.entryPath).toBe(join(VALID, name, result.value.manifest.entry));
        expect(result.value.body.trim().length).toBeGreaterThan(0);
      }
    },
  );

  it("returns the parsed manifest and frontmatter", async () => {
    const result = await loadSkill(join(VALID, "full-manifest"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.manifest.tools).toEqual({
      "filesystem/list_directory_with_sizes": "^0.2.0",
      "filesystem/get_file_info": ">=0.2.0 <1",
      "memory/search_nodes": "*",
    });
    expect(result.value.manifest.privacy?.patterns?.[0]).toEqual({ name: "employee_id", regex: "E-\\d{6}" });
    expect(result.value.frontmatter.metadata).toEqual({ owner: "platform-team", reviewed: "2026-11-01" });
    expect(result.value.frontmatter["allowed-tools"]).toBe("Read Bash(skills:*)");
  });
});
