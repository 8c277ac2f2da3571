/** `skills repl`: block splitting (a table) and a real session that keeps its namespace across blocks. */
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { BlockReader, bracketDepth, lastExpressionAsResult, openRepl } from "../../src/commands/repl.js";
import type { SkillLanguage } from "../../src/contracts/skill.js";

const repo = resolve(import.meta.dirname, "../..");

function blocks(language: SkillLanguage, text: string): string[] {
  const reader = new BlockReader(language);
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const block = reader.push(line);
    if (block !== undefined) out.push(block);
  }
  const rest = reader.flush();
  if (rest !== undefined) out.push(rest);
  return out;
}

describe("BlockReader", () => {
  const cases: [string, SkillLanguage, string, string[]][] = [
    ["blank line ends a block", "python", "x = 1\n\ny = 2", ["x = 1\n", "y = 2\n"]],
    ["%% ends a block", "python", "x = 1\n%%\ny = 2\n%%", ["x = 1\n", "y = 2\n"]],
    ["leading blank lines are ignored", "python", "\n\n\nx = 1\n", ["x = 1\n"]],
    [
      "a trailing colon keeps the block open",
      "python",
      "def f():\n\n    return 1\n\nf()",
      ["def f():\n\n    return 1\n", "f()\n"],
    ],
    ["open brackets keep the block open", "python", "x = [\n\n1]\n\n", ["x = [\n\n1]\n"]],
    [
      "a blank line inside a def needs %%",
      "python",
      "def f():\n    a = 1\n\n    return a\n%%",
      ["def f():\n    a = 1\n", "    return a\n"],
    ],
    ["brackets in strings and comments do not count", "python", "s = '('  # (\n\nt = 1", ["s = '('  # (\n", "t = 1\n"]],
    [
      "ts: open braces keep the block open",
      "typescript",
      "function f() {\n\n  return 1;\n}\n\nf()",
      ["function f() {\n\n  return 1;\n}\n", "f()\n"],
    ],
    ["ts: a trailing operator keeps it open", "typescript", "const x = 1 +\n\n2;\n", ["const x = 1 +\n\n2;\n"]],
    [
      "a colon in a comment does not keep it open",
      "python",
      "x = 1  # note:\n\ny = 2",
      ["x = 1  # note:\n", "y = 2\n"],
    ],
    [
      "ts: brackets in a // comment do not count",
      "typescript",
      "const a = 1; // {\n\nconst b = 2;",
      ["const a = 1; // {\n", "const b = 2;\n"],
    ],
  ];
  for (const [name, language, text, expected] of cases) {
    test(name, () => {
      expect(blocks(language, text)).toEqual(expected);
    });
  }

  test("bracketDepth skips escaped quotes", () => {
    expect(bracketDepth('x = "\\"(" + (', "python")).toBe(1);
    expect(bracketDepth("`(` + [1, 2]", "typescript")).toBe(0);
  });

  test("pending shows when a block has started", () => {
    const reader = new BlockReader("python");
    expect(reader.pending).toBe(false);
    reader.push("x = 1");
    expect(reader.pending).toBe(true);
  });
});

describe("lastExpressionAsResult (TS blocks)", () => {
  const cases: [string, string][] = [
    ["base + 2", "const result = (base + 2);\n"],
    ["const a = 1;\na * 2;", "const a = 1;\nconst result = (a * 2);\n"],
    ["await fetchThing()", "const result = (await fetchThing());\n"],
    ["items.filter((x) => x > 1)", "const result = (items.filter((x) => x > 1));\n"],
    ["a === b", "const result = (a === b);\n"],
  ];
  for (const [block, expected] of cases) {
    test(`${JSON.stringify(block)} becomes the block's value`, () => {
      expect(lastExpressionAsResult(block)).toBe(expected);
    });
  }
  const untouched = [
    "const x = 1;",
    "x = 2",
    "function f() {\n  return 1;\n}",
    "if (a) b()",
    "const result = 5;\nresult + 1",
    "foo(\n  1,\n  2)",
    "// just a comment",
    "constant + 1;\nconst y = 2",
  ];
  for (const block of untouched) {
    test(`${JSON.stringify(block)} is left alone`, () => {
      expect(lastExpressionAsResult(block)).toBe(block);
    });
  }
});

describe("repl session", () => {
  test("python: variables survive between blocks, and tools work", async () => {
    const session = await openRepl({ language: "python", tools: ["everything/echo"], cwd: repo });
    try {
      expect(session.tools).toEqual(["everything/echo"]);
      expect((await session.execute("x = 21\n")).ok).toBe(true);
      expect((await session.execute("x * 2\n")).result).toBe(42);
      const echoed = await session.execute("from servers.everything import echo\necho(message='hi')[0]['text']\n");
      expect(echoed.result).toBe("Echo: hi");
      const failed = await session.execute("undefined_name\n");
      expect(failed.ok).toBe(false);
      expect(failed.error?.message).toContain("NameError");
      // the namespace is still there after an error
      expect((await session.execute("x\n")).result).toBe(21);
    } finally {
      await session.close();
    }
  });

  test("typescript: top-level names survive between blocks", async () => {
    const session = await openRepl({ language: "typescript", cwd: repo });
    try {
      expect((await session.execute("const base = 40;\n")).ok).toBe(true);
      expect((await session.execute("export const result = base + 2;\n")).result).toBe(42);
      expect((await session.execute("export function twice(n: number) { return 2 * n; }\n")).ok).toBe(true);
      expect((await session.execute("const result = twice(base);\n")).result).toBe(80);
      expect((await session.execute("base + 4\n")).result).toBe(44);
      expect((await session.execute("[1, 2, 3].map((n) => n * base)\n")).result).toEqual([40, 80, 120]);
    } finally {
      await session.close();
    }
  });

  test("a block killed by its timeout ends the session; the next block runs in a new one, with a warning", async () => {
    const session = await openRepl({ language: "python", timeoutMs: 700, cwd: repo });
    try {
      expect((await session.execute("x = 1\n")).ok).toBe(true);
      const killed = await session.execute("import time\ntime.sleep(30)\n");
      expect(killed.timedOut).toBe(true);
      const next = await session.execute("'x' in globals()\n");
      expect(next.ok).toBe(true);
      expect(next.result).toBe(false);
      expect(next.warnings?.[0]).toMatch(/new one: earlier variables are gone/);
      const after = await session.execute("y = 2\ny\n");
      expect(after.warnings ?? []).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
