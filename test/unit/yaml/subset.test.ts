/**
 * The fast YAML reader against the `yaml` package, text by text: whatever the reader accepts must have the package's
 * value (same keys in the same order, same numbers, -0 and NaN included) and, for every node and every pointer that
 * names nothing, the position and source text the package-based path gives. Hand-picked texts, then thousands of
 * generated ones mixing the constructs the reader knows with the ones it must leave to the package.
 */
import { describe, expect, it } from "vitest";
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { escapePointerToken, splitPointer } from "../../../src/core/json/index.js";
import { locatePointer } from "../../../src/core/yaml/locate.js";
import { parseYaml } from "../../../src/core/yaml/parseYaml.js";
import { parseYamlSubset } from "../../../src/core/yaml/subset.js";
import { locateInSubset, sourceInSubset } from "../../../src/core/yaml/subsetLocate.js";

/** Every value with its type and key order spelled out, so that deep equality misses nothing (-0, NaN, order). */
function describeValue(value: unknown): unknown {
  if (typeof value === "number") return Object.is(value, -0) ? "number:-0" : `number:${String(value)}`;
  if (Array.isArray(value)) return value.map(describeValue);
  if (value !== null && typeof value === "object") {
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    return Object.entries(value).map(([key, item]) => [key, describeValue(item)]);
  }
  return `${typeof value}:${String(value)}`;
}

/** Every pointer of the package's document, plus children that do not exist under each collection. */
function pointersOf(doc: Document): string[] {
  const pointers: string[] = [];
  const walk = (node: unknown, pointer: string) => {
    pointers.push(pointer, `${pointer}/missing`, `${pointer}/0`, `${pointer}/`, `${pointer}/-1`, `${pointer}/1.5`);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : "?";
        walk(pair.value, `${pointer}/${escapePointerToken(key)}`);
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) walk(item, `${pointer}/${index}`);
    }
  };
  walk(doc.contents, "");
  return pointers;
}

/** Checks one text; returns whether the fast reader took it. */
function compare(text: string): boolean {
  const subset = parseYamlSubset(text);
  if (!subset) return false;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const context = `for ${JSON.stringify(text)}`;
  expect(
    doc.errors.map((error) => error.code),
    context,
  ).toEqual([]);
  expect(describeValue(subset.value), context).toEqual(describeValue(doc.toJS({ maxAliasCount: 100 })));
  // Every place, ours and the yaml package's side by side, compared at once (one expect per place cost this file a
  // second and a half of vitest's bookkeeping): a mismatch shows as that place's line of the diff.
  const ours: Record<string, unknown> = {};
  const theirs: Record<string, unknown> = {};
  for (const pointer of pointersOf(doc)) {
    for (const target of ["value", "key"] as const) {
      ours[`at ${pointer} (${target})`] = locateInSubset(subset, pointer, target, 3);
      theirs[`at ${pointer} (${target})`] = locatePointer(doc, lineCounter, pointer, target, 3);
    }
    const node = doc.getIn(splitPointer(pointer), true);
    ours[`source at ${pointer}`] = sourceInSubset(subset, text, pointer);
    theirs[`source at ${pointer}`] =
      isScalar(node) && node.range ? text.slice(node.range[0], node.range[1]).trim() : undefined;
  }
  expect(ours, context).toStrictEqual(theirs);
  return true;
}

