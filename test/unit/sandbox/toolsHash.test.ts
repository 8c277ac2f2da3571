/** The SDK tree of a run is named by a hash of its tools: the same set in any order, on any machine, names one tree. */
import { describe, expect, it } from "vitest";
import type { ToolInfo } from "../../../src/contracts/tools.js";
import { toolsHash } from "../../../src/sandbox/sdk.js";

const tool = (server: string, name: string): ToolInfo => ({
  server,
  name,
  description: `${name} of ${server}`,
  inputSchema: { type: "object", properties: { path: { type: "string" } } },
  serverInfo: { name: server, version: "1.0.0" },
});

describe("toolsHash", () => {
  const tools = [tool("fs", "read_file"), tool("fs", "Read-File"), tool("Mem", "search"), tool("fs", "read-file")];

  it("is the same for the same tools in any order", () => {
    const hash = toolsHash(tools);
    expect(hash).toMatch(/^[0-9a-f]{24}$/);
    expect(toolsHash([...tools].reverse())).toBe(hash);
    expect(toolsHash([tools[2]!, tools[0]!, tools[3]!, tools[1]!])).toBe(hash);
  });

  it("differs when a tool's schema, description or server version differs", () => {
    const hash = toolsHash(tools);
    const changed = (patch: Partial<ToolInfo>) => toolsHash([{ ...tools[0]!, ...patch }, ...tools.slice(1)]);
    expect(changed({ inputSchema: { type: "object" } })).not.toBe(hash);
    expect(changed({ description: "another" })).not.toBe(hash);
    expect(changed({ serverInfo: { name: "fs", version: "1.0.1" } })).not.toBe(hash);
  });
});
