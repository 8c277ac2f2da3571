/**
 * The reference validator of the Agent Skills specification (skills-ref, github.com/agentskills/agentskills) as a
 * table: every case of its validator and parser tests, rebuilt as a skill folder and run through `skills validate`.
 * Each row says what skills-ref decides; our default mode must decide the same, and so must --strict (the toolkit's
 * stricter checks are about runnable skills and long files, none of which these folders have).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validate } from "../../src/commands/validate.js";
import { isSkillsError } from "../../src/errors.js";

interface ReferenceCase {
  /** The test's name in skills-ref/tests. */
  name: string;
  /** Folder name; undefined: the case is about the path itself. */
  dir?: string;
  /** SKILL.md text; undefined: no SKILL.md. */
  skillMd?: string;
  /** What skills-ref says: valid, or the problem code we report for its error. */
  expect: "valid" | string;
  /** Only for the path cases: what the path is. */
  path?: "missing" | "file";
}

const md = (frontmatter: string, body = "Body\n") => `---\n${frontmatter}\n---\n${body}`;

const CASES: ReferenceCase[] = [
  // test_validator.py
  {
    name: "test_valid_skill",
    dir: "my-skill",
    skillMd: md("name: my-skill\ndescription: A test skill", "# My Skill\n"),
    expect: "valid",
  },
  { name: "test_nonexistent_path", path: "missing", expect: "NOT_FOUND" },
  { name: "test_not_a_directory", path: "file", expect: "NOT_FOUND" },
  { name: "test_missing_skill_md", dir: "my-skill", expect: "SKILL_MD_MISSING" },
  {
    name: "test_invalid_name_uppercase",
    dir: "MySkill",
    skillMd: md("name: MySkill\ndescription: A test skill"),
    expect: "NAME_INVALID",
  },
  {
    name: "test_name_too_long",
    dir: "a".repeat(70),
    skillMd: md(`name: ${"a".repeat(70)}\ndescription: A test skill`),
    expect: "NAME_TOO_LONG",
  },
  {
    name: "test_name_leading_hyphen",
    dir: "-my-skill",
    skillMd: md("name: -my-skill\ndescription: A test skill"),
    expect: "NAME_INVALID",
  },
  {
    name: "test_name_consecutive_hyphens",
    dir: "my--skill",
    skillMd: md("name: my--skill\ndescription: A test skill"),
    expect: "NAME_INVALID",
  },
  {
    name: "test_name_invalid_characters",
    dir: "my_skill",
    skillMd: md("name: my_skill\ndescription: A test skill"),
    expect: "NAME_INVALID",
  },
  {
    name: "test_name_directory_mismatch",
    dir: "wrong-name",
    skillMd: md("name: correct-name\ndescription: A test skill"),
    expect: "FOLDER_NAME_MISMATCH",
  },
  {
    name: "test_unexpected_fields",
    dir: "my-skill",
    skillMd: md("name: my-skill\ndescription: A test skill\nunknown_field: should not be here"),
    expect: "FRONTMATTER_UNKNOWN_KEY",
  },
  {
    name: "test_valid_with_all_fields",
    dir: "my-skill",
    skillMd: md("name: my-skill\ndescription: A test skill\nlicense: MIT\nmetadata:\n  author: Test"),
    expect: "valid",
  },
  {
    name: "test_allowed_tools_accepted",
    dir: "my-skill",
    skillMd: md("name: my-skill\ndescription: A test skill\nallowed-tools: Bash(jq:*) Bash(git:*)"),
    expect: "valid",
  },
  {
    name: "test_i18n_chinese_name",
    dir: "技能",
    skillMd: md("name: 技能\ndescription: A skill with Chinese name"),
    expect: "valid",
  },
  {
    name: "test_i18n_russian_name_with_hyphens",
    dir: "мой-навык",
    skillMd: md("name: мой-навык\ndescription: A skill with Russian name"),
    expect: "valid",
  },
  {
    name: "test_i18n_russian_lowercase_valid",
    dir: "навык",
    skillMd: md("name: навык\ndescription: A skill with Russian lowercase name"),
    expect: "valid",
  },
  {
    name: "test_i18n_russian_uppercase_rejected",
    dir: "НАВЫК",
    skillMd: md("name: НАВЫК\ndescription: A skill with Russian uppercase name"),
    expect: "NAME_INVALID",
  },
  {
    name: "test_description_too_long",
    dir: "my-skill",
    skillMd: md(`name: my-skill\ndescription: ${"x".repeat(1100)}`),
    expect: "DESCRIPTION_TOO_LONG",
  },
  {
    name: "test_valid_compatibility",
    dir: "my-skill",
    skillMd: md("name: my-skill\ndescription: A test skill\ncompatibility: Requires Python 3.11+"),
    expect: "valid",
  },
  {
    name: "test_compatibility_too_long",
    dir: "my-skill",
    skillMd: md(`name: my-skill\ndescription: A test skill\ncompatibility: ${"x".repeat(550)}`),
    expect: "COMPATIBILITY_TOO_LONG",
  },
  // The folder is composed (é), the name decomposed (e + U+0301): equal after NFKC.
  {
    name: "test_nfkc_normalization",
    dir: "café",
    skillMd: md("name: cafe\u0301\ndescription: A test skill"),
    expect: "valid",
  },
  // test_parser.py: the cases that decide validity
  {
    name: "test_missing_frontmatter",
    dir: "my-skill",
    skillMd: "# No frontmatter here",
    expect: "FRONTMATTER_MISSING",
  },
  {
    name: "test_unclosed_frontmatter",
    dir: "my-skill",
    skillMd: "---\nname: my-skill\ndescription: A test skill\n",
    expect: "FRONTMATTER_UNTERMINATED",
  },
  {
    name: "test_invalid_yaml",
    dir: "my-skill",
    skillMd: "---\nname: [invalid\ndescription: broken\n---\nBody here\n",
    expect: "YAML_SYNTAX",
  },
  {
    name: "test_non_dict_frontmatter",
    dir: "my-skill",
    skillMd: "---\n- just\n- a\n- list\n---\nBody\n",
    expect: "YAML_NOT_MAPPING",
  },
  {
    name: "test_missing_name",
    dir: "my-skill",
    skillMd: md("description: A test skill"),
    expect: "FRONTMATTER_SCHEMA",
  },
  { name: "test_missing_description", dir: "my-skill", skillMd: md("name: my-skill"), expect: "FRONTMATTER_SCHEMA" },
];