/** A small seeded generator (mulberry32), so that a failure names a text that comes back on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  "name",
  "description",
  "a",
  "b",
  "tools",
  "filesystem/read_text_file",
  "allowed-tools",
  "x_1",
  "$schema",
  "a b",
  "über",
  "1",
  "1abc",
  "true",
  "null",
  "~",
  "0x1F",
  "1e3",
  "'quoted key'",
  '"double key"',
  '"a\\tb"',
  "a:b",
  "<<",
  "__proto__",
  "'__proto__'",
  "key ",
  "-k",
  "?k",
  "k#x",
  "[k]",
  "'it''s'",
  "Yes",
  "constructor",
  "toString",
  ".md",
  ".gitignore",
  ".inf",
  ".NaN",
  ".",
  "...",
  "....x",
];
const SCALARS = [
  "plain",
  "two words",
  "1",
  "-1",
  "+1",
  "-0",
  "0",
  "007",
  "0o17",
  "0o8",
  "0x1F",
  "0xG",
  "1.5",
  "-1.5",
  ".5",
  "1.",
  "1e3",
  "-1.2E-3",
  ".inf",
  "-.Inf",
  "+.INF",
  ".nan",
  ".NaN",
  "~",
  "null",
  "Null",
  "NULL",
  "nULL",
  "true",
  "False",
  "TRUE",
  "yes",
  "no",
  "on",
  "2024-01-01",
  "1_000",
  "http://x.y/z?q=1",
  "a#b",
  "a #b",
  "a: b",
  "a:",
  "ends:",
  "'single'",
  "'it''s'",
  "''",
  '""',
  '"double"',
  '"esc \\n \\t \\\\ \\" \\/"',
  '"\\u00e9\\x41\\U0001F600"',
  '"\\q"',
  '"\\uZZZZ"',
  '"tab\\ttab"',
  "'unclosed",
  '"unclosed',
  "'a' trailing",
  '"a"#c',
  "- x",
  "-x",
  "--x",
  "-.5",
  "@at",
  "`tick",
  "&anchor x",
  "*alias",
  "!!str 5",
  "!tag x",
  "|",
  ">-",
  "%x",
  "?q",
  ":c",
  ",c",
  "]",
  "}",
  "x]",
  "a, b",
  "[]",
  "{}",
  "[a, b]",
  "[ a , b ]",
  "[1, -2, 0x3, .5, ~, true]",
  "{a: 1, b: [c, d]}",
  "{ 'k': v, \"q\": [1] }",
  "[a, ]",
  "{a: }",
  "{a}",
  "[a: b]",
  "{a: 1, a: 2}",
  "[a b, 'c''d']",
  "[{a: [b, {c: d}]}]",
  "[a",
  "{a: 1",
  "[a] x",
  "[a] # c",
  "[a]#c",
  "{a:1}",
  '{"a":1}',
  '{"a": 1}',
  "[:x]",
  "[#x]",
  "[- a]",
  "[-1]",
  "nbsp\u00a0x",
  "tab\there",
  "cr\rhere",
  "emoji 😀",
  "\u0085",
  "€ 5",
  "x   ",
  "'a'   # c",
  "value # comment",
];
const COMMENTS = ["", "", "", " # c", "   # trailing", "#x"];

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

/** Mostly the first, common scalars; now and then any of them. */
function scalar(next: () => number): string {
  return next() < 0.9 ? pick(next, SCALARS.slice(0, 45)) : pick(next, SCALARS);
}

