import { describe, expect, it } from "vitest";
import { splitSkillMd } from "../../../src/core/skill/splitSkillMd.js";

describe("splitSkillMd", () => {
  it("splits frontmatter and body with line numbers", () => {
    const result = splitSkillMd("---\nname: a\ndescription: b\n---\n\n# Title\n", "SKILL.md", false);
    expect(result).toEqual({
      ok: true,
      parts: { frontmatter: "name: a\ndescription: b", frontmatterLineOffset: 1, body: "\n# Title\n", bodyLine: 5 },
    });
  });

  it("handles CRLF, a BOM and trailing spaces on fences", () => {
    const result = splitSkillMd("\uFEFF--- \r\nname: a\r\n---\t\r\nbody\r\n", "SKILL.md", false);
    expect(result.ok && result.parts.frontmatter).toBe("name: a");
    expect(result.ok && result.parts.body).toBe("body\n");
  });

  it("allows an empty frontmatter block (validated later)", () => {
    const result = splitSkillMd("---\n---\nbody\n", "SKILL.md", false);
    expect(result.ok && result.parts.frontmatter).toBe("");
  });

  it.each([
    ["", "SKILL_MD_EMPTY"],
    [" \n\t\n", "SKILL_MD_EMPTY"],
    ["# Title\n---\nname: a\n---\n", "FRONTMATTER_MISSING"],
    ["----\nname: a\n----\n", "FRONTMATTER_MISSING"],
    ["---\nname: a\n", "FRONTMATTER_UNTERMINATED"],
  ])("%j -> %s", (text, code) => {
    const result = splitSkillMd(text, "SKILL.md", false);
    expect(result.ok ? [] : result.errors.map((e) => [e.code, e.line, e.column, e.file])).toEqual([
      [code, 1, 1, "SKILL.md"],
    ]);
  });
});
