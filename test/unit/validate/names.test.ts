import { describe, expect, it } from "vitest";
import { checkSkillName, suggestSkillName } from "../../../src/core/validate/names.js";
import { closestMatches, editDistance } from "../../../src/core/validate/suggest.js";

describe("checkSkillName", () => {
  it.each(["a", "pdf", "find-large-files", "a1-b2-c3", "x".repeat(64), "0-start"])("accepts %s", (name) => {
    expect(checkSkillName(name)).toBeUndefined();
  });

  it.each([
    ["", "NAME_INVALID", /empty/],
    ["Pdf", "NAME_INVALID", /uppercase.*\(pdf\)/],
    ["a--b", "NAME_INVALID", /consecutive hyphens/],
    ["-a", "NAME_INVALID", /starts or ends/],
    ["a-", "NAME_INVALID", /starts or ends/],
    ["a_b", "NAME_INVALID", /other than a-z/],
    ["a.b", "NAME_INVALID", /other than a-z/],
    ["a b", "NAME_INVALID", /other than a-z/],
    ["naïve", "NAME_INVALID", /non-ASCII/],
    ["名前", "NAME_INVALID", /non-ASCII/],
    ["x".repeat(65), "NAME_TOO_LONG", /65 characters/],
    ["claude", "NAME_RESERVED", /"claude"/],
    ["my-anthropic-helper", "NAME_RESERVED", /"anthropic"/],
  ])("rejects %j as %s", (name, code, message) => {
    const issue = checkSkillName(name);
    expect(issue?.code).toBe(code);
    expect(issue?.message).toMatch(message);
  });

  it.each([
    ["My Skill", "my-skill"],
    ["Café Über", "cafe-uber"],
    ["--x--", "x"],
    ["日本", "my-skill"],
    ["claude-helper", "helper"],
    ["anthropic", "my-skill"],
  ])("suggests %j -> %s", (name, suggestion) => {
    expect(suggestSkillName(name)).toBe(suggestion);
    expect(checkSkillName(suggestSkillName(name))).toBeUndefined();
  });
});

describe("suggestions", () => {
  it("measures edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("finds close candidates, best first", () => {
    expect(closestMatches("timeout", ["timeout_ms", "memory_mb", "cpu_ms"])).toEqual(["timeout_ms"]);
    expect(closestMatches("langauge", ["language", "entry", "name"])).toEqual(["language"]);
    expect(closestMatches("zzzz", ["language", "entry"])).toEqual([]);
  });
});
