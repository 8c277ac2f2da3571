import { describe, expect, it } from "vitest";
import { parseYaml } from "../../../src/core/yaml/parseYaml.js";

function errorsOf(text: string, lineOffset = 0) {
  const result = parseYaml(text, { file: "f.yaml", lineOffset });
  if (result.ok) throw new Error("expected errors");
  return result.errors.map((e) => ({ code: e.code, line: e.line, column: e.column }));
}

describe("parseYaml errors", () => {
  it.each([
    ["tab indentation", "a:\n\tb: 1\n", { code: "YAML_TAB", line: 2, column: 1 }],
    [
      "unclosed double quote points at the opening quote",
      'x: 1\na: "abc\nb: 2\n',
      { code: "YAML_UNCLOSED_QUOTE", line: 2, column: 4 },
    ],
    ["unclosed single quote", "x: 1\na: 'abc\n", { code: "YAML_UNCLOSED_QUOTE", line: 2, column: 4 }],
    ["duplicate key", "a: 1\nb: 2\na: 3\n", { code: "YAML_DUPLICATE_KEY", line: 3, column: 1 }],
    [
      "unclosed flow list points at the bracket",
      "x: 1\ntags: [a, b\ny: 2\n",
      { code: "YAML_SYNTAX", line: 2, column: 7 },
    ],
    ["bad indentation", "a:\n  b: 1\n c: 2\n", { code: "YAML_SYNTAX", line: 3, column: 1 }],
    ["two documents", "a: 1\n---\nb: 2\n", { code: "YAML_SYNTAX", line: 2, column: 1 }],
    ["undefined alias points at the alias", "a: 1\nb: *nope\n", { code: "YAML_SYNTAX", line: 2, column: 4 }],
  ])("%s", (_name, text, expected) => {
    expect(errorsOf(text)[0]).toEqual(expected);
  });

  it.each([
    ["name: a\ndescription: Use when: x\n", 2, /must be quoted, e.g. description: "Use when: ..."/],
    ["key without colon\nb: 1\n", 1, /every line needs `key: value`/],
    ["a: @x\n", 1, /must be quoted/],
    ["a:\n  b: 1\n c: 2\n", 3, /indent nested keys consistently/],
  ])("explains %j on line %i", (text, line, hint) => {
    const result = parseYaml(text, { file: "f.yaml" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]!.code).toBe("YAML_SYNTAX");
    expect(result.errors[0]!.line).toBe(line);
    expect(result.errors[0]!.hint).toMatch(hint);
  });

  it("reports a broken flow collection once, not every token after it", () => {
    const text =
      "input:\n  properties:\n    path: { type: string, description: list of [{ a, b }] }\n  required: [path]\noutput:\n  type: object\ntags: [x]\n";
    const result = parseYaml(text, { file: "f.yaml" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => [error.code, error.line])).toEqual([["YAML_SYNTAX", 3]]);
  });

  it("names the duplicated key", () => {
    const result = parseYaml("name: a\nname: b\n", { file: "f.yaml" });
    expect(!result.ok && result.errors[0]!.message).toBe('duplicate key "name": keys must be unique in a mapping');
  });

  it("shifts lines by lineOffset (SKILL.md frontmatter)", () => {
    expect(errorsOf("a: 1\n\tb: 2\n", 1)[0]).toEqual({ code: "YAML_TAB", line: 3, column: 1 });
  });

  it("refuses alias bombs instead of expanding them", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(", ")}]`,
      ),
    ].join("\n");
    const result = parseYaml(bomb, { file: "f.yaml" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]!.message).toMatch(/alias/i);
  });

  it("reports one error per line, not the parser's follow-ups", () => {
    const lines = errorsOf("- a\nb: 1\n").map((e) => e.line);
    expect(new Set(lines).size).toBe(lines.length);
  });
});

describe("parseYaml locate", () => {
  const text = "# comment\nname: demo\ntools:\n  fs/read: ^1.0.0\nlist:\n  - a\n  - b: 1\nempty:\n";
  const result = parseYaml(text, { file: "f.yaml" });
  if (!result.ok) throw new Error("parse failed");

  it.each([
    ["", "value", { line: 2, column: 1 }],
    ["/name", "value", { line: 2, column: 7 }],
    ["/name", "key", { line: 2, column: 1 }],
    ["/tools/fs~1read", "value", { line: 4, column: 12 }],
    ["/tools/fs~1read", "key", { line: 4, column: 3 }],
    ["/list/1/b", "value", { line: 7, column: 8 }],
    ["/list/5", "value", { line: 6, column: 3 }],
    ["/missing", "value", { line: 2, column: 1 }],
    ["/empty", "value", { line: 8, column: 7 }],
  ] as const)("%s (%s)", (pointer, target, expected) => {
    expect(result.locate(pointer, target)).toEqual(expected);
  });

  it("returns plain values", () => {
    expect(result.value).toEqual({ name: "demo", tools: { "fs/read": "^1.0.0" }, list: ["a", { b: 1 }], empty: null });
  });
});