/** A random block document: mappings and sequences nested a few levels, with comments, blanks and odd spacing. */
function generate(next: () => number): string {
  const lines: string[] = [];
  const indentStep = next() < 0.8 ? 2 : pick(next, [1, 3, 4]);
  const filler = (indent: number) => {
    const roll = next();
    if (roll < 0.08) lines.push("");
    else if (roll < 0.14) lines.push(`${" ".repeat(pick(next, [0, indent, indent + 3]))}# note`);
    else if (roll < 0.16) lines.push("   ");
  };
  const map = (indent: number, depth: number, firstPrefix?: string) => {
    const count = 1 + Math.floor(next() * 4);
    for (let i = 0; i < count; i++) {
      filler(indent);
      const key = next() < 0.85 ? pick(next, KEYS.slice(0, 12)) : pick(next, KEYS);
      const colon = next() < 0.97 ? ":" : pick(next, [" :", ":x"]);
      const prefix = i === 0 && firstPrefix !== undefined ? firstPrefix : " ".repeat(indent);
      const roll = next();
      if (depth < 3 && roll < 0.3) {
        lines.push(`${prefix}${key}${colon}${pick(next, ["", "", " ", "  # open"])}`);
        const childIndent = next() < 0.95 ? indent + indentStep : Math.max(0, indent + pick(next, [-1, 1]));
        if (next() < 0.6) map(childIndent, depth + 1);
        else seq(next() < 0.3 ? indent : childIndent, depth + 1);
      } else if (roll < 0.38) {
        lines.push(`${prefix}${key}${colon}${pick(next, ["", " ", "   # empty"])}`);
      } else {
        lines.push(`${prefix}${key}${colon} ${scalar(next)}${pick(next, COMMENTS)}`);
        if (next() < 0.03) lines.push(`${" ".repeat(indent + indentStep)}continued`);
      }
    }
    if (next() < 0.03) lines.push(`${" ".repeat(indent)}${pick(next, KEYS.slice(0, 4))}: again`);
  };
  const seq = (indent: number, depth: number) => {
    const count = 1 + Math.floor(next() * 3);
    for (let i = 0; i < count; i++) {
      filler(indent);
      const dash = `${" ".repeat(indent)}-${next() < 0.95 ? " " : pick(next, ["", "   "])}`;
      const roll = next();
      if (depth < 3 && roll < 0.3) map(indent + 2, depth + 1, dash);
      else if (roll < 0.33) lines.push(dash.trimEnd());
      else if (roll < 0.35) lines.push(`${dash}- nested`);
      else lines.push(`${dash}${scalar(next)}${pick(next, COMMENTS)}`);
    }
  };
  if (next() < 0.1) lines.push("# yaml-language-server: $schema=x.json");
  if (next() < 0.02) lines.push(pick(next, ["---", "%YAML 1.2\n---", "..."]));
  if (next() < 0.04) seq(0, 0);
  else map(next() < 0.97 ? 0 : 2, 0);
  if (next() < 0.02) lines.push(pick(next, ["---", "...", "--- x", "\tx: 1"]));
  return lines.join("\n") + (next() < 0.8 ? "\n" : "");
}

