/**
 * The transpile fast path's import check: a program qualifies only when every module it loads is named in a static
 * import at the top and is a node built-in or a module of the generated SDK; anything else goes to the bundler.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointImports, sdkModule, staticImports } from "../../../src/sandbox/moduleImports.js";

let sdk: string;
beforeAll(async () => {
  sdk = await mkdtemp(join(tmpdir(), "skills-imports-"));
  await mkdir(join(sdk, "servers", "everything"), { recursive: true });
  // As the generated SDK writes it: one module per tool, re-exported by the server's index.
  await writeFile(
    join(sdk, "servers", "everything", "index.js"),
    'import { getSum } from "./get_sum.js";\nexport {\n  getSum\n};\n',
  );
  await writeFile(join(sdk, "servers", "everything", "get_sum.js"), "export async function getSum(args) {}\n");
  await writeFile(join(sdk, "servers", "index.js"), "export {};\n");
});
afterAll(async () => {
  await rm(sdk, { recursive: true, force: true });
});

describe("staticImports", () => {
  it.each([
    ["no imports", "const result = 1;\n", []],
    ["one named import", 'import { getSum } from "servers/everything";\nconst x = 1;\n', ["servers/everything"]],
    [
      "several forms",
      'import fs from "node:fs";\nimport * as sdk from "servers/everything/index.js";\nimport "node:path";\nexport { a } from "servers";\n',
      ["node:fs", "servers/everything/index.js", "node:path", "servers"],
    ],
  ])("%s", (_name, js, specifiers) => {
    expect(staticImports(js)?.map((item) => item.specifier)).toEqual(specifiers);
  });

  it.each([
    ["a dynamic import", 'const m = await import("node:fs");\n'],
    ["require", 'const fs = require("fs");\n'],
    ["an import further down", 'const a = 1;\nimport { b } from "servers/x";\n'],
    ["export * further down", 'const a = 1;\nexport * from "./other.js";\n'],
    ["the word import inside a string", 'const text = "import x from \'y\'";\n'],
    ["import after a top import", 'import "node:fs";\nfoo();\nconst m = import("x");\n'],
  ])("%s: left to the bundler (null)", (_name, js) => {
    expect(staticImports(js)).toBeNull();
  });

  it("import.meta is not a module load", () => {
    expect(staticImports("console.log(import.meta.url);\n")).toEqual([]);
  });
});

describe("sdkModule and pointImports", () => {
  it.each([
    ["servers/everything", "servers/everything/index.js"],
    ["servers/everything/index.js", "servers/everything/index.js"],
    ["servers", null],
    ["servers/../../etc/passwd", null],
    ["servers/nothing", null],
    ["./local.js", null],
    ["lodash", null],
  ])("%s -> %s", (specifier, file) => {
    expect(sdkModule(sdk, specifier)).toBe(file);
  });

  it("points SDK imports at the marker, keeps built-ins, refuses anything else", () => {
    const js = 'import fs from "node:fs";\nimport { getSum } from "servers/everything";\nconst result = 1;\n';
    const pointed = pointImports(js, staticImports(js)!, sdk, "@SDK@");
    expect(pointed).toBe('import fs from "node:fs";\nimport { getSum } from "@SDK@/servers/everything/index.js";\nconst result = 1;\n');
    const other = 'import x from "left-pad";\n';
    expect(pointImports(other, staticImports(other)!, sdk, "@SDK@")).toBeNull();
    const relative = 'import x from "./helper.js";\n';
    expect(pointImports(relative, staticImports(relative)!, sdk, "@SDK@")).toBeNull();
  });

  it.each([
    ["a renamed import", 'import { getSum as add } from "servers/everything";\n', true],
    ["a namespace import", 'import * as everything from "servers/everything";\n', true],
    ["a tool module itself", 'import { getSum } from "servers/everything/get_sum.js";\n', true],
    ["a name the SDK does not export (an undeclared tool)", 'import { getSum, echo } from "servers/everything";\n', false],
    ["a default import", 'import everything from "servers/everything";\n', false],
  ])("%s: fast path %s", (_name, js, fast) => {
    expect(pointImports(js, staticImports(js)!, sdk, "@SDK@") !== null).toBe(fast);
  });
});
