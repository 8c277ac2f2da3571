/** Schema -> TS and Python types, as tables (one-line rendering through renderSignatures-style printers). */
import { describe, expect, it } from "vitest";
import { lowerTool } from "../../../src/core/codegen/lower.js";
import { TypeNameAllocator } from "../../../src/core/codegen/names.js";
import { PyModuleTypes } from "../../../src/core/codegen/pyPrinter.js";
import { tsDeclaration, tsType } from "../../../src/core/codegen/tsPrinter.js";
import type { ToolInfo } from "../../../src/contracts/tools.js";

function toolWith(input: unknown, output?: unknown): ToolInfo {
  return {
    server: "s",
    serverInfo: { name: "s", version: "1" },
    name: "t",
    inputSchema: input as ToolInfo["inputSchema"],
    ...(output !== undefined ? { outputSchema: output as ToolInfo["outputSchema"] } : {}),
  };
}

/** TS and Python for the type of property `v`. */
function typesOf(schema: unknown, defs?: Record<string, unknown>): { ts: string; py: string } {
  const alloc = new TypeNameAllocator();
  const lowered = lowerTool(
    toolWith({ type: "object", properties: { v: schema }, ...(defs ? { $defs: defs } : {}) }),
    "T",
    alloc,
  );
  const input = lowered.input.node;
  if (input.kind !== "object") throw new Error("input is not an object");
  const node = input.props[0]!.type;
  const py = new PyModuleTypes(alloc, [lowered.input, lowered.output, ...lowered.named]);
  return { ts: tsType(node), py: py.type(node, "T", "V") };
}