describe("parseYamlSubset", () => {
  it("reads a skill's files as the yaml package does", () => {
    const texts = [
      "# yaml-language-server: $schema=../../schemas/manifest.schema.json\nname: bench-skill-0001\nversion: 1.1.1\n" +
        "language: python\nentry: main.py\ndescription: Benchmark skill 1\ninput:\n  type: object\n  properties:\n" +
        '    field_1: { type: array, items: { type: integer, minimum: 0 } }\n    label: { type: string, pattern: "^[a-z]{1,2}$" }\n' +
        "  required: [field_1]\noutput: { type: object, properties: { sum: { type: integer } } }\ntools:\n" +
        '  filesystem/read_text_file: ^0.1.0\n  memory/search_nodes: ">=1.0.0 <3"\n' +
        "limits: { timeout_ms: 30000, memory_mb: 256, max_tool_calls: 50, max_output_bytes: 65536 }\nprivacy:\n" +
        "  tokenize: [email, phone]\n  patterns:\n    - { name: id_1, regex: 'ID-\\d{2}' }\ntags: [bench, group-1]\n",
      "name: basic\ninput: { field_1: [1, 2] }\nexpect: { subset: { sum: 3 } }\n",
      'name: x\ndescription: Benchmark skill number 1. Use it when measuring validation speed.\nlicense: MIT\nmetadata:\n  index: "1"\n',
      "cases:\n  - name: a\n    input: {}\n  - name: b\n    input:\n      x: 1\n    expect:\n      error: { code: INPUT_INVALID }\n",
      "a:\n- 1\n- x: y\n  z:\n  w: ~\nb:   # c\n  # inside\n  c: d   \ne:\nf:   # hi\n",
      "list:\n  - a\n  -   b: 1\n      c: 2\n  - [x, {y: z}]\n",
      // a test case keyed by file extensions (skills/summarize-directory/tests/basic.yaml)
      "expect:\n  subset:\n    by_extension:\n      .md: { files: 1 }\n      .py: { .x: 1 }\n",
    ];
    for (const text of texts) expect(compare(text), JSON.stringify(text)).toBe(true);
    expect(parseYamlSubset(texts.at(-1)!)?.value).toEqual({
      expect: { subset: { by_extension: { ".md": { files: 1 }, ".py": { ".x": 1 } } } },
    });
  });

  it.each([
    ["an anchor and an alias", "a: &x 1\nb: *x\n"],
    ["a tag", "a: !!str 5\n"],
    ["a block scalar", "a: |\n  text\n"],
    ["a multi-line plain scalar", "a: one\n  two\n"],
    ["a multi-line flow", "a: [1,\n  2]\n"],
    ["a second document", "a: 1\n---\nb: 2\n"],
    ["a document start", "---\na: 1\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["a duplicate key in a flow", "a: {b: 1, b: 2}\n"],
    ["a merge key", "<<: {a: 1}\n"],
    ["a __proto__ key", "__proto__: {a: 1}\n"],
    ["a key read as a number", "1: a\n"],
    ["a key read as infinity", ".inf: a\n"],
    ["a key read as NaN, in a flow", "a: {.NaN: 1}\n"],
    ["a document end", "a: 1\n...\n"],
    ["a tab", "a:\n\tb: 1\n"],
    ["CRLF line ends", "a: 1\r\nb: 2\r\n"],
    ["a sequence at the root", "- a\n"],
    ["a scalar at the root", "just text\n"],
    ["an empty text", ""],
    ["comments only", "# a\n"],
    ["an unclosed quote", 'a: "x\nb: 1\n'],
    ["bad indentation", "a:\n  b: 1\n c: 2\n"],
    ["a compact nested mapping", "a: b: c\n"],
    ["a quoted key over 1024 characters", `"${"k".repeat(1100)}": 1\n`],
    ["a plain key over 1024 characters", `${"k".repeat(1100)}: 1\n`],
  ])("leaves %s to the yaml package", (_name, text) => {
    expect(parseYamlSubset(text)).toBeUndefined();
  });

  it("gives what the yaml package gives for thousands of generated texts", () => {
    const next = random(20251206);
    let accepted = 0;
    const total = 4000;
    for (let i = 0; i < total; i++) if (compare(generate(next))) accepted++;
    // the generated texts are built to be mostly plain: a reader that declined them all would test nothing
    expect(accepted).toBeGreaterThan(total / 5);
    expect(accepted).toBeLessThan(total);
  });

  it("leaves collections nested past 64 levels to the package, even thousands deep (no stack overflow)", () => {
    const block = (depth: number) =>
      `${Array.from({ length: depth }, (_, i) => `${" ".repeat(i)}k${i}:\n`).join("")}${" ".repeat(depth)}v: 1\n`;
    const flow = (depth: number) => `a: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
    // 60 levels: still this reader's, and the package's value
    for (const text of [block(60), flow(60)]) {
      expect(parseYamlSubset(text)).toBeDefined();
      expect(compare(text)).toBe(true);
    }
    for (const text of [block(66), flow(66), block(3000), flow(3000)]) {
      expect(parseYamlSubset(text)).toBeUndefined();
      const parsed = parseYaml(text, { file: "m.yaml" });
      const doc = parseDocument(text, { uniqueKeys: true, strict: true });
      expect(parsed.ok).toBe(doc.errors.length === 0);
    }
  });

  it("leaves parseYaml's answers unchanged: value, positions with a line offset, source text", () => {
    const text = 'name: a\ntools:\n  fs/read: "^1.0.0"\n  mem/x: ">=1 <2"\n';
    const parsed = parseYaml(text, { file: "f.yaml", lineOffset: 1 });
    expect(parsed.ok && parsed.value).toEqual({ name: "a", tools: { "fs/read": "^1.0.0", "mem/x": ">=1 <2" } });
    if (!parsed.ok) return;
    expect(parsed.locate("/tools/mem~1x", "key")).toEqual({ line: 5, column: 3 });
    expect(parsed.locate("/tools/mem~1x")).toEqual({ line: 5, column: 10 });
    expect(parsed.locate("/nothing")).toEqual({ line: 2, column: 1 });
    expect(parsed.sourceAt("/tools/fs~1read")).toBe('"^1.0.0"');
    expect(parsed.sourceAt("/tools")).toBeUndefined();
  });
});
