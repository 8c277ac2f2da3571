import { describe, expect, it } from "vitest";
import {
  TypeNameAllocator,
  assignServerNames,
  assignToolNames,
  sdkNames,
  sdkServerName,
  splitWords,
} from "../../../src/core/codegen/names.js";
import type { ToolInfo } from "../../../src/contracts/tools.js";

function tool(name: string, server = "s"): ToolInfo {
  return { server, serverInfo: { name: server, version: "1.0.0" }, name, inputSchema: { type: "object" } };
}

describe("splitWords", () => {
  it.each([
    ["read_text_file", ["read", "text", "file"]],
    ["readTextFile", ["read", "text", "file"]],
    ["read-text.file now", ["read", "text", "file", "now"]],
    ["HTTPServer", ["http", "server"]],
    ["getV2Data", ["get", "v2", "data"]],
    ["café", ["cafe"]],
    ["日本", ["u65e5", "u672c"]],
    ["", []],
    ["---", []],
  ])("%j -> %j", (input, expected) => {
    expect(splitWords(input)).toEqual(expected);
  });
});

describe("tool names", () => {
  it.each([
    ["read_text_file", "read_text_file", "readTextFile", "ReadTextFile"],
    ["class", "class_", "class_", "Class"],
    ["import", "import_", "import_", "Import"],
    ["list", "list_", "list", "List"],
    ["delete", "delete", "delete_", "Delete"],
    ["callTool", "call_tool_", "callTool_", "CallTool"],
    ["call_tool", "call_tool_", "callTool_", "CallTool"],
    ["3d-render", "tool_3d_render", "tool3dRender", "Tool3dRender"],
    ["my tool.v2", "my_tool_v2", "myToolV2", "MyToolV2"],
    ["", "tool", "tool", "Tool"],
    ["index", "index_", "index_", "Index"],
    ["undefined", "undefined", "undefined_", "Undefined"],
  ])("%j -> python %s, ts %s, pascal %s", (name, python, ts, pascal) => {
    const names = sdkNames(tool(name));
    expect(names).toEqual({ python, ts, module: python, pascal });
  });

  it("numbers names that collide, deterministically, preferring the one already in snake_case", () => {
    const names = assignToolNames(["read-file", "readFile", "read_file", "read.file"]);
    expect(names.get("read_file")!.python).toBe("read_file");
    const others = ["read-file", "read.file", "readFile"].map((name) => names.get(name)!.python);
    expect(others).toEqual(["read_file_2", "read_file_3", "read_file_4"]);
    const shuffled = assignToolNames(["read.file", "read_file", "readFile", "read-file"]);
    expect([...shuffled.entries()].sort()).toEqual([...names.entries()].sort());
  });

  it("never hands out a suffix that another tool's natural name needs", () => {
    const names = assignToolNames(["foo", "foo-", "foo_2"]);
    expect(names.get("foo")!.python).toBe("foo");
    expect(names.get("foo_2")!.python).toBe("foo_2");
    expect(names.get("foo-")!.python).toBe("foo_3");
  });

  it("keeps snake, camel and Pascal forms distinct when only separators differ", () => {
    const names = assignToolNames(["foo_bar", "foobar", "foo_1", "foo1"]);
    const camel = [...names.values()].map((name) => name.ts.toLowerCase());
    expect(new Set(camel).size).toBe(4);
  });

  it("sdkNames only counts siblings of the same server", () => {
    const a = tool("read-file", "a");
    const b = tool("read_file", "b");
    expect(sdkNames(a, [a, b]).python).toBe("read_file");
    expect(sdkNames(a, [a, tool("read_file", "a")]).python).toBe("read_file_2");
  });
});

describe("server names", () => {
  it("sanitises and numbers collisions", () => {
    const names = assignServerNames(["my-server", "my_server", "class", "2fa"]);
    expect(names.get("my_server")).toBe("my_server");
    expect(names.get("my-server")).toBe("my_server_2");
    expect(names.get("class")).toBe("class_");
    expect(names.get("2fa")).toBe("server_2fa");
    expect(sdkServerName("filesystem")).toBe("filesystem");
  });
});

describe("TypeNameAllocator", () => {
  it("hands out unique names, avoiding claimed and reserved ones", () => {
    const alloc = new TypeNameAllocator();
    alloc.claim("FooInput");
    expect(alloc.allocate("Foo", "input")).toBe("FooInput2");
    expect(alloc.allocate("Typed", "dict")).toBe("TypedDict2");
    expect(alloc.allocate("", "")).toBe("Type");
    expect(alloc.allocate("9", "lives")).toBe("T9Lives");
  });
});
