import { describe, expect, it } from "vitest";
import { entryHasRunOrResult } from "../../../src/core/skill/entryShape.js";

describe("entryHasRunOrResult", () => {
  it.each([
    ["python", "def run(input):\n    return {}\n"],
    ["python", "import x\n\nasync def run(input, ctx=None):\n    pass\n"],
    ["python", "run = lambda input: input\n"],
    ["python", "# %%\ndata = 1\n# %%\nresult = {'data': data}\n"],
    ["python", "result: dict = {}\n"],
    ["typescript", "export async function run(input: Input): Promise<Output> {\n}\n"],
    ["typescript", "export function run(input) {}\n"],
    ["typescript", "export default async function run(input) {}\n"],
    ["typescript", "export const run = async (input: unknown) => input;\n"],
    ["javascript", "async function run(input) {}\nexport { helper, run };\n"],
    ["javascript", "// %%\nconst data = 1;\n// %%\nresult = { data };\n"],
    ["typescript", "const result: number = 1;\n"],
  ] as const)("%s accepts %j", (language, source) => {
    expect(entryHasRunOrResult(language, source)).toBe(true);
  });

  it.each([
    ["python", 'print("hello")\n'],
    ["python", "def runner(input):\n    pass\n"],
    ["python", "if result == 1:\n    pass\n"],
    ["python", "    result = 1\n"],
    ["typescript", "function run(input) {}\n"],
    ["typescript", "export function running() {}\nif (result === 1) {}\n"],
    ["javascript", ""],
  ] as const)("%s rejects %j", (language, source) => {
    expect(entryHasRunOrResult(language, source)).toBe(false);
  });
});