let work: string;
const paths = new Map<string, string>();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "skills-reference-"));
  for (const [index, c] of CASES.entries()) {
    // One folder per case, so that each has its own parent and its own folder name.
    const parent = join(work, String(index));
    await mkdir(parent);
    if (c.path === "missing") paths.set(c.name, join(parent, "nonexistent"));
    else if (c.path === "file") {
      await writeFile(join(parent, "file.txt"), "test");
      paths.set(c.name, join(parent, "file.txt"));
    } else {
      const dir = join(parent, c.dir!);
      await mkdir(dir);
      if (c.skillMd !== undefined) await writeFile(join(dir, "SKILL.md"), c.skillMd);
      paths.set(c.name, dir);
    }
  }
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** What validate decides for one case: "valid", the error codes, or the SkillsError code for a bad path. */
async function decide(c: ReferenceCase, strict: boolean): Promise<{ valid: boolean; codes: string[] }> {
  try {
    const result = await validate({ paths: [paths.get(c.name)!], cwd: work, strict });
    expect(result.skills).toHaveLength(1);
    return { valid: result.ok, codes: result.skills[0]!.errors.map((p) => p.code) };
  } catch (error) {
    if (!isSkillsError(error)) throw error;
    return { valid: false, codes: [error.code] };
  }
}

describe("the skills-ref cases", () => {
  it("has all 27 of them", () => {
    expect(CASES).toHaveLength(27);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(27);
  });

  for (const strict of [false, true]) {
    it.each(CASES.map((c) => [c.name, c] as const))(`%s agrees${strict ? " with --strict" : ""}`, async (_name, c) => {
      const decision = await decide(c, strict);
      if (c.expect === "valid") {
        expect(decision).toEqual({ valid: true, codes: [] });
      } else {
        expect(decision.valid).toBe(false);
        expect(decision.codes).toContain(c.expect);
      }
    });
  }

  it("reports the name of a valid Unicode skill as written", async () => {
    const c = CASES.find((x) => x.name === "test_i18n_russian_name_with_hyphens")!;
    const result = await validate({ paths: [paths.get(c.name)!], cwd: work });
    expect(result.skills[0]).toMatchObject({ name: "мой-навык", kind: "instruction", ok: true });
  });
});
