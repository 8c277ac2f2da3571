/** Document validators as tables: value -> codes and pointers (positions come from a real YAML parse). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { checkJsonSchema } from "../../../src/core/validate/jsonSchema.js";
import { isStrictSemver, validateManifest } from "../../../src/core/validate/manifest.js";
import { validateFrontmatter } from "../../../src/core/validate/frontmatter.js";
import { schemaValidator } from "../../../src/core/schema/index.js";
import { parseYaml } from "../../../src/core/yaml/parseYaml.js";

const schema = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, `../../../schemas/${name}.schema.json`), "utf8"));
const manifestValidator = schemaValidator("fileFormat", schema("manifest"));
const frontmatterValidator = schemaValidator("fileFormat", schema("skill-frontmatter"));
const BASE = { name: "demo", version: "1.0.0", language: "python", entry: "main.py" };

function checkManifest(value: Record<string, unknown>, strict = false) {
  const text = stringify(value);
  const parsed = parseYaml(text, { file: "manifest.yaml" });
  if (!parsed.ok) throw new Error("bad test yaml");
  return validateManifest(parsed.value, manifestValidator, {
    file: "manifest.yaml",
    locate: parsed.locate,
    strict,
  }).problems.map((p) => [p.code, p.pointer]);
}

function checkFrontmatter(value: Record<string, unknown>, strict = false) {
  const parsed = parseYaml(stringify(value), { file: "SKILL.md", lineOffset: 1 });
  if (!parsed.ok) throw new Error("bad test yaml");
  return validateFrontmatter(parsed.value, frontmatterValidator, {
    file: "SKILL.md",
    locate: parsed.locate,
    strict,
  }).problems.map((p) => [p.code, p.pointer, p.severity]);
}

describe("validateManifest", () => {
  it("accepts the base manifest", () => {
    expect(checkManifest(BASE)).toEqual([]);
  });

  it.each([
    ["version as number", { version: 1 }, [["MANIFEST_SCHEMA", "/version"]]],
    ["version not semver", { version: "1.0" }, [["VERSION_INVALID", "/version"]]],
    ["unknown top-level key", { author: "me" }, [["MANIFEST_UNKNOWN_KEY", "/author"]]],
    ["unknown limit", { limits: { timeout: 1 } }, [["MANIFEST_UNKNOWN_KEY", "/limits/timeout"]]],
    ["limit below minimum", { limits: { memory_mb: 1 } }, [["MANIFEST_SCHEMA", "/limits/memory_mb"]]],
    ["limit not integer", { limits: { timeout_ms: 1.5 } }, [["MANIFEST_SCHEMA", "/limits/timeout_ms"]]],
    ["tool key without slash", { tools: { read: "^1.0.0" } }, [["TOOL_KEY_INVALID", "/tools/read"]]],
    ["tool range invalid", { tools: { "fs/read": "latest" } }, [["TOOL_RANGE_INVALID", "/tools/fs~1read"]]],
    ["tool range not a string", { tools: { "fs/read": 1 } }, [["MANIFEST_SCHEMA", "/tools/fs~1read"]]],
    ["entry absolute", { entry: "/etc/main.py" }, [["PATH_ESCAPE", "/entry"]]],
    ["entry language", { language: "javascript" }, [["ENTRY_LANGUAGE_MISMATCH", "/entry"]]],
    ["privacy unknown detector", { privacy: { tokenize: ["mail"] } }, [["MANIFEST_SCHEMA", "/privacy/tokenize/0"]]],
    [
      "privacy bad regex",
      { privacy: { patterns: [{ name: "x", regex: "a[" }] } },
      [["PRIVACY_REGEX_INVALID", "/privacy/patterns/0/regex"]],
    ],
    [
      "privacy regex that backtracks exponentially on a tool result",
      { privacy: { patterns: [{ name: "x", regex: "E-(\\d+-?)+$" }] } },
      [["PRIVACY_REGEX_INVALID", "/privacy/patterns/0/regex"]],
    ],
    [
      "privacy pattern without regex",
      { privacy: { patterns: [{ name: "x" }] } },
      [["MANIFEST_SCHEMA", "/privacy/patterns/0"]],
    ],
    ["duplicate tags", { tags: ["a", "a"] }, [["MANIFEST_SCHEMA", "/tags"]]],
    ["input not a schema", { input: { type: "strin" } }, [["JSON_SCHEMA_INVALID", "/input/type"]]],
    ["output required not a list", { output: { required: "x" } }, [["JSON_SCHEMA_INVALID", "/output/required"]]],
    [
      "input with unknown dialect",
      { input: { $schema: "https://example.com/s" } },
      [["JSON_SCHEMA_INVALID", "/input/$schema"]],
    ],
    ["name uppercase", { name: "Demo" }, [["NAME_INVALID", "/name"]]],
  ])("%s", (_title, patch, expected) => {
    expect(checkManifest({ ...BASE, ...patch })).toEqual(expected);
  });

  it("warns about schema keys that are no keyword (an error with --strict), at the key, with the fix", () => {
    const text = [
      "name: demo",
      "version: 1.0.0",
      "language: python",
      "entry: main.py",
      "input:",
      "  type: object",
      "  properties:",
      "    path: { type: string, description: Folder to read, relative to the root }",
      "    top: { type: integer, minimun: 1, x-ui: slider }",
      "    minimun: { type: integer }",
      "  $defs:",
      "    item: { type: string, nullable: true, enum: [{ minimun: 1 }] }",
      "output:",
      "  type: array",
      "  items: { type: object, additionalProperties: { type: string, maxLenght: 3 } }",
      "",
    ].join("\n");
    const parsed = parseYaml(text, { file: "m.yaml" });
    if (!parsed.ok) throw new Error();
    const ctx = { file: "m.yaml", locate: parsed.locate, strict: false };
    const problems = validateManifest(parsed.value, manifestValidator, ctx).problems.sort((a, b) => a.line - b.line);
    expect(problems.map((p) => [p.code, p.severity, p.line, p.column, p.message, p.hint])).toEqual([
      [
        "JSON_SCHEMA_UNKNOWN_KEYWORD",
        "warning",
        8,
        56,
        'input.properties.path.relative to the root: "relative to the root" is not a JSON Schema keyword: it is ignored, and checks nothing',
        'in a YAML flow mapping `{ ... }` a comma ends a plain value: quote the value before it, e.g. description: "a, b"',
      ],
      [
        "JSON_SCHEMA_UNKNOWN_KEYWORD",
        "warning",
        9,
        27,
        'input.properties.top.minimun: "minimun" is not a JSON Schema keyword: it is ignored, and checks nothing',
        'did you mean "minimum"?',
      ],
      [
        "JSON_SCHEMA_UNKNOWN_KEYWORD",
        "warning",
        12,
        27,
        'input.$defs.item.nullable: "nullable" is not a JSON Schema keyword: it is ignored, and checks nothing',
        "use a keyword of json-schema.org, or name your own annotation x-nullable",
      ],
      [
        "JSON_SCHEMA_UNKNOWN_KEYWORD",
        "warning",
        15,
        64,
        'output.items.additionalProperties.maxLenght: "maxLenght" is not a JSON Schema keyword: it is ignored, and checks nothing',
        'did you mean "maxLength"?',
      ],
    ]);
    const strict = validateManifest(parsed.value, manifestValidator, { ...ctx, strict: true }).problems;
    expect(strict.map((p) => p.severity)).toEqual(["error", "error", "error", "error"]);
  });

  it("accepts $schema, description and a property called pattern", () => {
    expect(
      checkManifest({
        $schema: "../x.json",
        description: "d",
        ...BASE,
        input: { type: "object", properties: { pattern: { type: "string" } } },
      }),
    ).toEqual([]);
  });

  it("says what was expected and suggests a fix", () => {
    const parsed = parseYaml("name: demo\nversion: 1.0.0\nlanguage: pyton\nentry: main.py\nlimit: {}\n", {
      file: "m.yaml",
    });
    if (!parsed.ok) throw new Error();
    const problems = validateManifest(parsed.value, manifestValidator, {
      file: "m.yaml",
      locate: parsed.locate,
      strict: false,
    }).problems;
    const sorted = [...problems].sort((a, b) => a.line - b.line);
    expect(sorted.map((p) => [p.message, p.hint, p.line, p.column])).toEqual([
      [
        'language: must be one of python, typescript, javascript, got the string "pyton"',
        'did you mean "python"?',
        3,
        11,
      ],
      ['limit: unknown key "limit"', 'did you mean "limits"?', 5, 1],
    ]);
  });

  it("quotes what the user wrote, not the number YAML made of it", () => {
    const parsed = parseYaml("name: demo\nversion: 1.10\nlanguage: python\nentry: main.py\ndescription: 2.50\n", {
      file: "m.yaml",
    });
    if (!parsed.ok) throw new Error();
    const ctx = { file: "m.yaml", locate: parsed.locate, sourceAt: parsed.sourceAt, strict: false };
    const problems = validateManifest(parsed.value, manifestValidator, ctx).problems.sort((a, b) => a.line - b.line);
    expect(problems.map((p) => [p.pointer, p.message, p.hint])).toEqual([
      [
        "/version",
        "version: must be a string, got number 1.1",
        "a version is MAJOR.MINOR.PATCH, e.g. 1.0.0 (YAML reads 1.0 as a number)",
      ],
      ["/description", "description: must be a string, got number 2.5", 'quote the value: "2.50"'],
    ]);
  });

  it("reports a non-mapping document", () => {
    const parsed = parseYaml("just text\n", { file: "m.yaml" });
    if (!parsed.ok) throw new Error();
    const result = validateManifest(parsed.value, manifestValidator, {
      file: "m.yaml",
      locate: parsed.locate,
      strict: false,
    });
    expect(result.problems[0]!.code).toBe("YAML_NOT_MAPPING");
    expect(result.manifest).toBeUndefined();
  });
});

describe("validateFrontmatter", () => {
  const base = { name: "demo", description: "Does things. Use when needed." };

  it.each([
    ["all spec fields", { license: "MIT", compatibility: "Linux", metadata: { a: "b" }, "allowed-tools": "Read" }, []],
    ["unknown key (default)", { version: "1" }, [["FRONTMATTER_UNKNOWN_KEY", "/version", "error"]]],
    // A vendor rule: the check reports it, the mode decides (isReported); as reported, it is an error.
    ["description with >", { description: "a > b" }, [["DESCRIPTION_ANGLE_BRACKETS", "/description", "error"]]],
    ["reserved word in the name", { name: "claude-notes" }, [["NAME_RESERVED", "/name", "error"]]],
    ["whitespace description", { description: "   " }, [["FRONTMATTER_SCHEMA", "/description", "error"]]],
    [
      "description too long (default)",
      { description: "d".repeat(1025) },
      [["DESCRIPTION_TOO_LONG", "/description", "error"]],
    ],
    [
      "compatibility too long",
      { compatibility: "c".repeat(501) },
      [["COMPATIBILITY_TOO_LONG", "/compatibility", "error"]],
    ],
    ["lowercase Cyrillic name", { name: "навык" }, []],
    ["metadata value not a string", { metadata: { n: 1 } }, [["FRONTMATTER_SCHEMA", "/metadata/n", "error"]]],
    ["allowed-tools as list", { "allowed-tools": ["Read"] }, [["FRONTMATTER_SCHEMA", "/allowed-tools", "error"]]],
    ["name too long", { name: "n".repeat(65) }, [["NAME_TOO_LONG", "/name", "error"]]],
  ])("%s", (_title, patch, expected) => {
    expect(checkFrontmatter({ ...base, ...patch })).toEqual(expected);
  });

  it("suggests the spec key for a near miss and metadata for custom fields", () => {
    const parsed = parseYaml("name: demo\ndescription: d\nlicence: MIT\n", { file: "SKILL.md", lineOffset: 1 });
    if (!parsed.ok) throw new Error();
    const [problem] = validateFrontmatter(parsed.value, frontmatterValidator, {
      file: "SKILL.md",
      locate: parsed.locate,
      strict: false,
    }).problems;
    expect(problem!.message).toBe('licence: unknown key "licence": not part of the Agent Skills specification');
    expect(problem!.hint).toMatch(/^did you mean "license"\? the specification allows .* under `metadata:`/);
    expect([problem!.line, problem!.column]).toEqual([4, 1]);
  });

  it("turns tolerated problems into errors with strict", () => {
    expect(checkFrontmatter({ ...base, extra: 1 }, true)).toEqual([["FRONTMATTER_UNKNOWN_KEY", "/extra", "error"]]);
  });

  it("positions frontmatter problems in SKILL.md lines", () => {
    const parsed = parseYaml("name: demo\ndescription: a <b>\n", { file: "SKILL.md", lineOffset: 1 });
    if (!parsed.ok) throw new Error();
    const [problem] = validateFrontmatter(parsed.value, frontmatterValidator, {
      file: "SKILL.md",
      locate: parsed.locate,
      strict: false,
    }).problems;
    expect([problem!.line, problem!.column]).toEqual([3, 14]);
  });
});

describe("checkJsonSchema", () => {
  it.each([
    [{ type: "object", properties: { a: { type: "string" } } }, []],
    [{ $schema: "http://json-schema.org/draft-07/schema#", definitions: { a: { type: "string" } } }, []],
    [{ type: "objekt" }, ["/type"]],
    [{ properties: { a: { minLength: -1 } } }, ["/properties/a/minLength"]],
    [{ patternProperties: { "(": {} } }, ["/patternProperties/("]],
    [{ items: { pattern: "[" } }, ["/items/pattern"]],
    [{ $defs: { a: { type: "string" } }, properties: { x: { $ref: "#/$defs/a" }, y: { $ref: "#" } } }, []],
    [{ $defs: { a: { type: "string" } }, properties: { x: { $ref: "#/$defs/b" } } }, ["/properties/x/$ref"]],
    [{ items: { $ref: "https://example.com/schema.json" } }, ["/items/$ref"]],
    [{ properties: { $ref: { type: "string" } } }, []],
  ])("%j -> %j", (input, pointers) => {
    expect(checkJsonSchema(input).map((issue) => issue.pointer)).toEqual(pointers);
  });

  // a $ref that comes back to itself without reading data: ajv overflows its stack compiling it, on every run
  it.each([
    [{ properties: { x: { $ref: "#/$defs/a" } }, $defs: { a: { $ref: "#/$defs/a" } } }, ["/$defs/a/$ref"]],
    [{ $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } } }, ["/$defs/b/$ref"]],
    [{ $defs: { a: { allOf: [{ $ref: "#/$defs/a" }] } } }, ["/$defs/a/allOf/0/$ref"]],
    [{ $ref: "#" }, ["/$ref"]],
    // recursion through properties or items reads deeper into the data each time: a tree is fine
    [
      {
        $defs: {
          node: { type: "object", properties: { children: { type: "array", items: { $ref: "#/$defs/node" } } } },
        },
        $ref: "#/$defs/node",
      },
      [],
    ],
    [{ default: { $ref: "#/default" }, type: "object" }, []],
  ])("$ref loop %j -> %j", (input, pointers) => {
    const issues = checkJsonSchema(input);
    expect(issues.map((issue) => issue.pointer)).toEqual(pointers);
    for (const issue of issues) expect(issue.message).toMatch(/^\$ref loops back without reading any data \(#/);
  });

  it("a loop that passes would overflow the validator: the check is what keeps it out", () => {
    const looping = { type: "object", properties: { x: { $ref: "#/$defs/a" } }, $defs: { a: { $ref: "#/$defs/a" } } };
    expect(() => schemaValidator("skillInput", looping)).toThrow(RangeError);
  });

  // a quantified group that repeats a quantifier backtracks exponentially on a near-miss: the host that validates an
  // input against it (skills serve for every client) would stop for minutes on 35 characters
  it.each([
    ["^(a+)+$", true],
    ["^(a*)*b", true],
    ["(\\d+\\s?)+x", true],
    ["^((ab)+c)*$", false],
    ["^([a-z0-9-]+\\.)+[a-z]{2,}$", false],
    ["^(a+b?)+$", true],
    ["^(?=(x+)+)y$", true],
    ["^(?:[a-z]+,?){2,}$", true],
    ["^([a-z]+)$", false],
    ["^(ab)+$", false],
    ["^[a-z+]+$", false],
    ["^(\\(+)$", false],
    ["^E-\\d{6}(-\\d+)?$", false],
    ["^(a{2})+$", false],
  ])("pattern %s is refused as exponential: %s", (pattern, refused) => {
    const issues = checkJsonSchema({ type: "string", pattern });
    expect(issues.map((issue) => issue.pointer)).toEqual(refused ? ["/pattern"] : []);
    if (refused) expect(issues[0]!.message).toMatch(/^pattern can take exponential time: /);
  });
});

describe("isStrictSemver", () => {
  it.each([
    ["1.0.0", true],
    ["0.0.1-alpha.1+b.2", true],
    ["v1.0.0", false],
    ["=1.0.0", false],
    [" 1.0.0", false],
    ["1.0", false],
    ["01.0.0", false],
  ])("%s -> %s", (version, ok) => {
    expect(isStrictSemver(version)).toBe(ok);
  });
});
