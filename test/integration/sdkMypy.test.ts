/**
 * The generated Python SDK is typed for real: the tree for a fixture with every schema shape the generator handles,
 * with the real runtime, passes `mypy --strict`; so does a program written against it, and a program that misuses
 * it (a misspelt argument, a wrong type, a field the output does not have) fails. Needs Debian's `mypy`.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRuntimeSources } from "../../src/commands/sdk.js";
import { generateSdk } from "../../src/core/codegen/index.js";
import type { ToolInfo } from "../../src/contracts/tools.js";
import { compilePython, hasMypy, listFiles, tempDir, typecheckPython, writeFiles } from "../unit/codegen/helpers.js";

const fixture = JSON.parse(await readFile(join(import.meta.dirname, "../fixtures/sdk/every-shape.json"), "utf8")) as {
  tools: ToolInfo[];
};

/** Uses every tool of the fixture the way a skill would, reading typed fields of the results. */
const GOOD_PROGRAM = `from servers.shapes import (
    collections,
    combinations,
    enums_and_consts,
    nested_objects,
    no_arguments,
    open_arguments,
    primitives,
    recursive_all_of,
    references,
    union_input,
)
from servers.other_server_v2 import print_


def run(input: dict[str, object]) -> dict[str, object]:
    no_arguments()
    echoed = primitives(text="a", count=1, ratio=None, maybe=None, multi=True)
    ok: bool = echoed["ok"]
    mode = enums_and_consts(mode="fast", level=2, fixed="v1").get("mode")
    rows = collections(tags=["x"], pair=("a", 1), counts={"a": 1}, objects=[{"id": "1"}])["rows"]
    names = [row["name"] for row in rows]
    nested = nested_objects(class_="c", address={"street": "Main", "geo": {"lat": 1.0, "lng": 2.0}})
    tree = references(node={"value": "root", "children": [{"value": "leaf"}]}).get("tree")
    shape = combinations(a="x", b=2).get("shape")
    depth: int = recursive_all_of(root={"name": "a", "child": {"name": "b"}}, tree={"sub": {"extra": True}})["depth"]
    totals = open_arguments(name="n", color="red")
    paths: list[str] = union_input(path="p")
    printed = print_(input="hello").get("id")
    return {"ok": ok, "mode": mode, "names": names, "in": nested["in"], "tree": tree, "shape": shape,
            "totals": totals, "paths": paths, "printed": printed, "depth": depth}
`;

const BAD_PROGRAM = `from servers.shapes import collections, enums_and_consts, primitives


def run(input: dict[str, object]) -> object:
    primitives(txt="a", count=1)
    primitives(text="a", count="one")
    enums_and_consts(mode="medium")
    return collections()["rowz"]
`;

let dir: string;

beforeAll(async () => {
  dir = await tempDir("sdk-mypy");
  await writeFiles(dir, generateSdk(fixture.tools, { lang: "python", runtime: await readRuntimeSources() }));
  await writeFile(join(dir, "good.py"), GOOD_PROGRAM);
  await writeFile(join(dir, "bad.py"), BAD_PROGRAM);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the Python SDK for every schema shape", () => {
  it("compiles", async () => {
    expect(await compilePython(dir)).toBe("");
  });

  it.skipIf(!hasMypy())(
    "passes mypy --strict, the runtime and a program that uses every tool included",
    async () => {
      const files = (await listFiles(join(dir, "servers"), ".py")).map((file) => file.slice(dir.length + 1));
      expect(files).toContain("servers/_runtime.py");
      expect(await typecheckPython(dir, ["good.py", ...files])).toBe("");
    },
    120_000,
  );

  it.skipIf(!hasMypy())(
    "makes mypy --strict catch a misspelt argument, a wrong type, an unknown value and an unknown field",
    async () => {
      const output = await typecheckPython(dir, ["bad.py"]);
      const lines = output
        .trim()
        .split("\n")
        .map((line) => line.replace(/\s+\[[a-z-]+\]$/, ""));
      expect(lines).toEqual([
        'bad.py:5: error: Unexpected keyword argument "txt" for "primitives"; did you mean "text"?',
        expect.stringMatching(
          /^bad\.py:6: error: Argument "count" to "primitives" has incompatible type "str"; expected "int"/,
        ),
        `bad.py:7: error: Argument "mode" to "enums_and_consts" has incompatible type "Literal['medium']"; expected "Literal['fast', 'slow']"`,
        expect.stringMatching(/^bad\.py:8: error: TypedDict "CollectionsOutput" has no key "rowz"/),
      ]);
    },
    120_000,
  );
});
