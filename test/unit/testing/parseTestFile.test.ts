import { describe, expect, it } from "vitest";
import { defaultCassetteName, parseTestFile } from "../../../src/core/testing/parseTestFile.js";

function errorsOf(text: string) {
  const result = parseTestFile(text, "tests/x.yaml");
  if (result.ok) throw new Error("expected errors");
  return result.errors.map((e) => ({ line: e.line, column: e.column, message: e.message, code: e.code }));
}

describe("parseTestFile", () => {
  it("reads the scaffold's one-case shape", () => {
    const result = parseTestFile(
      "name: basic\ninput: { path: src }\nexpect:\n  subset: { ok: true }\n",
      "tests/basic.yaml",
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual([
      {
        case: { name: "basic", input: { path: "src" }, expect: { subset: { ok: true } } },
        file: "tests/basic.yaml",
        line: 1,
        index: 0,
      },
    ]);
  });

  it("reads a list of cases with every option", () => {
    const text = [
      "cases:",
      "  - name: first",
      "    input: 1",
      "    expect: { equals: 2, maxToolCalls: 3, maxMs: 1000 }",
      "    cassette: shared.json",
      "    args: { ignore: [timestamp, query.at] }",
      "    allowUnused: true",
      "    order: any",
      "    timeout_ms: 500",
      "  - name: second",
      "    live: true",
      "    expect:",
      "      error: { code: PROGRAM_ERROR, message: /not found/i }",
      "      match: { '$.a[0]': { regex: '^x' }, '$..b': 1 }",
      "      schema: { type: object }",
    ].join("\n");
    const result = parseTestFile(text, "tests/all.yaml");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.map((c) => [c.case.name, c.line, c.index])).toEqual([
      ["first", 2, 0],
      ["second", 10, 1],
    ]);
  });

  it.each([
    ["name: a\n\tinput: 1\n", 2, /YAML/],
    ["name: 'a\n", 1, /YAML/],
    ["name: a\nname: b\n", 2, /duplicate key/],
    ["- 1\n- 2\n", 1, /must be a mapping/],
    ["input: 1\n", 1, /missing required key "name"/],
    ["name: a\nexpect:\n  subset: {}\n  contains: 1\n", 4, /unknown matcher "contains" in expect/],
    ["name: a\nexpcet: {}\n", 2, /unknown key "expcet"/],
    ["name: a\nexpect:\n  maxMs: -1\n", 3, /must be >= 1/],
    ["name: a\ncassette: ../x.json\n", 2, /must match pattern/],
    ["name: a\ncassette: x.json\nlive: true\n", 3, /both `live: true` and `cassette`/],
    ["name: a\nexpect:\n  match:\n    'files': 1\n", 4, /JSONPaths starting with \$/],
    ["name: a\nexpect:\n  match:\n    '$.a[?(@)]': 1\n", 4, /bad JSONPath/],
    ["name: a\nexpect:\n  match:\n    '$.a': { regex: '(' }\n", 4, /invalid regex/],
    ["name: a\nexpect:\n  match:\n    '$.a': { regex: 'x', other: 1 }\n", 4, /only `regex` and `flags`/],
    ["name: a\nexpect:\n  error: { message: '/(/' }\n", 3, /invalid regex/],
    ["name: a\nexpect:\n  schema: { type: nonsense }\n", 3, /not a valid JSON Schema/],
    ["name: a\norder: random\n", 2, /must be equal to one of the allowed values: "strict", "any"/],
    ["cases: []\n", 1, /must NOT have fewer than 1 items/],
    ["cases:\n  - name: a\n  - name: a\n", 3, /duplicate case name "a" \(first at line 2\)/],
    ["cases:\n  - name: a\n    expect:\n      equal: 1\n", 4, /unknown matcher "equal"/],
  ])("%j -> error at line %i", (text, line, message) => {
    const errors = errorsOf(text);
    expect(errors[0]?.code).toBe("TEST_CASE_INVALID");
    expect(errors[0]?.message).toMatch(message);
    expect(errors[0]?.line).toBe(line);
  });

  it("reports every problem of a file, each with its own line", () => {
    const errors = errorsOf("name: a\nexpect:\n  foo: 1\n  bar: 2\n");
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [3, 'unknown matcher "foo" in expect'],
      [4, 'unknown matcher "bar" in expect'],
    ]);
  });

  it.each([
    ["basic", "basic.json"],
    ["Lists a Folder!", "lists-a-folder.json"],
    ["../../etc/passwd", "etc-passwd.json"],
    ["???", "case.json"],
  ])("default cassette of %j is %s", (name, file) => {
    expect(defaultCassetteName(name)).toBe(file);
  });
});
