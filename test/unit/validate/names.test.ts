import { describe, expect, it } from "vitest";
import {
  checkReservedName,
  checkSkillName,
  sameSkillName,
  suggestSkillName,
} from "../../../src/core/validate/names.js";
import { closestMatches, editDistance } from "../../../src/core/validate/suggest.js";

describe("checkSkillName", () => {
  it.each([
    "a",
    "pdf",
    "find-large-files",
    "a1-b2-c3",
    "x".repeat(64),
    "0-start",
    // The specification allows lowercase letters of any script (the reference validator's i18n cases).
    "навык",
    "мой-навык",
    "技能",
    "naïve",
    "café",
    "cafe\u0301",
    "ß",
    // Not this toolkit's rule but one vendor's: only the claude profile refuses them.
    "claude",
    "my-anthropic-helper",
  ])("accepts %s", (name) => {
    expect(checkSkillName(name)).toBeUndefined();
  });

  it.each([
    ["", "NAME_INVALID", /empty/],
    ["Pdf", "NAME_INVALID", /uppercase.*\(pdf\)/],
    ["a--b", "NAME_INVALID", /consecutive hyphens/],
    ["-a", "NAME_INVALID", /starts or ends/],
    ["a-", "NAME_INVALID", /starts or ends/],
    ["a_b", "NAME_INVALID", /contains "_": only letters, digits and hyphens/],
    ["a.b", "NAME_INVALID", /contains "\."/],
    ["a b", "NAME_INVALID", /contains a space/],
    ["café·skill", "NAME_INVALID", /contains "·"/],
    ["НАВЫК", "NAME_INVALID", /uppercase.*\(навык\)/],
    ["Ǆa", "NAME_INVALID", /uppercase/],
    ["x".repeat(65), "NAME_TOO_LONG", /65 characters/],
    ["技".repeat(65), "NAME_TOO_LONG", /65 characters/],
  ])("rejects %j as %s", (name, code, message) => {
    const issue = checkSkillName(name);
    expect(issue?.code).toBe(code);
    expect(issue?.message).toMatch(message);
  });

  it.each([
    ["My Skill", "my-skill"],
    ["Café Über", "café-über"],
    ["--x--", "x"],
    ["日本", "日本"],
    ["Мой_Навык", "мой-навык"],
    ["!!!", "my-skill"],
  ])("suggests %j -> %s", (name, suggestion) => {
    expect(suggestSkillName(name)).toBe(suggestion);
    expect(checkSkillName(suggestSkillName(name))).toBeUndefined();
  });

  it.each([
    ["claude-helper", "helper"],
    ["anthropic", "my-skill"],
  ])("suggests %j -> %s without the reserved words", (name, suggestion) => {
    expect(suggestSkillName(name, { dropReserved: true })).toBe(suggestion);
    expect(checkReservedName(suggestSkillName(name, { dropReserved: true }))).toBeUndefined();
  });
});

describe("the claude profile's reserved words", () => {
  it.each([
    ["claude", "claude"],
    ["my-anthropic-helper", "anthropic"],
    ["claudette", "claude"],
  ])("finds the reserved word in %j", (name, word) => {
    expect(checkReservedName(name)).toEqual({
      code: "NAME_RESERVED",
      message: `name "${name}" contains the reserved word "${word}"`,
    });
  });

  it("leaves other names alone", () => {
    expect(checkReservedName("cloud-helper")).toBeUndefined();
  });
});

describe("sameSkillName", () => {
  it("compares in NFKC form, as the reference validator does", () => {
    expect(sameSkillName("cafe\u0301", "café")).toBe(true);
    expect(sameSkillName("ﬁle", "file")).toBe(true);
    expect(sameSkillName("café", "cafe")).toBe(false);
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