describe("schema -> types", () => {
  it.each([
    [{ type: "string" }, "string", "str"],
    [{ type: "integer" }, "number", "int"],
    [{ type: "number" }, "number", "float"],
    [{ type: "boolean" }, "boolean", "bool"],
    [{ type: "null" }, "null", "None"],
    [{}, "unknown", "Any"],
    [true, "unknown", "Any"],
    [false, "never", "Any"],
    [{ type: ["string", "null"] }, "string | null", "Optional[str]"],
    [{ type: "integer", nullable: true }, "number | null", "Optional[int]"],
    [{ enum: ["a", "b"] }, '"a" | "b"', 'Literal["a", "b"]'],
    [{ enum: [1, 2.5, -3] }, "1 | 2.5 | -3", "Union[Literal[1, -3], float]"],
    [{ enum: ["a", 1, true, null] }, '"a" | 1 | true | null', 'Optional[Literal["a", 1, True]]'],
    [{ const: "x" }, '"x"', 'Literal["x"]'],
    [{ enum: [] }, "unknown", "Any"],
    [{ type: "array", items: { type: "string" } }, "string[]", "list[str]"],
    [
      { type: "array", items: { anyOf: [{ type: "string" }, { type: "number" }] } },
      "(string | number)[]",
      "list[Union[str, float]]",
    ],
    [{ type: "array" }, "unknown[]", "list[Any]"],
    [
      { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], items: false },
      "[string, number]",
      "tuple[str, float]",
    ],
    [{ type: "array", prefixItems: [{ type: "string" }] }, "[string, ...unknown[]]", "list[Any]"],
    [
      { type: "array", prefixItems: [{ type: "string" }], items: { type: "boolean" } },
      "[string, ...boolean[]]",
      "list[Union[str, bool]]",
    ],
    [{ type: "array", items: [{ type: "string" }], additionalItems: false }, "[string]", "tuple[str]"],
    [{ type: "array", prefixItems: [], items: false }, "[]", "tuple[()]"],
    [{ type: "object" }, "{ [key: string]: unknown; }", "dict[str, Any]"],
    [{ type: "object", additionalProperties: false }, "Record<string, never>", "dict[str, Any]"],
    [{ type: "object", additionalProperties: { type: "number" } }, "{ [key: string]: number; }", "dict[str, float]"],
    [
      { type: "object", patternProperties: { "^a": { type: "string" } } },
      "{ [key: string]: string; }",
      "dict[str, str]",
    ],
    [
      { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "number" } },
      "{ a?: string; [key: string]: unknown; }",
      '"TV"',
    ],
    [
      { type: "object", properties: { "my-key": { type: "string" } }, required: ["my-key"] },
      '{ "my-key": string; }',
      '"TV"',
    ],
    [{ anyOf: [{ type: "string" }, { type: "number" }] }, "string | number", "Union[str, float]"],
    [{ oneOf: [{ type: "string" }, { type: "null" }] }, "string | null", "Optional[str]"],
    [{ allOf: [{ type: "string" }, { minLength: 1 }] }, "string", "str"],
    [
      { type: "object", properties: { p: { type: "string" } }, anyOf: [{ required: ["p"] }, { required: ["q"] }] },
      "{ p?: string; }",
      '"TV"',
    ],
    [{ $ref: "#/$defs/missing" }, "unknown", "Any"],
    [{ $ref: 42 }, "unknown", "Any"],
    [{ type: "wat" }, "unknown", "Any"],
    ["garbage", "unknown", "Any"],
  ])("%j -> %s / %s", (schema, ts, py) => {
    expect(typesOf(schema)).toEqual({ ts, py });
  });

  it("merges allOf objects into one TypedDict in Python and intersects in TS", () => {
    const alloc = new TypeNameAllocator();
    const schema = {
      allOf: [
        { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
        { type: "object", properties: { b: { type: "number" } } },
      ],
    };
    const lowered = lowerTool(toolWith({ type: "object", properties: { v: schema } }), "T", alloc);
    const py = new PyModuleTypes(alloc, [lowered.input]);
    const input = lowered.input.node;
    if (input.kind !== "object") throw new Error("input is not an object");
    const node = input.props[0]!.type;
    expect(tsType(node)).toBe("{ a: string; } & { b?: number; }");
    expect(py.type(node, "T", "V")).toBe('"TV"');
    expect(py.classes.join("\n")).toContain("class TV(TypedDict):\n    a: str\n    b: NotRequired[float]\n");
  });

  it("names $ref targets, recursion included, and inlines non-object refs at the top of a type", () => {
    const alloc = new TypeNameAllocator();
    const lowered = lowerTool(
      toolWith({
        type: "object",
        properties: { tree: { $ref: "#/$defs/node" }, color: { $ref: "#/$defs/color" }, self: { $ref: "#" } },
        $defs: {
          node: { type: "object", properties: { kids: { type: "array", items: { $ref: "#/$defs/node" } } } },
          color: { enum: ["red"] },
        },
      }),
      "T",
      alloc,
    );
    expect(lowered.named.map((decl) => decl.name)).toEqual(["TNode", "TColor"]);
    expect(tsDeclaration(lowered.input)).toContain("tree?: TNode;");
    expect(tsDeclaration(lowered.input)).toContain("self?: TInput;");
    expect(tsDeclaration(lowered.named[0]!)).toBe("export interface TNode {\n  kids?: TNode[];\n}\n");
    expect(tsDeclaration(lowered.named[1]!)).toBe('export type TColor = "red";\n');
  });

  /** The declarations made for `$defs` reached from property `v`. */
  function declarationsOf(schema: unknown, defs: Record<string, unknown>): string[] {
    const lowered = lowerTool(
      toolWith({ type: "object", properties: { v: schema }, $defs: defs }),
      "T",
      new TypeNameAllocator(),
    );
    return lowered.named.map(tsDeclaration);
  }

  it("drops refs back into a union being inlined, and a pure cycle becomes unknown", () => {
    expect(
      declarationsOf(
        { $ref: "#/$defs/a" },
        {
          a: { anyOf: [{ $ref: "#/$defs/b" }, { type: "string" }] },
          b: { anyOf: [{ $ref: "#/$defs/a" }, { type: "number" }] },
        },
      ),
    ).toEqual(["export type TA = number | string;\n"]);
    expect(declarationsOf({ $ref: "#/$defs/loop" }, { loop: { $ref: "#/$defs/loop" } })).toEqual([
      "export type TLoop = unknown /* circular $ref */;\n",
    ]);
  });

  it("resolves escaped and percent-encoded pointers", () => {
    expect(declarationsOf({ $ref: "#/$defs/a~1b" }, { "a/b": { type: "string" } })).toEqual([
      "export type TA1b = string;\n",
    ]);
    expect(declarationsOf({ $ref: "#/$defs/a%20b" }, { "a b": { type: "integer" } })).toEqual([
      "export type TAB = number;\n",
    ]);
    expect(typesOf({ $ref: "#/$defs/%E0%A4%A" }, {}).ts).toBe("unknown");
  });

  it("lowers a chain of thousands of $defs without growing the stack", () => {
    const defs: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) {
      defs[`d${i}`] = {
        type: "object",
        properties: { next: { $ref: `#/$defs/d${i + 1}` }, also: { $ref: `#/$defs/e${i}` } },
      };
      defs[`e${i}`] = { anyOf: [{ type: "string" }, { $ref: `#/$defs/e${i + 1}` }] };
    }
    const lowered = lowerTool(
      toolWith({ type: "object", properties: { start: { $ref: "#/$defs/d0" } }, $defs: defs }),
      "T",
      new TypeNameAllocator(),
    );
    expect(lowered.named.length).toBeGreaterThan(5000);
    expect(tsDeclaration(lowered.named[0]!)).toBe("export interface TD0 {\n  next?: TD1;\n  also?: TE0;\n}\n");
  });

  it("falls back to an open object when the inputSchema is not an object schema", () => {
    const lowered = lowerTool(toolWith({ type: "string" }), "T", new TypeNameAllocator());
    expect(tsDeclaration(lowered.input)).toBe(
      "/* inputSchema is not an object schema */\nexport interface TInput {\n  [key: string]: unknown;\n}\n",
    );
  });

  it("says why something became unknown, in comments", () => {
    const alloc = new TypeNameAllocator();
    const lowered = lowerTool(toolWith({ type: "object", properties: { m: { $ref: "#/nope" } } }), "T", alloc);
    expect(tsDeclaration(lowered.input)).toContain("m?: unknown /* unresolved $ref */;");
    const py = new PyModuleTypes(alloc, [lowered.input]);
    py.declare(lowered.input);
    expect(py.classes[0]).toContain("    # Note: unresolved $ref\n    m: NotRequired[Any]");
  });

  it("uses the functional TypedDict form when a key is not a plain identifier", () => {
    const alloc = new TypeNameAllocator();
    const lowered = lowerTool(
      toolWith({
        type: "object",
        properties: { class: { type: "string" }, __x: { type: "string" }, ok: { type: "string" } },
      }),
      "T",
      alloc,
    );
    const py = new PyModuleTypes(alloc, [lowered.input]);
    py.declare(lowered.input);
    expect(py.classes[0]).toBe(
      'TInput = TypedDict("TInput", {\n    "class": NotRequired[str],\n    "__x": NotRequired[str],\n    "ok": NotRequired[str],\n})\n',
    );
  });
});
