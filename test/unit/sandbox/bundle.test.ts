import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { bundleProgram, exportedNames, topLevelNames } from "../../../src/sandbox/bundle.js";

const sdk = mkdtempSync(join(tmpdir(), "sdk-"));
mkdirSync(join(sdk, "servers", "demo"), { recursive: true });
writeFileSync(
  join(sdk, "servers", "_runtime.ts"),
  "export async function callTool(s: string, t: string, a: object) { return [s, t, a]; }\n",
);
writeFileSync(
  join(sdk, "servers", "demo", "index.ts"),
  'import { callTool } from "../_runtime";\nexport const add = (a: object) => callTool("demo", "add", a);\n',
);
afterAll(() => rmSync(sdk, { recursive: true, force: true }));

describe("topLevelNames", () => {
  test.each([
    ["const a = 1;\nlet b = 2;\nvar c;\n", ["a", "b", "c"]],
    ["function f() {\n  const inner = 1;\n}\nasync function g() {}\nclass K {}\n", ["f", "g", "K"]],
    [
      'import { add, echo as e } from "servers/demo";\nimport * as ns from "x";\nimport d from "y";\n',
      ["add", "e", "ns", "d"],
    ],
    ["const { x, y: z } = o;\nconst [p, q] = arr;\n", ["x", "z", "p", "q"]],
    ["export const e = 1;\n", ["e"]],
  ])("%j", (source, names) => {
    expect(topLevelNames(source)).toEqual(names);
  });
});

describe("bundleProgram (in a bundler child)", () => {
  test("resolves servers/<server> to the SDK tree and strips types", async () => {
    const { code } = await bundleProgram({
      code: 'import { add } from "servers/demo";\nexport const result: unknown = await add({ a: 1 });',
      language: "typescript",
      sdkDir: sdk,
      resolveDir: sdk,
      filename: "main.ts",
    });
    expect(code).toContain('callTool("demo", "add"');
    expect(code).not.toContain(": unknown");
    expect(code).not.toMatch(/from\s+"servers/);
  });

  test("a notebook-style top-level result is exported for the worker", async () => {
    const { code } = await bundleProgram({
      code: "let result = 1;",
      language: "typescript",
      sdkDir: sdk,
      resolveDir: sdk,
      filename: "main.ts",
    });
    expect(code).toMatch(/__skills_result/);
  });

  test("session cells export every top-level name", async () => {
    const { code } = await bundleProgram({
      code: "const a = 1;\nfunction f() { return a; }",
      language: "typescript",
      sdkDir: sdk,
      resolveDir: sdk,
      filename: "cell1.ts",
      session: true,
    });
    expect(code).toMatch(/export\s*\{[^}]*\ba\b[^}]*\}/);
    expect(code).toMatch(/export\s*\{[^}]*\bf\b[^}]*\}/);
  });

  test("a session cell with its own exports is not exported twice (esbuild's multi-line export block)", async () => {
    const { code } = await bundleProgram({
      code: "export const a = 1;\nexport function f() { return a; }\nconst b = 2;\nexport { b as c };\nlet d = 4;",
      language: "typescript",
      sdkDir: sdk,
      resolveDir: sdk,
      filename: "cell2.ts",
      session: true,
    });
    const mod = await import(`data:text/javascript,${encodeURIComponent(code)}`);
    expect(Object.keys(mod).sort()).toEqual(["a", "b", "c", "d", "f"]);
  });

  test("exportedNames reads declarations and export blocks over several lines", () => {
    const js = "export const a = 1;\nexport async function f() {}\nexport {\n  b,\n  x as c\n};\nconst z = 0;";
    expect([...exportedNames(js)].sort()).toEqual(["a", "b", "c", "f"]);
  });

  test("the bundle lists the files it was made from (a cache checks them before reuse)", async () => {
    const { inputs } = await bundleProgram({
      code: 'import { add } from "servers/demo";\nexport const result = add;',
      language: "typescript",
      sdkDir: sdk,
      resolveDir: sdk,
      filename: "main.ts",
    });
    expect(inputs.map((input) => input.path).sort()).toEqual([
      join(sdk, "servers", "_runtime.ts"),
      join(sdk, "servers", "demo", "index.ts"),
    ]);
  });

  test("errors carry file:line:col, in the program or in the file it imports", async () => {
    await expect(
      bundleProgram({ code: "const x = ;", language: "typescript", sdkDir: sdk, resolveDir: sdk, filename: "main.ts" }),
    ).rejects.toMatchObject({
      code: "PROGRAM_ERROR",
      data: { file: "main.ts", line: 1, column: 11 },
    });
    await expect(
      bundleProgram({
        code: 'import "servers/zzz";',
        language: "typescript",
        sdkDir: sdk,
        resolveDir: sdk,
        filename: "m.ts",
      }),
    ).rejects.toThrow(/no generated SDK module "servers\/zzz"/);
    writeFileSync(join(sdk, "broken.ts"), "export const y = 1;\nexport const z = ;\n");
    await expect(
      bundleProgram({ code: 'import "./broken";', language: "typescript", sdkDir: sdk, resolveDir: sdk, filename: "m.ts" }),
    ).rejects.toMatchObject({ code: "PROGRAM_ERROR", message: expect.stringMatching(/^broken\.ts:2:18: /) });
  });
});
